using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using SessionCore.AspNetCore.Dbsc;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// Device Bound Session Credentials through the ASP.NET Core package, end to end: the spec-written DBSC client signs in,
/// registers a key, sends requests with the short-lived bound cookie, lets it expire and refreshes it with the key, all
/// against the session-cookie scheme and <c>MapSessionCoreDbsc()</c> in TestServer.
/// </summary>
public sealed partial class DbscTests
{
    private const string SessionCookie = "__Host-session";
    private const string BoundCookie = "__Host-dbsc";
    private static readonly KeyValuePair<string, string> s_sameOrigin = new("Sec-Fetch-Site", "same-origin");

    [Fact]
    public async Task SignIn_DbscBrowser_RegistersAndAuthenticatesBound()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();

        await SignInAsync(browser);

        SpecSession dbsc = Assert.Single(browser.Sessions.Values);
        Assert.Equal("k" + dbsc.Key.Thumbprint(), dbsc.Id);
        Assert.Equal(DbscTestApp.Url("/dbsc/refresh"), dbsc.RefreshUrl);
        Assert.Equal(BoundCookie, Assert.Single(dbsc.Credentials).Name);
        Assert.Equal([SpecOutcome.SessionCreated], browser.Outcomes);
        JsonElement me = await MeAsync(browser, 200);
        Assert.True(me.GetProperty("bound").GetBoolean());
        Assert.Equal("Bound", me.GetProperty("binding").GetString());
    }

    [Fact]
    public async Task SignIn_Answers_FollowTheDraft()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();

        SpecResponse signIn = await browser.FetchAsync("POST", DbscTestApp.Url("/signin/alice"), s_sameOrigin);

        // §9.1: an inner list of the offered algorithms, the path and a challenge; nothing else.
        string offer = Assert.Single(signIn.All("Secure-Session-Registration"));
        Assert.Matches("^\\(ES256 RS256\\);path=\"/dbsc/register\";challenge=\"[A-Za-z0-9_-]{55}\"$", offer);
        Assert.Equal("no-store", Assert.Single(signIn.All("Cache-Control")));

        // The registration request (§8.8) and its answer (§9.6): 200, JSON instructions and the first bound cookie.
        SpecRequest register = Assert.Single(browser.Sent, r => r.Url.AbsolutePath == "/dbsc/register");
        Assert.NotNull(register.Header("Secure-Session-Response"));
        SpecResponse registered = await RegisterAgainAsync(app, browser);
        Assert.Equal(400, registered.Status); // the proof's challenge was used once already
    }

    [Fact]
    public async Task Register_Answer_CarriesInstructionsAndBoundCookie()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        (string session, string challenge) = await RawSignInAsync(app, "alice");
        using SpecKey key = SpecKey.Create("ES256");

        SpecResponse response = await app.SendRawAsync("POST", "/dbsc/register", ("Cookie", $"{SessionCookie}={session}"), ("Secure-Session-Response", Proof(key, challenge, jwk: true)));

        Assert.Equal(200, response.Status);
        Assert.Equal("no-store", Assert.Single(response.All("Cache-Control")));
        Assert.StartsWith("application/json", Assert.Single(response.All("Content-Type")), StringComparison.Ordinal);
        string cookie = Assert.Single(response.All("Set-Cookie"));
        Assert.Matches("^__Host-dbsc=[A-Za-z0-9_-]{119}; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Strict$", cookie);
        JsonObject json = JsonNode.Parse(response.Body)!.AsObject();
        Assert.Equal("k" + key.Thumbprint(), json["session_identifier"]!.GetValue<string>());
        Assert.Equal("/dbsc/refresh", json["refresh_url"]!.GetValue<string>());
        Assert.True(json["continue"]!.GetValue<bool>());
        Assert.False(json["scope"]!["include_site"]!.GetValue<bool>());
        JsonNode credential = Assert.Single(json["credentials"]!.AsArray())!;
        Assert.Equal("cookie", credential["type"]!.GetValue<string>());
        Assert.Equal(BoundCookie, credential["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_AfterTheBoundCookieExpires_RefreshesWithTheKeyFirst()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string first = browser.Cookies.Value(BoundCookie)!;

        app.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(browser.Cookies.Value(BoundCookie));
        JsonElement me = await MeAsync(browser, 200);

        Assert.True(me.GetProperty("bound").GetBoolean());
        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Refreshed], browser.Outcomes);
        Assert.NotEqual(first, browser.Cookies.Value(BoundCookie));

        // Demanded a proof (403 + challenge), then got one signed by the registered key over that challenge.
        SpecRequest[] refreshes = [.. browser.Sent.Where(r => r.Url.AbsolutePath == "/dbsc/refresh")];
        Assert.Equal(2, refreshes.Length);
        Assert.Null(refreshes[0].Header("Secure-Session-Response"));
        Assert.NotNull(refreshes[1].Header("Secure-Session-Response"));
        Assert.Empty(app.Events.All.OfType<BoundSessionReplaySuspected>());
    }

    [Fact]
    public async Task Request_ManyExpiries_RefreshEachTime()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync(o => o.BoundCookie.MaxAge = TimeSpan.FromSeconds(30));
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);

        for (int i = 0; i < 5; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(31));
            await MeAsync(browser, 200);
        }

        Assert.Equal(5, browser.Outcomes.Count(o => o == SpecOutcome.Refreshed));
    }

    [Fact]
    public async Task Request_LongLivedCookieAlone_IsRefusedWithAChallengeAndReported()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string stolen = browser.Cookies.Value(SessionCookie)!;
        string id = browser.Sessions.Keys.Single();

        SpecResponse thief = await app.SendRawAsync("GET", "/me", ("Cookie", $"{SessionCookie}={stolen}"));

        Assert.Equal(401, thief.Status);
        Assert.Equal("no-store", Assert.Single(thief.All("Cache-Control")));
        Assert.Matches("^\"[A-Za-z0-9_-]{55}\";id=\"" + Regex.Escape(id) + "\"$", Assert.Single(thief.All("Secure-Session-Challenge")));
        Assert.Empty(thief.All("Set-Cookie")); // the session cookie is not cleared: the owner's browser refreshes
        BoundSessionReplaySuspected replay = Assert.Single(app.Events.All.OfType<BoundSessionReplaySuspected>());
        Assert.Equal(BoundSessionReplayReason.BoundCookieMissing, replay.Reason);

        // The owner's browser, with both cookies, is unaffected.
        await MeAsync(browser, 200);
    }

    [Fact]
    public async Task Request_SkippedRefresh_IsRefusedWithoutAReplayReport()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string id = browser.Sessions.Keys.Single();

        SpecResponse response = await app.SendRawAsync(
            "GET",
            "/me",
            ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}"),
            ("Secure-Session-Skipped", "server_error;session_identifier=" + SpecStructuredFields.SerializeBare(id)));

        Assert.Equal(401, response.Status);
        Assert.Empty(app.Events.All.OfType<BoundSessionReplaySuspected>());
    }

    [Fact]
    public async Task Request_SkippedOnASecondHeaderLine_IsRefusedWithoutAReplayReport()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string id = browser.Sessions.Keys.Single();

        SpecResponse response = await app.SendRawAsync(
            "GET",
            "/me",
            ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}"),
            ("Secure-Session-Skipped", "unreachable;session_identifier=\"kOther\""),
            ("Secure-Session-Skipped", "quota_exceeded;session_identifier=" + SpecStructuredFields.SerializeBare(id)));

        Assert.Equal(401, response.Status);
        Assert.Empty(app.Events.All.OfType<BoundSessionReplaySuspected>());
    }

    [Fact]
    public async Task Request_BoundCookieOfAnotherSession_IsRefused()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient alice = app.NewBrowser();
        using DbscSpecClient bob = app.NewBrowser();
        await SignInAsync(alice, "alice");
        await SignInAsync(bob, "bob");

        SpecResponse mixed = await app.SendRawAsync("GET", "/me", ("Cookie", $"{SessionCookie}={alice.Cookies.Value(SessionCookie)}; {BoundCookie}={bob.Cookies.Value(BoundCookie)}"));

        Assert.Equal(401, mixed.Status);
        Assert.Equal(BoundSessionReplayReason.BoundCookieInvalid, Assert.Single(app.Events.All.OfType<BoundSessionReplaySuspected>()).Reason);
    }

    [Fact]
    public async Task Request_CopiedBoundCookieAfterItsExpiry_IsRefused()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string copied = $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}; {BoundCookie}={browser.Cookies.Value(BoundCookie)}";
        Assert.Equal(200, (await app.SendRawAsync("GET", "/me", ("Cookie", copied))).Status);

        app.Time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(401, (await app.SendRawAsync("GET", "/me", ("Cookie", copied))).Status);
    }

    [Fact]
    public async Task Refresh_WithAnotherKey_IsRefusedAndTheBrowserSessionEnds()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string id = browser.Sessions.Keys.Single();
        browser.ReplaceKey(id, SpecKey.Create("ES256"));

        app.Time.Advance(TimeSpan.FromMinutes(11));
        await MeAsync(browser, 401);

        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Terminated], browser.Outcomes);
        Assert.Empty(browser.Sessions);

        // The refused proof is reported; so is the request that went out afterwards with the long-lived cookie alone.
        Assert.Equal(
            [BoundSessionReplayReason.ProofByOtherKey, BoundSessionReplayReason.BoundCookieMissing],
            app.Events.All.OfType<BoundSessionReplaySuspected>().Select(e => e.Reason));
    }

    [Fact]
    public async Task Refresh_ReusedChallenge_IsAnsweredWithAFreshChallenge()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        SpecSession dbsc = browser.Sessions.Values.Single();
        (string Name, string Value) cookie = ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}");
        (string Name, string Value) sessionId = ("Sec-Secure-Session-Id", SpecStructuredFields.SerializeBare(dbsc.Id));
        string challenge = await RefreshChallengeAsync(app, cookie, sessionId, dbsc.Id);
        (string Name, string Value) proof = ("Secure-Session-Response", Proof(dbsc.Key, challenge));

        SpecResponse first = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId, proof);
        SpecResponse second = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId, proof);

        Assert.Equal(200, first.Status);
        Assert.StartsWith(BoundCookie + "=", Assert.Single(first.All("Set-Cookie")), StringComparison.Ordinal);
        Assert.Empty(first.Body);
        Assert.Equal(403, second.Status);
        Assert.Empty(second.All("Set-Cookie"));
        string fresh = ChallengeOf(Assert.Single(second.All("Secure-Session-Challenge")), dbsc.Id);
        Assert.NotEqual(challenge, fresh);
    }

    [Fact]
    public async Task Register_ReusedChallenge_IsRefused()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        (string session, string challenge) = await RawSignInAsync(app, "alice");
        using SpecKey key = SpecKey.Create("ES256");
        (string Name, string Value) cookie = ("Cookie", $"{SessionCookie}={session}");
        (string Name, string Value) proof = ("Secure-Session-Response", Proof(key, challenge, jwk: true));

        Assert.Equal(200, (await app.SendRawAsync("POST", "/dbsc/register", cookie, proof)).Status);
        SpecResponse again = await app.SendRawAsync("POST", "/dbsc/register", cookie, proof);

        Assert.Equal(400, again.Status);
        Assert.Empty(again.All("Set-Cookie"));
    }

    [Fact]
    public async Task Refresh_SessionIdentifierOfAnotherSession_IsRefused()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient alice = app.NewBrowser();
        using DbscSpecClient bob = app.NewBrowser();
        await SignInAsync(alice, "alice");
        await SignInAsync(bob, "bob");

        SpecResponse response = await app.SendRawAsync(
            "POST",
            "/dbsc/refresh",
            ("Cookie", $"{SessionCookie}={alice.Cookies.Value(SessionCookie)}"),
            ("Sec-Secure-Session-Id", SpecStructuredFields.SerializeBare(bob.Sessions.Keys.Single())));

        Assert.Equal(400, response.Status);
        Assert.Empty(response.All("Secure-Session-Challenge"));
    }

    [Fact]
    public async Task Refresh_WhileTheBoundCookieIsPresent_PassesTheCsrfMiddleware()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);

        // Browsers may refresh early: the request then rides on an authenticated session and carries no CSRF token.
        SpecOutcome outcome = await browser.RefreshAsync(browser.Sessions.Keys.Single());

        Assert.Equal(SpecOutcome.Refreshed, outcome);
    }

    [Fact]
    public async Task Refresh_UnderAFallbackPolicyThatRequiresAUser_StillReachesTheEndpoint()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync(requireAuthenticatedUserByDefault: true);
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);

        app.Time.Advance(TimeSpan.FromMinutes(11));
        await MeAsync(browser, 200);

        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Refreshed], browser.Outcomes);
    }

    [Fact]
    public async Task SignOut_DeletesTheBoundCookieAndTheNextRefreshEndsTheBrowserSession()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        string csrf = await SignInAsync(browser);

        SpecResponse signOut = await browser.FetchAsync("POST", DbscTestApp.Url("/logout"), s_sameOrigin, new("X-CSRF-Token", csrf));

        Assert.Equal(204, signOut.Status);
        Assert.Contains(signOut.All("Set-Cookie"), c => c.StartsWith(BoundCookie + "=;", StringComparison.Ordinal) && c.Contains("Max-Age=0", StringComparison.Ordinal));
        Assert.Null(browser.Cookies.Value(BoundCookie));
        Assert.Null(browser.Cookies.Value(SessionCookie));

        // The browser still holds its DBSC session; its next refresh learns that the session is over.
        await browser.FetchAsync("GET", DbscTestApp.Url("/me"));
        Assert.Equal(SpecOutcome.Terminated, browser.Outcomes[^1]);
        Assert.Empty(browser.Sessions);
    }

    [Fact]
    public async Task Refresh_RevokedSession_AnswersContinueFalse()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        SpecSession dbsc = browser.Sessions.Values.Single();
        string session = browser.Cookies.Value(SessionCookie)!;
        Assert.Equal(SessionOperationStatus.Done, await app.Services.GetRequiredService<SessionManager>().RevokeAsync(session, RevocationReason.Logout, TestContext.Current.CancellationToken));

        SpecResponse response = await app.SendRawAsync("POST", "/dbsc/refresh", ("Cookie", $"{SessionCookie}={session}"), ("Sec-Secure-Session-Id", dbsc.Id));

        Assert.Equal(200, response.Status);
        Assert.False(JsonNode.Parse(response.Body)!["continue"]!.GetValue<bool>());
        Assert.Contains(response.All("Set-Cookie"), c => c.StartsWith(BoundCookie + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Elevate_BoundSession_SetsABoundCookieForTheNewSession()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        string csrf = await SignInAsync(browser);
        string before = browser.Cookies.Value(BoundCookie)!;

        SpecResponse elevated = await browser.FetchAsync("POST", DbscTestApp.Url("/elevate"), s_sameOrigin, new("X-CSRF-Token", csrf));

        Assert.Equal(200, elevated.Status);
        Assert.Empty(elevated.All("Secure-Session-Registration"));
        Assert.NotEqual(before, browser.Cookies.Value(BoundCookie));
        JsonElement me = await MeAsync(browser, 200);
        Assert.True(me.GetProperty("bound").GetBoolean());
        Assert.Equal([SpecOutcome.SessionCreated], browser.Outcomes); // no refresh was needed
    }

    [Fact]
    public async Task SignIn_OverABoundSession_DeletesItsBoundCookieAndTheOldBrowserSessionEndsAtItsNextRefresh()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string first = browser.Sessions.Keys.Single();

        SpecResponse again = await browser.FetchAsync("POST", DbscTestApp.Url("/signin/alice"), s_sameOrigin);

        Assert.Equal(200, again.Status);
        Assert.Contains(again.All("Set-Cookie"), c => c.StartsWith(BoundCookie + "=;", StringComparison.Ordinal));
        Assert.Single(again.All("Secure-Session-Registration"));
        string second = Assert.Single(browser.Sessions.Keys, k => k != first);
        Assert.True((await MeAsync(browser, 200)).GetProperty("bound").GetBoolean());

        // Both DBSC sessions protect the same cookie name; once it expires, the old one's refresh names an identifier
        // the current session cookie does not have (400) and ends, the new one refreshes.
        app.Time.Advance(TimeSpan.FromMinutes(11));
        await MeAsync(browser, 200);
        Assert.Equal([second], browser.Sessions.Keys);
        Assert.Contains(SpecOutcome.Terminated, browser.Outcomes);
        Assert.Equal(SpecOutcome.Refreshed, browser.Outcomes[^1]);
    }

    [Fact]
    public async Task SignIn_BrowserWithoutDbsc_StaysUnboundAndAuthenticates()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser("none-supported");

        await SignInAsync(browser);
        JsonElement me = await MeAsync(browser, 200);

        Assert.False(me.GetProperty("bound").GetBoolean());
        Assert.Equal("Unbound", me.GetProperty("binding").GetString());
        Assert.Empty(browser.Outcomes);
    }

    [Fact]
    public async Task SignIn_OfferRegistrationOff_SendsNoRegistrationHeader()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync(o => o.OfferRegistration = false);
        using DbscSpecClient browser = app.NewBrowser();

        SpecResponse signIn = await browser.FetchAsync("POST", DbscTestApp.Url("/signin/alice"), s_sameOrigin);

        Assert.Equal(200, signIn.Status);
        Assert.Empty(signIn.All("Secure-Session-Registration"));
        Assert.Empty(browser.Sessions);
    }

    [Fact]
    public async Task RequireBinding_UnboundSession_IsRefusedAndOfferedRegistration()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync(o => o.RequireBinding = s => s.UserId == "staff");
        using DbscSpecClient legacy = app.NewBrowser("none-supported");
        using DbscSpecClient customer = app.NewBrowser("none-supported");
        using DbscSpecClient managed = app.NewBrowser();
        await SignInAsync(legacy, "staff");
        await SignInAsync(customer, "customer");
        await SignInAsync(managed, "staff");

        SpecResponse refused = await legacy.FetchAsync("GET", DbscTestApp.Url("/me"));

        Assert.Equal(401, refused.Status);
        Assert.StartsWith("(ES256 RS256);path=\"/dbsc/register\";challenge=", Assert.Single(refused.All("Secure-Session-Registration")), StringComparison.Ordinal);
        await MeAsync(customer, 200);
        Assert.True((await MeAsync(managed, 200)).GetProperty("bound").GetBoolean());
    }

    [Fact]
    public async Task Register_StoreFailsWhileBinding_Answers503()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        (string session, string challenge) = await RawSignInAsync(app, "alice");
        using SpecKey key = SpecKey.Create("ES256");
        app.Store.FailWhen = op => op == "BindKeyAsync";

        SpecResponse response = await app.SendRawAsync("POST", "/dbsc/register", ("Cookie", $"{SessionCookie}={session}"), ("Secure-Session-Response", Proof(key, challenge, jwk: true)));

        Assert.Equal(503, response.Status);
        Assert.Empty(response.All("Set-Cookie"));
        Assert.Equal("no-store", Assert.Single(response.All("Cache-Control")));
    }

    [Fact]
    public async Task Register_StoreFails_TheBrowserKeepsTryingLater()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        app.Store.FailWhen = op => op == "BindKeyAsync";
        using DbscSpecClient browser = app.NewBrowser();

        await SignInAsync(browser);

        Assert.Equal([SpecOutcome.Kept], browser.Outcomes);
        Assert.Empty(browser.Sessions);
    }

    [Theory]
    [InlineData("ValidateAsync")]
    [InlineData("TryUseOnceAsync")]
    public async Task Refresh_StoreFails_Answers503AndTheBrowserKeepsItsSession(string operation)
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        SpecSession dbsc = browser.Sessions.Values.Single();
        (string Name, string Value) cookie = ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}");
        (string Name, string Value) sessionId = ("Sec-Secure-Session-Id", SpecStructuredFields.SerializeBare(dbsc.Id));
        string challenge = await RefreshChallengeAsync(app, cookie, sessionId, dbsc.Id);

        app.Store.FailWhen = op => op == operation;
        SpecResponse response = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId, ("Secure-Session-Response", Proof(dbsc.Key, challenge)));

        Assert.Equal(503, response.Status);
        Assert.Empty(response.All("Set-Cookie"));
        Assert.Equal("no-store", Assert.Single(response.All("Cache-Control")));
    }

    [Fact]
    public async Task Request_StoreFails_IsNotAuthenticated()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        app.Store.Fail = true;

        SpecResponse response = await browser.FetchAsync("GET", DbscTestApp.Url("/me"));

        Assert.Equal(401, response.Status);
    }

    private static async Task<string> SignInAsync(DbscSpecClient browser, string user = "alice")
    {
        SpecResponse response = await browser.FetchAsync("POST", DbscTestApp.Url("/signin/" + user), s_sameOrigin);
        Assert.Equal(200, response.Status);
        return Encoding.UTF8.GetString(response.Body);
    }

    private static async Task<JsonElement> MeAsync(DbscSpecClient browser, int expectedStatus)
    {
        SpecResponse response = await browser.FetchAsync("GET", DbscTestApp.Url("/me"));
        Assert.Equal(expectedStatus, response.Status);
        if (response.Body.Length == 0)
        {
            return default;
        }

        using JsonDocument json = JsonDocument.Parse(response.Body);
        return json.RootElement.Clone();
    }

    /// <summary>Signs in without a DBSC browser: the session cookie's value and the registration challenge offered.</summary>
    private static async Task<(string Session, string Challenge)> RawSignInAsync(DbscTestApp app, string user)
    {
        SpecResponse response = await app.SendRawAsync("POST", "/signin/" + user, ("Sec-Fetch-Site", "same-origin"));
        Assert.Equal(200, response.Status);
        string setCookie = response.All("Set-Cookie").Single(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal));
        string session = setCookie[(SessionCookie.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
        Match challenge = Regex.Match(Assert.Single(response.All("Secure-Session-Registration")), "challenge=\"([^\"]+)\"");
        Assert.True(challenge.Success);
        return (session, challenge.Groups[1].Value);
    }

    private static async Task<string> RefreshChallengeAsync(DbscTestApp app, (string, string) cookie, (string, string) sessionId, string id)
    {
        SpecResponse response = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId);
        Assert.Equal(403, response.Status);
        return ChallengeOf(Assert.Single(response.All("Secure-Session-Challenge")), id);
    }

    private static string ChallengeOf(string header, string id)
    {
        SpecMember member = Assert.Single(SpecStructuredFields.ParseList(header)!);
        Assert.Equal(id, member.Parameter("id"));
        return Assert.IsType<string>(member.Item!.Value);
    }

    /// <summary>A DBSC proof (§9.10) signed by <paramref name="key"/>; the arguments bend it for the hostile cases.</summary>
    private static string Proof(SpecKey key, string? challenge, bool jwk = false, string typ = "dbsc+jwt", string? alg = null, JsonObject? jwkValue = null)
    {
        JsonObject header = new() { ["alg"] = alg ?? key.Algorithm, ["typ"] = typ };
        if (jwk || jwkValue is not null)
        {
            header["jwk"] = jwkValue ?? key.PublicJwk();
        }

        JsonObject payload = [];
        if (challenge is not null)
        {
            payload["jti"] = challenge;
        }

        return key.SignCompact(header, payload);
    }

    private static Task<SpecResponse> RegisterAgainAsync(DbscTestApp app, DbscSpecClient browser)
    {
        SpecRequest register = browser.Sent.Single(r => r.Url.AbsolutePath == "/dbsc/register");
        return app.SendAsync(register);
    }
}
