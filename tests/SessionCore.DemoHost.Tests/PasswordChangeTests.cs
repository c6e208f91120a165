using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Password changes get a host of their own: they change a user's credentials for good.</summary>
public sealed class PasswordChangeTests
{
    [Fact]
    public async Task ChangePassword_RevokesOtherSessionsAndKeepsThisOneUnderNewId()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();
        string other = await client.SignInAsync("bob", "bob-password");
        string current = await client.SignInAsync("bob", "bob-password");
        string csrf = await client.CsrfAsync(current);

        using HttpResponseMessage response = await client.PostFormAsync(
            "/password", DemoClient.Form(("csrf", csrf), ("current", "bob-password"), ("new", "a-much-longer-passphrase")), current);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        string? kept = DemoClient.SetCookieValue(response, DemoClient.SessionCookie);
        Assert.False(string.IsNullOrEmpty(kept));
        Assert.NotEqual(current, kept);
        Assert.Null(await client.SessionInfoAsync(other));
        Assert.Null(await client.SessionInfoAsync(current));
        Assert.Equal("bob", (await client.SessionInfoAsync(kept))!.Value.GetProperty("user").GetString());

        using HttpResponseMessage oldPassword = await client.PostFormAsync(
            "/login", DemoClient.Form(("username", "bob"), ("password", "bob-password")), null, ("Origin", host.Origin));
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        await client.SignInAsync("bob", "a-much-longer-passphrase");

        string users = await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, "users.json"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("a-much-longer-passphrase", users, System.StringComparison.Ordinal);
        Assert.DoesNotContain("alice-password", users, System.StringComparison.Ordinal);
        Assert.Contains("pbkdf2-sha256$", users, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-password", "a-much-longer-passphrase", HttpStatusCode.Unauthorized)]
    [InlineData("alice-password", "short", HttpStatusCode.BadRequest)]
    public async Task ChangePassword_Refused_KeepsEverything(string current, string replacement, HttpStatusCode expected)
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();
        string other = await client.SignInAsync("alice", "alice-password");
        string session = await client.SignInAsync("alice", "alice-password");
        string csrf = await client.CsrfAsync(session);

        using HttpResponseMessage response = await client.PostFormAsync(
            "/password", DemoClient.Form(("csrf", csrf), ("current", current), ("new", replacement)), session);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotNull(await client.SessionInfoAsync(other));
        Assert.NotNull(await client.SessionInfoAsync(session));
        await client.SignInAsync("alice", "alice-password");
    }
}
