using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Password guessing: ten failures lock the user name out for a while, on every path that checks a password.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task Login_TenFailures_LockTheNameOutEvenForTheRightPassword()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();
        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage failed = await client.PostFormAsync(
                "/login", DemoClient.Form(("username", "bob"), ("password", "guess-" + i)), null, ("Origin", host.Origin));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using HttpResponseMessage locked = await client.PostFormAsync(
            "/login", DemoClient.Form(("username", "bob"), ("password", "bob-password")), null, ("Origin", host.Origin));
        using HttpResponseMessage grant = await client.PostFormAsync(
            "/oauth/token", DemoClient.Form(("grant_type", "password"), ("username", "bob"), ("password", "bob-password")));

        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Null(DemoClient.SetCookieHeader(locked, DemoClient.SessionCookie));
        Assert.Equal((HttpStatusCode)429, grant.StatusCode);
        await client.SignInAsync("alice", "alice-password");
    }
}
