using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// Runs tests/js/browser-demohost.mjs once (headless Chromium through playwright-core) against a fresh DemoHost
/// and keeps each scenario's JSON line. Missing node, playwright-core or Chromium makes the tests skip.
/// </summary>
public sealed class BrowserScenarioFixture : IAsyncLifetime
{
    private readonly Dictionary<string, (bool Pass, string Detail)> _scenarios = new(StringComparer.Ordinal);

    public string? SkipReason { get; private set; }

    public string Output { get; private set; } = string.Empty;

    public string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");

    public bool TryGet(string scenario, out (bool Pass, string Detail) result) => _scenarios.TryGetValue(scenario, out result);

    public async ValueTask InitializeAsync()
    {
        string? root = FindRepositoryRoot();
        string? node = FindOnPath("node");
        string chromium = Environment.GetEnvironmentVariable("SESSIONCORE_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (root is null)
        {
            SkipReason = "the repository (SessionCore.sln) was not found above the test binaries, so tests/js is unknown";
            return;
        }

        if (node is null)
        {
            SkipReason = "node is not on PATH (.ci/setup.sh installs it)";
            return;
        }

        if (!Directory.Exists(Path.Combine(root, "tests", "js", "node_modules", "playwright-core")))
        {
            SkipReason = "tests/js/node_modules/playwright-core is missing (run `cd tests/js && npm ci`)";
            return;
        }

        if (!File.Exists(chromium))
        {
            SkipReason = $"Chromium was not found at {chromium} (install Debian's chromium or set SESSIONCORE_CHROMIUM)";
            return;
        }

        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        Directory.CreateDirectory(ScreenshotFolder);
        ProcessStartInfo start = new(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "tests", "js", "browser-demohost.mjs"));
        start.ArgumentList.Add(host.Origin);
        start.ArgumentList.Add(ScreenshotFolder);
        start.Environment["SESSIONCORE_CHROMIUM"] = chromium;

        using Process process = Process.Start(start)!;
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(4));
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        StringBuilder output = new();
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            output.AppendLine(line);
            if (line.StartsWith('{'))
            {
                using JsonDocument json = JsonDocument.Parse(line);
                JsonElement e = json.RootElement;
                _scenarios[e.GetProperty("scenario").GetString()!] = (e.GetProperty("pass").GetBoolean(), e.GetProperty("detail").GetString() ?? string.Empty);
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        Output = output + await stderr + Environment.NewLine + "host log:" + Environment.NewLine + host.Log;
        if (process.ExitCode == 2 && _scenarios.Count == 0)
        {
            SkipReason = "Chromium could not be launched: " + Output;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

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

/// <summary>One test per browser scenario, all from one run of the script.</summary>
public sealed class BrowserScenarioTests : IClassFixture<BrowserScenarioFixture>
{
    private readonly BrowserScenarioFixture _fixture;

    public BrowserScenarioTests(BrowserScenarioFixture fixture) => _fixture = fixture;

    [Fact]
    public void SignIn_ThroughTheForm_ShowsTheUserPage() => AssertScenario("sign-in");

    [Fact]
    public void SessionCookie_IsHttpOnlySecureStrict_AndHiddenFromScript() => AssertScenario("session-cookie-http-only");

    [Fact]
    public void SignOut_EndsTheSessionAndDeletesTheCookie() => AssertScenario("sign-out");

    [Fact]
    public void CrossSiteFormPost_ToLogout_IsRefused() => AssertScenario("cross-site-post-refused-logout");

    [Fact]
    public void CrossSiteFormPost_ToPassword_IsRefused() => AssertScenario("cross-site-post-refused-password");

    [Fact]
    public void CrossSiteFormPost_ToLogin_IsRefused() => AssertScenario("cross-site-login-refused");

    [Fact]
    public void StepUp_ChangesTheCookie_AndTheOldValueStopsWorking() => AssertScenario("step-up-rotates-cookie");

    [Fact]
    public void Screenshot_OfTheSignedInPage_IsSaved()
    {
        AssertScenario("screenshot");
        Assert.True(_fixture.TryGet("screenshot", out (bool Pass, string Detail) result));
        Assert.True(File.Exists(result.Detail), result.Detail);
        TestContext.Current.SendDiagnosticMessage("screenshot: " + result.Detail);
    }

    private void AssertScenario(string name)
    {
        Assert.SkipWhen(_fixture.SkipReason is not null, _fixture.SkipReason ?? string.Empty);
        Assert.True(_fixture.TryGet(name, out (bool Pass, string Detail) result), $"scenario {name} did not report; output:{Environment.NewLine}{_fixture.Output}");
        Assert.True(result.Pass, $"{name}: {result.Detail}");
    }
}
