using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Samples.Tests;

public sealed partial class AspNetCoreSampleTests : IClassFixture<AspNetCoreSampleHost>
{
    private const string SessionCookie = "__Host-session";

    private readonly AspNetCoreSampleHost _host;

    public AspNetCoreSampleTests(AspNetCoreSampleHost host) => _host = host;

    [Fact]
    public async Task Login_ValidCredentials_SetsHostSessionCookieHttpOnlySecureSameSiteStrict()
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/login", body: Alice, origin: _host.Origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cookie = SetCookie(response, SessionCookie) ?? throw new Xunit.Sdk.XunitException("no session cookie was set");
        string[] attributes = [.. cookie.Split(';').Skip(1).Select(a => a.Trim())];
        Assert.Matches("^__Host-session=sc_[A-Za-z0-9_-]{43};", cookie);
        Assert.Contains("HttpOnly", attributes);
        Assert.Contains("Secure", attributes);
        Assert.Contains("SameSite=Strict", attributes);
        Assert.Contains("Path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("Domain", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using JsonDocument json = await ReadJsonAsync(response);
        Assert.Equal("alice", json.RootElement.GetProperty("user").GetString());
        Assert.Equal(86, json.RootElement.GetProperty("csrfToken").GetString()!.Length);
    }

    [Fact]
    public async Task Me_WithSessionCookie_ReturnsTheUser()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = await ReadJsonAsync(response);
        Assert.Equal("alice", json.RootElement.GetProperty("user").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("authenticationLevel").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("junk")]
    public async Task Me_WithoutAValidSessionCookie_Returns401(string? cookie)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/me", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Logout_WithCsrfToken_RevokesTheSessionAndDeletesTheCookie()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage logout = await SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);
        using HttpResponseMessage after = await SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        string deletion = SetCookie(logout, SessionCookie) ?? throw new Xunit.Sdk.XunitException("no deletion cookie was set");
        Assert.StartsWith("__Host-session=; Max-Age=0;", deletion, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("/logout", null)]
    [InlineData("/logout", "wrong")]
    [InlineData("/elevate", null)]
    [InlineData("/token", null)]
    public async Task UnsafeMethod_WithoutAValidCsrfToken_Returns403AndChangesNothing(string path, string? csrf)
    {
        Login login = await LoginAsync();

        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, login.Cookie, csrf, body: new { password = "alice-password" });
        using HttpResponseMessage me = await SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(SetCookie(response, SessionCookie));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task UnsafeMethod_CsrfTokenOfAnotherSession_Returns403()
    {
        Login mine = await LoginAsync();
        Login other = await LoginAsync();

        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/logout", mine.Cookie, other.Csrf);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/me?session=abc")]
    [InlineData("GET", "/me?access_token=abc")]
    [InlineData("GET", "/me;jsessionid=abc")]
    [InlineData("POST", "/login?token=abc")]
    [InlineData("POST", "/oauth/token?refresh_token=abc")]
    public async Task Request_TokenInUrl_Returns400(string method, string url)
    {
        using HttpResponseMessage response = await SendAsync(new HttpMethod(method), url, body: Alice, origin: _host.Origin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SetCookie(response, SessionCookie));
    }

    [Fact]
    public async Task Request_TokenInUrl_NeverReachesTheLog()
    {
        string marker = "secret-marker-" + Guid.NewGuid().ToString("N");

        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/me?access_token=" + marker);
        using HttpResponseMessage unknown = await SendAsync(HttpMethod.Get, "/nowhere/" + marker + "?access_token=" + marker);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        // The console logger writes from a background queue: give it time to catch up before looking.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(marker, _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_SessionTokenAsQueryValue_Returns400EvenWithAValidCookie()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/me?q=" + login.Cookie, login.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("mallory", "alice-password")]
    [InlineData("alice", null)]
    public async Task Login_WrongCredentials_Returns401WithoutSession(string user, string? password)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/login", body: new { user, password }, origin: _host.Origin);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(SetCookie(response, SessionCookie));
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData(null, null)]
    public async Task Login_FromAnotherSiteOrWithoutBrowserHeaders_Returns403(string? origin, string? fetchSite)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/login", body: Alice, origin: origin, fetchSite: fetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(SetCookie(response, SessionCookie));
    }

    [Fact]
    public async Task Login_WithAnExistingSessionCookie_RevokesItAndMintsANewOne()
    {
        Login first = await LoginAsync();

        using HttpResponseMessage again = await SendAsync(HttpMethod.Post, "/login", first.Cookie, body: Alice, origin: _host.Origin);
        using HttpResponseMessage old = await SendAsync(HttpMethod.Get, "/me", first.Cookie);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(first.Cookie, CookieValue(SetCookie(again, SessionCookie)!));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task Elevate_WithPassword_RegeneratesTheSessionAtLevelTwo()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage wrong = await SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf, new { password = "nope" });
        using HttpResponseMessage elevate = await SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf, new { password = "alice-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elevate.StatusCode);
        string elevated = CookieValue(SetCookie(elevate, SessionCookie)!);
        using JsonDocument json = await ReadJsonAsync(elevate);
        string newCsrf = json.RootElement.GetProperty("csrfToken").GetString()!;

        using HttpResponseMessage oldMe = await SendAsync(HttpMethod.Get, "/me", login.Cookie);
        using HttpResponseMessage newMe = await SendAsync(HttpMethod.Get, "/me", elevated);
        using HttpResponseMessage oldCsrf = await SendAsync(HttpMethod.Post, "/logout", elevated, login.Csrf);
        using HttpResponseMessage logout = await SendAsync(HttpMethod.Post, "/logout", elevated, newCsrf);

        Assert.NotEqual(login.Cookie, elevated);
        Assert.Equal(HttpStatusCode.Unauthorized, oldMe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newMe.StatusCode);
        using JsonDocument me = await ReadJsonAsync(newMe);
        Assert.Equal(2, me.RootElement.GetProperty("authenticationLevel").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, oldCsrf.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
    }

    [Fact]
    public async Task Tokens_IssueCallRefreshAndLogout_AccessAndRefreshDieWithTheSession()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage issued = await SendAsync(HttpMethod.Post, "/token", login.Cookie, login.Csrf);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        (string access, string refresh) = await ReadTokensAsync(issued);
        using HttpResponseMessage profile = await SendAsync(HttpMethod.Get, "/api/profile", bearer: access);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        using HttpResponseMessage refreshed = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        (string access2, string refresh2) = await ReadTokensAsync(refreshed);
        Assert.NotEqual(refresh, refresh2);

        using HttpResponseMessage logout = await SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);
        using HttpResponseMessage afterAccess = await SendAsync(HttpMethod.Get, "/api/profile", bearer: access2);
        using HttpResponseMessage afterRefresh = await RefreshAsync(refresh2);
        using HttpResponseMessage noBearer = await SendAsync(HttpMethod.Get, "/api/profile");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterAccess.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterRefresh.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(afterRefresh));
        Assert.Equal(HttpStatusCode.Unauthorized, noBearer.StatusCode);
        Assert.Equal("Bearer, DPoP " + Algs, Challenge(noBearer));
    }

    [Fact]
    public async Task Tokens_Responses_AreNeitherStoredNorCached()
    {
        Login login = await LoginAsync();

        using HttpResponseMessage issued = await SendAsync(HttpMethod.Post, "/token", login.Cookie, login.Csrf);
        (_, string refresh) = await ReadTokensAsync(issued);
        using HttpResponseMessage refreshed = await RefreshAsync(refresh);

        foreach (HttpResponseMessage response in new[] { issued, refreshed })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        }
    }

    [Theory]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_grant")]
    [InlineData("garbage", "invalid_grant")]
    [InlineData("", "invalid_request")]
    [InlineData(null, "invalid_request")]
    public async Task TokenRefresh_BadOrMissingToken_Returns400(string? token, string error)
    {
        using HttpResponseMessage response = await RefreshAsync(token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await ErrorAsync(response));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer \"quoted\"")]
    [InlineData("Bearer @@@")]
    public async Task Profile_MalformedAuthorizationHeader_Returns400InvalidRequest(string authorization)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "/api/profile");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));

        using HttpResponseMessage response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await ErrorAsync(response));
        Assert.Equal("Bearer error=\"invalid_request\", error_description=\"The request is malformed\", DPoP " + Algs, Challenge(response));
    }

    [Fact]
    public async Task Profile_RejectedToken_SaysNotWhy()
    {
        Login login = await LoginAsync();
        using HttpResponseMessage issued = await SendAsync(HttpMethod.Post, "/token", login.Cookie, login.Csrf);
        (string access, _) = await ReadTokensAsync(issued);
        using HttpResponseMessage logout = await SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);
        string forged = access[..^4] + (access.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        foreach (string token in new[] { access, forged, "not-a-jwt" })
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/api/profile", bearer: token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(InvalidTokenOnBearer, Challenge(response));
            using JsonDocument json = await ReadJsonAsync(response);
            Assert.Equal("invalid_token", json.RootElement.GetProperty("error").GetString());
            Assert.False(json.RootElement.TryGetProperty("message", out _));
        }
    }

    [Fact]
    public async Task Jwks_PublishesThePublicKeyOnly()
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = await ReadJsonAsync(response);
        JsonElement key = Assert.Single(json.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    private static object Alice => new { user = "alice", password = "alice-password" };

    private static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values)
            ? values.SingleOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    private static string CookieValue(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        using JsonDocument json = await ReadJsonAsync(response);
        return json.RootElement.GetProperty("error").GetString();
    }

    private static async Task<(string Access, string Refresh)> ReadTokensAsync(HttpResponseMessage response)
    {
        using JsonDocument json = await ReadJsonAsync(response);
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        Assert.True(json.RootElement.GetProperty("expires_in").GetInt64() > 0);
        return (json.RootElement.GetProperty("access_token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    private async Task<Login> LoginAsync()
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/login", body: Alice, origin: _host.Origin);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login answered {response.StatusCode}\n{_host.Log}");
        using JsonDocument json = await ReadJsonAsync(response);
        return new Login(CookieValue(SetCookie(response, SessionCookie)!), json.RootElement.GetProperty("csrfToken").GetString()!);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? cookie = null, string? csrf = null, object? body = null, string? origin = null, string? fetchSite = "same-origin", string? bearer = null)
    {
        using HttpRequestMessage request = new(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{SessionCookie}={cookie}");
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null && method != HttpMethod.Get)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(body ?? new { });
        }

        return await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string? refreshToken)
    {
        Dictionary<string, string> form = new(StringComparer.Ordinal) { ["grant_type"] = "refresh_token" };
        if (refreshToken is not null)
        {
            form["refresh_token"] = refreshToken;
        }

        using FormUrlEncodedContent content = new(form);
        return await _host.Client.PostAsync("/oauth/token", content, TestContext.Current.CancellationToken);
    }

    private sealed record Login(string Cookie, string Csrf);
}
