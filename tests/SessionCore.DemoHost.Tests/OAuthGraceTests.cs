using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Refresh retries inside the grace window, and a password change ending API grants; each with a host of its own.</summary>
public sealed class OAuthGraceTests
{
    [Fact]
    public async Task RefreshGrant_RetryInsideGraceWindow_ReturnsTheSameSuccessor()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--refresh-grace", "60");
        using DemoClient client = host.CreateClient();
        JsonElement granted = await TokenAsync(client, ("grant_type", "password"), ("username", "alice"), ("password", "alice-password"));
        string first = granted.GetProperty("refresh_token").GetString()!;

        JsonElement rotated = await TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first));
        JsonElement retried = await TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", first));

        Assert.Equal(rotated.GetProperty("refresh_token").GetString(), retried.GetProperty("refresh_token").GetString());
        JsonElement next = await TokenAsync(client, ("grant_type", "refresh_token"), ("refresh_token", retried.GetProperty("refresh_token").GetString()!));
        Assert.StartsWith("scr_", next.GetProperty("refresh_token").GetString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserPasswordChange_EndsApiGrantsAndTheirAccessTokens()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();
        JsonElement granted = await TokenAsync(client, ("grant_type", "password"), ("username", "bob"), ("password", "bob-password"));
        string browser = await client.SignInAsync("bob", "bob-password");
        string csrf = await client.CsrfAsync(browser);

        using HttpResponseMessage changed = await client.PostFormAsync(
            "/password", DemoClient.Form(("csrf", csrf), ("current", "bob-password"), ("new", "a-much-longer-passphrase")), browser);

        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        using HttpResponseMessage me = await client.GetAsync("/api/me", null, ("Authorization", "Bearer " + granted.GetProperty("access_token").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using HttpResponseMessage refreshed = await client.PostFormAsync(
            "/oauth/token", DemoClient.Form(("grant_type", "refresh_token"), ("refresh_token", granted.GetProperty("refresh_token").GetString()!)));
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
    }

    private static async Task<JsonElement> TokenAsync(DemoClient client, params (string Name, string Value)[] fields)
    {
        using HttpResponseMessage response = await client.PostFormAsync("/oauth/token", DemoClient.Form(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await DemoClient.JsonAsync(response);
    }
}
