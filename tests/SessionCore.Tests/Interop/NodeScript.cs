using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace SessionCore.Tests.Interop;

/// <summary>Runs one of the Node scripts in tests/js: JSON on stdin, JSON on stdout.</summary>
internal static class NodeScript
{
    private static readonly Lazy<(string? Node, string? Folder, string? Missing)> s_setup = new(Locate);

    /// <summary>Gets why the jose scripts cannot run here (no node on PATH, or tests/js without npm ci), or <see langword="null"/>.</summary>
    public static string? Missing => s_setup.Value.Missing;

    /// <summary>Why scripts that import <paramref name="package"/> cannot run here, or <see langword="null"/>.</summary>
    public static string? MissingFor(string package)
    {
        (string? node, string? folder, _) = s_setup.Value;
        return node is null || folder is null ? s_setup.Value.Missing
            : !File.Exists(Path.Combine(folder, "node_modules", package, "package.json")) ? $"tests/js/node_modules/{package} is missing; run `npm ci` in tests/js (.ci/setup.sh does)"
            : null;
    }

    public static async Task<JsonNode> RunAsync(string script, JsonNode input, CancellationToken cancellationToken)
    {
        (string? node, string? folder, string? missing) = s_setup.Value;
        if (missing is not null)
        {
            throw new InvalidOperationException(missing);
        }

        ProcessStartInfo start = new(node!, Path.Combine(folder!, script))
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(input.ToJsonString().AsMemory(), cancellationToken);
        process.StandardInput.Close();

        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {await stderr}");
        }

        return JsonNode.Parse(output) ?? throw new InvalidOperationException($"node {script} printed nothing");
    }

    private static (string? Node, string? Folder, string? Missing) Locate()
    {
        string? node = null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in (string[])["node", "node.exe"])
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    node ??= candidate;
                }
            }
        }

        // The repository root is the folder holding SessionCore.sln, above the test binaries.
        DirectoryInfo? root = new(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SessionCore.sln")))
        {
            root = root.Parent;
        }

        string? folder = root is null ? null : Path.Combine(root.FullName, "tests", "js");
        string? missing =
            node is null ? "node is not on PATH; install Node.js (.ci/setup.sh does) to run the jose interoperability tests"
            : folder is null ? "SessionCore.sln not found above " + AppContext.BaseDirectory + "; the jose scripts live in tests/js"
            : !File.Exists(Path.Combine(folder, "node_modules", "jose", "package.json")) ? "tests/js/node_modules/jose is missing; run `npm ci` in tests/js (.ci/setup.sh does)"
            : null;
        return (node, folder, missing);
    }
}
