using System;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using SessionCore.Samples.Quickstart;
using Xunit;

namespace SessionCore.Samples.Tests;

public sealed class QuickstartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sessioncore-quickstart-tests", Path.GetRandomFileName());

    [Fact]
    public async Task Run_FreshDataFolder_ExitsZeroAndTellsEveryStep()
    {
        (int code, string output, string error) = await RunAsync("--data", _directory);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Empty(error);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("event  NewDeviceSignIn user=alice", output, StringComparison.Ordinal);
        Assert.Contains("ok     the pre-step-up token is refused: Revoked", output, StringComparison.Ordinal);
        Assert.Contains("ok     signed ES256, typed at+jwt (RFC 9068)", output, StringComparison.Ordinal);
        Assert.Contains("claim sub      \"alice\"", output, StringComparison.Ordinal);
        Assert.Contains("ok     redeemed: Rotated", output, StringComparison.Ordinal);
        Assert.Contains("event  RefreshTokenReuseDetected user=alice", output, StringComparison.Ordinal);
        Assert.Contains("event  SessionRevoked user=alice session=", output, StringComparison.Ordinal);
        Assert.Contains("reason=RefreshTokenReuse", output, StringComparison.Ordinal);
        Assert.Contains("ok     password changed: 1 other session revoked", output, StringComparison.Ordinal);
        Assert.Contains("reason=PasswordChanged", output, StringComparison.Ordinal);
        Assert.Contains("ok     logged out: Done", output, StringComparison.Ordinal);
        Assert.EndsWith("Every step behaved as expected." + Environment.NewLine, output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "sessions.db")));
    }

    [Fact]
    public async Task Run_Transcript_NeverShowsAWholeTokenOrSessionId()
    {
        (int code, string output, _) = await RunAsync("--data", _directory);

        Assert.Equal(0, code);

        // Shown: a type prefix and a few characters. Never: a token's secret part, a whole session or family id
        // (43 base64url characters), a JWT.
        Assert.Matches(new Regex("sc_[A-Za-z0-9_-]{5}…"), output);
        Assert.DoesNotMatch(new Regex("scr?_[A-Za-z0-9_-]{6,}"), output);
        Assert.DoesNotMatch(new Regex("[A-Za-z0-9_-]{30,}"), output);
        Assert.DoesNotMatch(new Regex(@"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+"), output);
    }

    [Fact]
    public async Task Run_Twice_StartsFromAFreshFileEachTime()
    {
        (int first, _, _) = await RunAsync("--data", _directory);
        (int second, string output, string error) = await RunAsync($"--data={_directory}");

        Assert.Equal(0, first);
        Assert.True(second == 0, $"exit {second}\n{output}\n{error}");
        Assert.Contains("changes=NewDeviceId, NewUserAgentFamily, NewNetwork, FirstDevice", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--data")]
    public async Task Run_BadArguments_ExitsTwoWithUsage(string argument)
    {
        (int code, string output, string error) = await RunAsync(argument);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("usage: dotnet run --project samples/Quickstart", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DataFolderCannotBeCreated_ExitsOne()
    {
        Directory.CreateDirectory(_directory);
        string blocker = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);

        (int code, string output, string error) = await RunAsync("--data", blocker);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("quickstart: cannot prepare the data folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DataFileHeldByAnOpenStore_ExitsOneAndLeavesTheFile()
    {
        Directory.CreateDirectory(_directory);
        string file = Path.Combine(_directory, "sessions.db");
        await using Stores.LiteDb.LiteDbSessionStore store = new(new Stores.LiteDb.LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null });

        (int code, string output, string error) = await RunAsync("--data", _directory);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("quickstart: cannot prepare the data folder", error, StringComparison.Ordinal);
        Assert.True(File.Exists(file));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using StringWriter output = new() { NewLine = Environment.NewLine };
        using StringWriter error = new();
        int code = await Walkthrough.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
