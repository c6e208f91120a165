using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Tool.Tests;

/// <summary>Runs the built tool as a real process, as an operator would.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task RealProcess_KeysTokenIssueAndVerify_UseExitCodesAndStreams()
    {
        using ToolRunner tool = new();
        string key = tool.PathOf("key.jwk");
        string jwks = tool.PathOf("jwks.json");

        Assert.Equal(0, (await RunAsync(null, "keys", "new", "--alg", "ES256", "--out", key)).ExitCode);
        (int code, string set, _) = await RunAsync(null, "keys", "jwks", key);
        Assert.Equal(0, code);
        await File.WriteAllTextAsync(jwks, set, TestContext.Current.CancellationToken);
        (code, string token, _) = await RunAsync(null, "token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "alice");
        Assert.Equal(0, code);

        (int ok, string claims, string okError) = await RunAsync(token, "token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a");
        (int bad, string badOut, string badError) = await RunAsync(null, "token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "b", token.Trim());
        (int usage, _, _) = await RunAsync(null, "token", "verify");

        Assert.Equal(0, ok);
        Assert.Contains("\"sub\":\"alice\"", claims, StringComparison.Ordinal);
        Assert.Empty(okError);
        Assert.Equal(1, bad);
        Assert.Empty(badOut);
        Assert.Equal("invalid token: InvalidAudience", badError.TrimEnd());
        Assert.Equal(2, usage);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(string? stdin, params string[] args)
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "SessionCore.Tool.dll");
        Assert.True(File.Exists(assembly), "the tool assembly is copied next to the tests by the project reference");
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin ?? string.Empty);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
