using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Samples.Tests;

/// <summary>
/// Publishes the core-only sample ahead of time (native AOT) and runs the executable: the core must stay free of
/// reflection the trimmer cannot see, and work without a JIT.
/// </summary>
public sealed class NativeAotTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "sessioncore-aot-tests", Path.GetRandomFileName());

    [Fact]
    public async Task Publish_CoreOnlySample_RunsEveryStepAsANativeExecutable()
    {
        // Native AOT links with the platform's C toolchain; CI installs it (.ci/setup.sh), a developer machine may not.
        Assert.SkipUnless(OperatingSystem.IsLinux() && OnPath("clang"), "native AOT needs clang and zlib (apt install clang zlib1g-dev)");
        string project = Path.Combine(RepositoryRoot(), "samples", "NativeAot", "NativeAot.csproj");

        (int published, string log) = await RunAsync("dotnet", $"publish \"{project}\" -c Release -r linux-x64 -o \"{_output}\" -v q -nologo");
        Assert.True(published == 0, log);
        string executable = Path.Combine(_output, "SessionCore.Samples.NativeAot");
        Assert.True(File.Exists(executable), log);
        Assert.False(File.Exists(Path.Combine(_output, "SessionCore.Samples.NativeAot.dll")), "a native executable, not an IL assembly with a host");

        (int code, string output) = await RunAsync(executable, string.Empty);

        Assert.True(code == 0, output);
        Assert.Contains("sign-in, validate, issue, refresh, revoke: ok", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));

    private static string RepositoryRoot()
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

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments)
    {
        ProcessStartInfo start = new(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
