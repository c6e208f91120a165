using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SessionCore.Samples.Tests;

/// <summary>Runs the <c>dotnet</c> command line as a child process, for tests that pack, build and run projects.</summary>
internal static class DotnetCli
{
    // Set by the build that started this test process; a separate build of another project must find its own.
    private static readonly string[] s_inheritedBuildVariables =
        ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "MSBUILDNOINPROCNODE"];

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; kills it after <paramref name="timeout"/>.</summary>
    /// <returns>The exit code and standard output followed by standard error.</returns>
    public static async Task<(int Code, string Output)> RunAsync(
        string directory, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ProcessStartInfo start = new("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in s_inheritedBuildVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"dotnet {string.Join(' ', start.ArgumentList)} did not finish within {timeout} (or the test was cancelled)\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>The repository's root folder (the one holding <c>SessionCore.sln</c>) above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SessionCore.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("SessionCore.sln not found above the test binaries.");
    }
}
