using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Command-line options that change behaviour, and persistence across a restart.</summary>
public sealed class HostOptionsTests
{
    [Fact]
    public async Task MaxSessions_Exceeded_EvictsTheOldestSession()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--max-sessions", "2");
        using DemoClient client = host.CreateClient();
        string first = await client.SignInAsync("alice", "alice-password");
        string second = await client.SignInAsync("alice", "alice-password");

        string third = await client.SignInAsync("alice", "alice-password");

        Assert.Null(await client.SessionInfoAsync(first));
        Assert.NotNull(await client.SessionInfoAsync(second));
        Assert.NotNull(await client.SessionInfoAsync(third));
    }

    [Fact]
    public async Task Restart_OnTheSameData_KeepsSessions()
    {
        DemoHostProcess host = await DemoHostProcess.StartAsync();
        string session;
        using (DemoClient client = host.CreateClient())
        {
            session = await client.SignInAsync("bob", "bob-password");
        }

        await host.StopAsync();
        Assert.Equal(0, host.ExitCode);
        await using DemoHostProcess restarted = await DemoHostProcess.StartOnAsync(host.DataDirectory);
        using DemoClient again = restarted.CreateClient();

        Assert.Equal("bob", (await again.SessionInfoAsync(session))!.Value.GetProperty("user").GetString());
    }

    [Fact]
    public async Task BadArguments_ExitWithUsage()
    {
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--max-sessions", "0")));
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--refresh-grace", "600")));
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--bogus", "1")));
    }

    private static void InvalidOperationExceptionAssert(System.Exception? ex)
    {
        Assert.IsType<System.InvalidOperationException>(ex);
        Assert.Contains("usage", ex.Message, System.StringComparison.Ordinal);
    }
}
