using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Browser sessions over HTTP: cookie, sign-in, CSRF, origin checks, step-up, session listing and revocation.</summary>
public sealed class BrowserSessionTests : IClassFixture<DemoHostFixture>, IDisposable
{
    private readonly DemoHostProcess _host;
    private readonly DemoClient _client;

    public BrowserSessionTests(DemoHostFixture fixture)
    {
        _host = fixture.Host;
        _client = _host.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Home_WithoutSession_ShowsSignInForm()
    {
        using HttpResponseMessage response = await _client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("action=\"/login\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ValidCredentials_SetsStrictHostCookieAndRedirects()
    {
        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", "alice"), ("password", "alice-password")), null, ("Origin", _host.Origin));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        string cookie = DemoClient.SetCookieHeader(response, DemoClient.SessionCookie)!;
        Assert.NotNull(cookie);
        string[] attributes = [.. cookie.Split(';').Skip(1).Select(a => a.Trim())];
        Assert.Contains("Secure", attributes);
        Assert.Contains("HttpOnly", attributes);
        Assert.Contains("SameSite=Strict", attributes);
        Assert.Contains("Path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("Domain", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("sc_", DemoClient.SetCookieValue(response, DemoClient.SessionCookie), StringComparison.Ordinal);
        Assert.StartsWith("scd_", DemoClient.SetCookieValue(response, DemoClient.DeviceCookie), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("alice", "")]
    [InlineData("mallory", "alice-password")]
    [InlineData("ALICE", "alice-password")]
    public async Task Login_BadCredentials_Returns401WithoutCookie(string user, string password)
    {
        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", user), ("password", password)), null, ("Origin", _host.Origin));

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        Assert.Null(DemoClient.SetCookieHeader(response, DemoClient.SessionCookie));
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401InvalidCredentials()
    {
        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", "bob"), ("password", "alice-password")), null, ("Origin", _host.Origin));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_credentials", await DemoClient.ErrorAsync(response));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("cross-site", null)]
    [InlineData("same-site", null)]
    [InlineData(null, "http://localhost")]
    [InlineData(null, "null")]
    [InlineData("same-origin", "http://evil.example")]
    public async Task Login_FailedOriginCheck_Returns403(string? secFetchSite, string? origin)
    {
        (string, string)[] headers = [.. new[] { ("Sec-Fetch-Site", secFetchSite), ("Origin", origin) }.Where(h => h.Item2 is not null).Select(h => (h.Item1, h.Item2!))];

        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", "alice"), ("password", "alice-password")), null, headers);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(DemoClient.SetCookieHeader(response, DemoClient.SessionCookie));
    }

    [Fact]
    public async Task Login_SameOriginFetchMetadataOnly_SignsIn()
    {
        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", "alice"), ("password", "alice-password")), null, ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Fact]
    public async Task Login_WithPresentedSessionCookie_RevokesItAndIssuesAnother()
    {
        string first = await _client.SignInAsync("alice", "alice-password");

        string second = await _client.SignInAsync("alice", "alice-password", presentedSession: first);

        Assert.NotEqual(first, second);
        Assert.Null(await _client.SessionInfoAsync(first));
        Assert.NotNull(await _client.SessionInfoAsync(second));
    }

    [Fact]
    public async Task Login_WithPlantedUnknownCookie_NeverAdoptsIt()
    {
        const string planted = "sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        string issued = await _client.SignInAsync("alice", "alice-password", presentedSession: planted);

        Assert.NotEqual(planted, issued);
        Assert.Null(await _client.SessionInfoAsync(planted));
    }

    [Fact]
    public async Task ApiSession_WithSession_ReturnsUserSessionAndCsrf()
    {
        string session = await _client.SignInAsync("bob", "bob-password");

        JsonElement? info = await _client.SessionInfoAsync(session);

        Assert.NotNull(info);
        Assert.Equal("bob", info.Value.GetProperty("user").GetString());
        Assert.Equal(43, info.Value.GetProperty("sessionId").GetString()!.Length);
        Assert.True(DateTimeOffset.TryParse(info.Value.GetProperty("createdAt").GetString(), out _));
        Assert.True(DateTimeOffset.TryParse(info.Value.GetProperty("authenticatedAt").GetString(), out _));
        Assert.Equal(86, info.Value.GetProperty("csrf").GetString()!.Length);
        Assert.DoesNotContain(session, info.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiSession_CsrfToken_IsMaskedAfreshEachTime()
    {
        string session = await _client.SignInAsync("bob", "bob-password");

        Assert.NotEqual(await _client.CsrfAsync(session), await _client.CsrfAsync(session));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("__Host-session=sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("__Host-session=not-a-token")]
    [InlineData("__Host-session=\"quoted\"")]
    [InlineData("__Host-session=a; __Host-session=b")]
    [InlineData(";;;===;;junk=")]
    public async Task ApiSession_WithoutLiveSession_Returns401Json(string? cookieHeader)
    {
        (string, string)[] headers = cookieHeader is null ? [] : [("Cookie", cookieHeader)];

        using HttpResponseMessage response = await _client.GetAsync("/api/session", null, headers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_authenticated", await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task Home_SignedIn_ShowsUserPageWithCsrfProtectedForms()
    {
        string session = await _client.SignInAsync("alice", "alice-password");

        using HttpResponseMessage response = await _client.GetAsync("/", session);

        string html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Signed in as alice", html, StringComparison.Ordinal);
        foreach (string action in new[] { "/logout", "/elevate", "/password", "/sessions/revoke-others" })
        {
            Assert.Contains($"action=\"{action}\"", html, StringComparison.Ordinal);
        }

        Assert.True(html.Split("name=\"csrf\"").Length - 1 >= 4);
        Assert.DoesNotContain(session, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logout_WithCsrfHeader_EndsSessionAndDeletesCookie()
    {
        string session = await _client.SignInAsync("alice", "alice-password");
        string csrf = await _client.CsrfAsync(session);

        using HttpResponseMessage response = await _client.PostFormAsync("/logout", [], session, ("X-CSRF-Token", csrf));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(string.Empty, DemoClient.SetCookieValue(response, DemoClient.SessionCookie));
        Assert.Contains("Max-Age=0", DemoClient.SetCookieHeader(response, DemoClient.SessionCookie), StringComparison.Ordinal);
        Assert.Null(await _client.SessionInfoAsync(session));
    }

    [Fact]
    public async Task Logout_WithCsrfFormField_EndsSession()
    {
        string session = await _client.SignInAsync("alice", "alice-password");
        string csrf = await _client.CsrfAsync(session);

        using HttpResponseMessage response = await _client.PostFormAsync("/logout", DemoClient.Form(("csrf", csrf)), session);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(await _client.SessionInfoAsync(session));
    }

    [Theory]
    [InlineData("/logout")]
    [InlineData("/elevate")]
    [InlineData("/password")]
    [InlineData("/sessions/revoke-others")]
    [InlineData("/sessions/revoke")]
    public async Task SessionPost_WithoutCsrf_Returns403AndChangesNothing(string path)
    {
        string session = await _client.SignInAsync("alice", "alice-password");

        using HttpResponseMessage response = await _client.PostFormAsync(
            path, DemoClient.Form(("password", "alice-password"), ("current", "alice-password"), ("new", "another-password-123")), session);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("csrf_token_invalid", await DemoClient.ErrorAsync(response));
        Assert.Null(DemoClient.SetCookieHeader(response, DemoClient.SessionCookie));
        Assert.NotNull(await _client.SessionInfoAsync(session));
    }

    [Fact]
    public async Task SessionPost_CsrfTokenOfAnotherSession_Returns403()
    {
        string victim = await _client.SignInAsync("alice", "alice-password");
        string attacker = await _client.SignInAsync("bob", "bob-password");
        string attackerCsrf = await _client.CsrfAsync(attacker);

        using HttpResponseMessage response = await _client.PostFormAsync("/logout", DemoClient.Form(("csrf", attackerCsrf)), victim);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(await _client.SessionInfoAsync(victim));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public async Task SessionPost_ForgedCsrf_Returns403(string forged)
    {
        string session = await _client.SignInAsync("alice", "alice-password");

        using HttpResponseMessage response = await _client.PostFormAsync("/logout", DemoClient.Form(("csrf", forged)), session);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(await _client.SessionInfoAsync(session));
    }

    [Fact]
    public async Task SessionPost_CrossSiteWithValidCsrf_Returns403()
    {
        string session = await _client.SignInAsync("alice", "alice-password");
        string csrf = await _client.CsrfAsync(session);

        using HttpResponseMessage response = await _client.PostFormAsync(
            "/logout", DemoClient.Form(("csrf", csrf)), session, ("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("cross_origin_request", await DemoClient.ErrorAsync(response));
        Assert.NotNull(await _client.SessionInfoAsync(session));
    }

    [Fact]
    public async Task SessionPost_WithoutSession_Returns401()
    {
        using HttpResponseMessage response = await _client.PostFormAsync("/logout", DemoClient.Form(("csrf", "x")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Elevate_RightPassword_RegeneratesSessionAndKillsOldCookie()
    {
        string session = await _client.SignInAsync("alice", "alice-password");
        JsonElement before = (await _client.SessionInfoAsync(session))!.Value;
        string csrf = before.GetProperty("csrf").GetString()!;

        using HttpResponseMessage response = await _client.PostFormAsync("/elevate", DemoClient.Form(("password", "alice-password")), session, ("X-CSRF-Token", csrf));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        string? renewed = DemoClient.SetCookieValue(response, DemoClient.SessionCookie);
        Assert.False(string.IsNullOrEmpty(renewed));
        Assert.NotEqual(session, renewed);
        Assert.Null(await _client.SessionInfoAsync(session));
        JsonElement after = (await _client.SessionInfoAsync(renewed))!.Value;
        Assert.Equal(2, after.GetProperty("authenticationLevel").GetInt32());
        Assert.NotEqual(before.GetProperty("sessionId").GetString(), after.GetProperty("sessionId").GetString());
        Assert.Equal("alice", after.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Elevate_WrongPassword_Returns401AndKeepsSession()
    {
        string session = await _client.SignInAsync("alice", "alice-password");
        string csrf = await _client.CsrfAsync(session);

        using HttpResponseMessage response = await _client.PostFormAsync("/elevate", DemoClient.Form(("password", "bob-password")), session, ("X-CSRF-Token", csrf));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(DemoClient.SetCookieHeader(response, DemoClient.SessionCookie));
        Assert.Equal(1, (await _client.SessionInfoAsync(session))!.Value.GetProperty("authenticationLevel").GetInt32());
    }

    [Fact]
    public async Task Sessions_ListAndRevokeOthers_KeepsOnlyCurrent()
    {
        string other1 = await _client.SignInAsync("bob", "bob-password");
        string other2 = await _client.SignInAsync("bob", "bob-password");
        string current = await _client.SignInAsync("bob", "bob-password");
        using HttpResponseMessage listing = await _client.GetAsync("/api/sessions", current);
        JsonElement list = await DemoClient.JsonAsync(listing);
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.True(list.GetArrayLength() >= 3);
        Assert.Single(list.EnumerateArray(), s => s.GetProperty("current").GetBoolean());
        string csrf = await _client.CsrfAsync(current);

        using HttpResponseMessage response = await _client.PostFormAsync("/sessions/revoke-others", DemoClient.Form(("csrf", csrf)), current);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(await _client.SessionInfoAsync(other1));
        Assert.Null(await _client.SessionInfoAsync(other2));
        Assert.NotNull(await _client.SessionInfoAsync(current));
        using HttpResponseMessage after = await _client.GetAsync("/api/sessions", current);
        Assert.Equal(1, (await DemoClient.JsonAsync(after)).GetArrayLength());
    }

    [Fact]
    public async Task Sessions_RevokeOne_EndsOnlyThatSession()
    {
        string other = await _client.SignInAsync("alice", "alice-password");
        string current = await _client.SignInAsync("alice", "alice-password");
        string otherId = (await _client.SessionInfoAsync(other))!.Value.GetProperty("sessionId").GetString()!;
        string csrf = await _client.CsrfAsync(current);

        using HttpResponseMessage response = await _client.PostFormAsync("/sessions/revoke", DemoClient.Form(("csrf", csrf), ("session", otherId)), current);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(await _client.SessionInfoAsync(other));
        Assert.NotNull(await _client.SessionInfoAsync(current));
    }

    [Fact]
    public async Task Sessions_RevokeSessionOfAnotherUser_DoesNothing()
    {
        string victim = await _client.SignInAsync("alice", "alice-password");
        string victimId = (await _client.SessionInfoAsync(victim))!.Value.GetProperty("sessionId").GetString()!;
        string attacker = await _client.SignInAsync("bob", "bob-password");
        string csrf = await _client.CsrfAsync(attacker);

        using HttpResponseMessage response = await _client.PostFormAsync("/sessions/revoke", DemoClient.Form(("csrf", csrf), ("session", victimId)), attacker);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.NotNull(await _client.SessionInfoAsync(victim));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/session")]
    [InlineData("/nope")]
    public async Task AnyResponse_CarriesSecurityHeaders(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
    }
}
