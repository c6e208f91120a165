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

    [Theory]
    [InlineData("RS256", "RSA")]
    [InlineData("PS256", "RSA")]
    [InlineData("EdDSA", "OKP")]
    public async Task SigningAlgorithm_Chosen_SignsTokensAndIsPublished(string algorithm, string keyType)
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--signing-alg", algorithm);
        using DemoClient client = host.CreateClient();
        using HttpResponseMessage granted = await client.PostFormAsync("/oauth/token", DemoClient.Form(("grant_type", "password"), ("username", "alice"), ("password", "alice-password")));
        string access = (await DemoClient.JsonAsync(granted)).GetProperty("access_token").GetString()!;

        using HttpResponseMessage jwks = await client.GetAsync("/.well-known/jwks.json");
        using HttpResponseMessage metadata = await client.GetAsync("/.well-known/oauth-authorization-server");
        using HttpResponseMessage me = await client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));

        System.Text.Json.JsonElement key = Assert.Single((await DemoClient.JsonAsync(jwks)).GetProperty("keys").EnumerateArray());
        Assert.Equal(keyType, key.GetProperty("kty").GetString());
        Assert.Equal(algorithm, key.GetProperty("alg").GetString());
        Assert.Equal(algorithm, Assert.Single((await DemoClient.JsonAsync(metadata)).GetProperty("access_token_signing_alg_values_supported").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task BadArguments_ExitWithUsage()
    {
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--max-sessions", "0")));
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--refresh-grace", "600")));
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--bogus", "1")));
        InvalidOperationExceptionAssert(await Record.ExceptionAsync(() => DemoHostProcess.StartAsync("--signing-alg", "HS256")));
    }

    private static void InvalidOperationExceptionAssert(System.Exception? ex)
    {
        Assert.IsType<System.InvalidOperationException>(ex);
        Assert.Contains("usage", ex.Message, System.StringComparison.Ordinal);
    }
}
