using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Tests.Browser;

/// <summary>
/// One run of a tests/js/browser-*.mjs script (headless Chromium through playwright-core) against a running host,
/// with each scenario's JSON line kept for the tests to assert by name. Missing node, playwright-core or Chromium
/// makes the run a skip with the reason; nothing else does.
/// </summary>
public sealed class BrowserScenarioRun
{
    private readonly Dictionary<string, (bool Pass, string Detail)> _scenarios = new(StringComparer.Ordinal);

    private BrowserScenarioRun(string? skipReason) => SkipReason = skipReason;

    /// <summary>Gets why the scenarios could not run here, or <see langword="null"/>.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Gets what the script and the host printed, for failure messages.</summary>
    public string Output { get; private set; } = string.Empty;

    /// <summary>Gets the folder the screenshots go to: TestResults/browser next to the test binaries.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");

    /// <summary>
    /// Why the browser scripts cannot run on this machine (no repository above the binaries, no node, no
    /// playwright-core in tests/js, no Chromium), or <see langword="null"/>.
    /// </summary>
    public static string? Missing()
    {
        string chromium = Chromium();
        return FindRepositoryRoot() is not { } root ? "the repository (SessionCore.sln) was not found above the test binaries, so tests/js is unknown"
            : FindOnPath("node") is null ? "node is not on PATH (.ci/setup.sh installs it)"
            : !Directory.Exists(Path.Combine(root, "tests", "js", "node_modules", "playwright-core")) ? "tests/js/node_modules/playwright-core is missing (run `cd tests/js && npm ci`)"
            : !File.Exists(chromium) ? $"Chromium was not found at {chromium} (install Debian's chromium or set SESSIONCORE_CHROMIUM)"
            : null;
    }

    /// <summary>A run that did not happen, for <paramref name="reason"/>.</summary>
    public static BrowserScenarioRun Skipped(string reason) => new(reason);

    /// <summary>Runs tests/js/<paramref name="script"/> against <paramref name="origin"/> and reads its scenario lines.</summary>
    public static async Task<BrowserScenarioRun> RunAsync(string script, string origin, Func<string> hostLog)
    {
        if (Missing() is { } missing)
        {
            return Skipped(missing);
        }

        string root = FindRepositoryRoot()!;
        Directory.CreateDirectory(ScreenshotFolder);
        ProcessStartInfo start = new(FindOnPath("node")!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "tests", "js", script));
        start.ArgumentList.Add(origin);
        start.ArgumentList.Add(ScreenshotFolder);
        start.Environment["SESSIONCORE_CHROMIUM"] = Chromium();

        BrowserScenarioRun run = new(null);
        using Process process = Process.Start(start)!;
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(4));
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        StringBuilder output = new();
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                output.AppendLine(line);
                if (line.StartsWith('{'))
                {
                    using JsonDocument json = JsonDocument.Parse(line);
                    JsonElement e = json.RootElement;
                    run._scenarios[e.GetProperty("scenario").GetString()!] = (e.GetProperty("pass").GetBoolean(), e.GetProperty("detail").GetString() ?? string.Empty);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            output.AppendLine($"node {script} did not finish within 4 minutes");
        }

        run.Output = output + (process.HasExited ? await stderr : string.Empty) + Environment.NewLine + "host log:" + Environment.NewLine + hostLog();
        if (process.HasExited && process.ExitCode == 2 && run._scenarios.Count == 0)
        {
            run.SkipReason = "Chromium could not be launched: " + run.Output;
        }

        return run;
    }

    /// <summary>Gets a scenario's outcome, if it reported.</summary>
    public bool TryGet(string scenario, out (bool Pass, string Detail) result) => _scenarios.TryGetValue(scenario, out result);

    /// <summary>Skips when the run could not happen; otherwise fails unless <paramref name="scenario"/> reported a pass.</summary>
    public void AssertPassed(string scenario)
    {
        Assert.SkipWhen(SkipReason is not null, SkipReason ?? string.Empty);
        Assert.True(TryGet(scenario, out (bool Pass, string Detail) result), $"scenario {scenario} did not report; output:{Environment.NewLine}{Output}");
        Assert.True(result.Pass, $"{scenario}: {result.Detail}");
    }

    /// <summary>Asserts the screenshot scenario passed and its file exists, and names the file in the test output.</summary>
    public void AssertScreenshot(string scenario = "screenshot")
    {
        AssertPassed(scenario);
        Assert.True(TryGet(scenario, out (bool Pass, string Detail) result));
        Assert.True(File.Exists(result.Detail), result.Detail);
        TestContext.Current.SendDiagnosticMessage("screenshot: " + result.Detail);
    }

    private static string Chromium() =>
        Environment.GetEnvironmentVariable("SESSIONCORE_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    private static string? FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionCore.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
