using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class CsrfTests
{
    public static TheoryData<string?, string?, bool> Refusals() => new()
    {
        // csrf token ("own" = the session's), Sec-Fetch-Site, Origin header present (cross-site)
        { null, "same-origin", false },
        { "", "same-origin", false },
        { "wrong", "same-origin", false },
        { new string('A', 86), "same-origin", false },
        { "own", "cross-site", false },
        { "own", "same-site", false },
        { "own", null, false },
        { "own", "same-origin", true },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Middleware_UnsafeRequestWithoutValidTokenOrOrigin_Returns403WithoutDetail(string? csrf, string? fetchSite, bool crossOriginHeader)
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        using HttpRequestMessage request = new(HttpMethod.Post, "/logout");
        request.Headers.Add("Cookie", $"{TestApp.SessionCookie}={login.Cookie}");
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf == "own" ? login.Csrf : csrf);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (crossOriginHeader)
        {
            request.Headers.Add("Origin", "https://evil.example");
        }

        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(Http.SetCookie(response, TestApp.SessionCookie));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Middleware_TokenOfAnotherSession_Returns403()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login mine = await app.LoginAsync();
        Login other = await app.LoginAsync("bob");

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/logout", mine.Cookie, other.Csrf);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Middleware_TokenFromBeforeRegeneration_Returns403()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();
        using HttpResponseMessage elevate = await app.SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf);
        string elevated = Http.CookieValue(Http.SetCookie(elevate, TestApp.SessionCookie)!);
        string newCsrf = await elevate.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        using HttpResponseMessage stale = await app.SendAsync(HttpMethod.Post, "/logout", elevated, login.Csrf);
        using HttpResponseMessage fresh = await app.SendAsync(HttpMethod.Post, "/logout", elevated, newCsrf);

        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
    }

    [Fact]
    public async Task Middleware_UnsafeRequestWithoutSession_PassesToTheEndpoint()
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/open", fetchSite: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("cross-site", HttpStatusCode.Forbidden)]
    [InlineData("same-site", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    [InlineData("same-origin", HttpStatusCode.OK)]
    public async Task SignIn_RequireSameOrigin_RefusesLoginCsrf(string? fetchSite, HttpStatusCode expected)
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/login", form: Http.Form(("user", "alice")), fetchSite: fetchSite);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, Http.SetCookie(response, TestApp.SessionCookie) is not null);
    }

    [Theory]
    [InlineData(false, null, HttpStatusCode.Forbidden)]
    [InlineData(false, "same-origin", HttpStatusCode.Forbidden)]
    [InlineData(true, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData(true, "same-origin", HttpStatusCode.OK)]
    public async Task EndpointFilter_WithoutMiddleware_ChecksTokenAndOrigin(bool withToken, string? fetchSite, HttpStatusCode expected)
    {
        await using TestApp app = await TestApp.StartAsync(csrfMiddleware: false);
        Login login = await app.LoginAsync();

        using HttpResponseMessage filtered = await app.SendAsync(HttpMethod.Post, "/filtered", login.Cookie, withToken ? login.Csrf : null, fetchSite: fetchSite);
        using HttpResponseMessage open = await app.SendAsync(HttpMethod.Post, "/open", login.Cookie, fetchSite: "cross-site");

        Assert.Equal(expected, filtered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }
}
