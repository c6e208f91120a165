using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class SessionEndpointTests
{
    [Fact]
    public async Task List_ThreeSessions_MarksTheCurrentOneAndShowsNoToken()
    {
        await using TestApp app = await TestApp.StartAsync();
        await app.LoginAsync();
        await app.LoginAsync();
        Login current = await app.LoginAsync();

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/sessions", current.Cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        JsonElement[] sessions = [.. (await Http.JsonAsync(response)).GetProperty("sessions").EnumerateArray()];
        Assert.Equal(3, sessions.Length);
        JsonElement mine = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.True(SessionToken.TryParse(current.Cookie, out SessionToken? token));
        Assert.Equal(token.Id.ToString(), mine.GetProperty("id").GetString());
        Assert.DoesNotContain(current.Cookie, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeOne_AnotherOwnSession_EndsItOnly()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login other = await app.LoginAsync();
        Login current = await app.LoginAsync();
        Assert.True(SessionToken.TryParse(other.Cookie, out SessionToken? otherToken));

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Delete, "/sessions/" + otherToken.Id, current.Cookie, current.Csrf);
        using HttpResponseMessage again = await app.SendAsync(HttpMethod.Delete, "/sessions/" + otherToken.Id, current.Cookie, current.Csrf);
        using HttpResponseMessage otherMe = await app.SendAsync(HttpMethod.Get, "/me", other.Cookie);
        using HttpResponseMessage currentMe = await app.SendAsync(HttpMethod.Get, "/me", current.Cookie);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherMe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, currentMe.StatusCode);
    }

    [Fact]
    public async Task RevokeOne_SessionOfAnotherUser_Returns404AndKeepsIt()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login bob = await app.LoginAsync("bob");
        Login alice = await app.LoginAsync();
        Assert.True(SessionToken.TryParse(bob.Cookie, out SessionToken? bobToken));

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Delete, "/sessions/" + bobToken.Id, alice.Cookie, alice.Csrf);
        using HttpResponseMessage bobMe = await app.SendAsync(HttpMethod.Get, "/me", bob.Cookie);

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bobMe.StatusCode);
    }

    [Fact]
    public async Task RevokeOthers_KeepsTheCurrentSessionOnly()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login other = await app.LoginAsync();
        Login current = await app.LoginAsync();

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/sessions/revoke-others", current.Cookie, current.Csrf);
        using HttpResponseMessage list = await app.SendAsync(HttpMethod.Get, "/sessions", current.Cookie);
        using HttpResponseMessage otherMe = await app.SendAsync(HttpMethod.Get, "/me", other.Cookie);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Single((await Http.JsonAsync(list)).GetProperty("sessions").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, otherMe.StatusCode);
    }

    [Theory]
    [InlineData("DELETE", "/sessions/not-an-id", true, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/sessions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/sessions/%20", true, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/sessions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, HttpStatusCode.Forbidden)]
    [InlineData("POST", "/sessions/revoke-others", false, HttpStatusCode.Forbidden)]
    public async Task Sessions_BadInput_AnswersExactStatus(string method, string path, bool withCsrf, HttpStatusCode expected)
    {
        await using TestApp app = await TestApp.StartAsync(csrfMiddleware: false);
        Login login = await app.LoginAsync();

        using HttpResponseMessage response = await app.SendAsync(new HttpMethod(method), path, login.Cookie, withCsrf ? login.Csrf : null);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/sessions")]
    [InlineData("POST", "/sessions/revoke-others")]
    public async Task Sessions_WithoutSession_Returns401(string method, string path)
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage response = await app.SendAsync(new HttpMethod(method), path, "sc_" + new string('A', 43));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task List_StoreFails_Returns401()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        app.Store.Fail = true;
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/sessions", login.Cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}
