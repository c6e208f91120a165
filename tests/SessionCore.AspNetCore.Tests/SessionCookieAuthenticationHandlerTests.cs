using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class SessionCookieAuthenticationHandlerTests
{
    [Fact]
    public async Task SignIn_ValidUser_SetsHostCookieAndPrincipalCarriesSessionIdNotToken()
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage login = await app.SendAsync(HttpMethod.Post, "/login", form: Http.Form(("user", "alice")));
        string setCookie = Http.SetCookie(login, TestApp.SessionCookie)!;
        string token = Http.CookieValue(setCookie);
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", token);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Matches("^__Host-session=sc_[A-Za-z0-9_-]{43}; Max-Age=[0-9]+; Path=/; Secure; HttpOnly; SameSite=Strict$", setCookie);
        Assert.True(login.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        JsonElement json = await Http.JsonAsync(me);
        Assert.Equal("alice", json.GetProperty("sub").GetString());
        Assert.True(SessionToken.TryParse(token, out SessionToken? parsed));
        Assert.Equal(parsed.Id.ToString(), json.GetProperty("sid").GetString());
        Assert.DoesNotContain(token, json.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("1", json.GetProperty("level").GetString());
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("authTime").GetString());
        Assert.Equal(["pwd"], json.GetProperty("amr").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public async Task Authenticate_IdleTimeoutPassed_Returns401()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        app.Time.Advance(TimeSpan.FromMinutes(31));
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task SignOut_RevokesTheSessionAndDeletesTheCookie()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        using HttpResponseMessage logout = await app.SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.StartsWith("__Host-session=; Max-Age=0;", Http.SetCookie(logout, TestApp.SessionCookie), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.True(SessionToken.TryParse(login.Cookie, out SessionToken? token));
        Assert.Equal(SessionValidationStatus.Revoked, (await app.Sessions.ValidateAsync(token, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task SignIn_PlantedUnknownCookie_IsNeverAdopted()
    {
        await using TestApp app = await TestApp.StartAsync();
        string planted = "sc_" + new string('A', 43);

        Login login = await app.LoginAsync(cookie: planted);
        using HttpResponseMessage withPlanted = await app.SendAsync(HttpMethod.Get, "/me", planted);

        Assert.NotEqual(planted, login.Cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, withPlanted.StatusCode);
    }

    [Fact]
    public async Task SignIn_PlantedLiveCookieOfAnotherAccount_RevokesItAndMintsANewSession()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login attacker = await app.LoginAsync("mallory");

        Login victim = await app.LoginAsync("alice", cookie: attacker.Cookie);
        using HttpResponseMessage attackerAfter = await app.SendAsync(HttpMethod.Get, "/me", attacker.Cookie);
        using HttpResponseMessage victimMe = await app.SendAsync(HttpMethod.Get, "/me", victim.Cookie);

        Assert.NotEqual(attacker.Cookie, victim.Cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, attackerAfter.StatusCode);
        Assert.Equal("alice", (await Http.JsonAsync(victimMe)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task RegenerateSession_StepUp_NewCookieAtLevelTwoAndOldOneDead()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        using HttpResponseMessage elevate = await app.SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf);
        string elevated = Http.CookieValue(Http.SetCookie(elevate, TestApp.SessionCookie)!);
        using HttpResponseMessage oldMe = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);
        using HttpResponseMessage newMe = await app.SendAsync(HttpMethod.Get, "/me", elevated);

        Assert.Equal(HttpStatusCode.OK, elevate.StatusCode);
        Assert.NotEqual(login.Cookie, elevated);
        Assert.Equal(HttpStatusCode.Unauthorized, oldMe.StatusCode);
        Assert.Equal("2", (await Http.JsonAsync(newMe)).GetProperty("level").GetString());
    }

    [Fact]
    public async Task Authenticate_UserInvalidated_Returns401()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        await app.Sessions.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, cancellationToken: TestContext.Current.CancellationToken);
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Authenticate_StoreFails_Returns401NeverAServerError()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        app.Store.Fail = true;
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);
        using HttpResponseMessage logout = await app.SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);
        app.Store.Fail = false;
        using HttpResponseMessage after = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Authenticate_StoreThrowsUnexpectedException_Returns401()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        app.Store.FailureToThrow = new InvalidOperationException("driver bug");
        app.Store.Fail = true;
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode> HostileCookies() => new()
    {
        { "__Host-session=", HttpStatusCode.Unauthorized },
        { "__Host-session=junk", HttpStatusCode.Unauthorized },
        { "__Host-session=sc_" + new string('A', 43), HttpStatusCode.Unauthorized },
        { "__Host-session=sc_" + new string('A', 42) + "!", HttpStatusCode.Unauthorized },
        { "__Host-session=sc_" + new string('A', 44), HttpStatusCode.Unauthorized },
        { "__Host-session=\"sc_" + new string('A', 43) + "\"", HttpStatusCode.Unauthorized },
        { "__Host-session=" + new string('x', 5000), HttpStatusCode.Unauthorized },
        { "a=" + new string('x', 9000) + "; __Host-session=sc_" + new string('A', 43), HttpStatusCode.Unauthorized },
        { "__Host-session=a; __Host-session=b", HttpStatusCode.Unauthorized },
        { "__Host-session=sc_\u00e9\u00e9", HttpStatusCode.Unauthorized },
        { ";;;;;;", HttpStatusCode.Unauthorized },
        { "=; =; ==", HttpStatusCode.Unauthorized },
        { string.Concat(Enumerable.Repeat("c=1; ", 400)), HttpStatusCode.Unauthorized },
        { "__host-session=sc_" + new string('A', 43), HttpStatusCode.Unauthorized },
        { "__Host-session=%73%63%5F", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(HostileCookies))]
    public async Task Authenticate_HostileCookieHeader_AnswersExactStatus(string header, HttpStatusCode expected)
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", rawCookieHeader: header);
        using HttpResponseMessage logout = await app.SendAsync(HttpMethod.Post, "/logout", rawCookieHeader: header);

        Assert.Equal(expected, me.StatusCode);
        Assert.Equal(expected, logout.StatusCode);
    }

    [Fact]
    public async Task Authenticate_ValidCookieAmongManyAndSplitHeaders_Returns200()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        using HttpRequestMessage request = new(HttpMethod.Get, "/me");
        Assert.True(request.Headers.TryAddWithoutValidation("Cookie", ["theme=dark", $"__Host-session={login.Cookie}"]));
        using HttpResponseMessage me = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }
}
