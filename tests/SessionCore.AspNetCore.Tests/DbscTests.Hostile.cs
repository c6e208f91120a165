using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// A hostile corpus for the registration and refresh endpoints: garbled, oversized, repeated and misplaced DBSC headers,
/// cookies and bodies, each with the exact answer it must get. None may reach a 500, set a cookie it should not, or
/// consume a challenge it did not prove.
/// </summary>
public sealed partial class DbscTests
{
    private const int Huge = 1024 * 1024;

    private static readonly Dictionary<string, HostileCase> s_hostile = new(StringComparer.Ordinal)
    {
        // Registration, on a live unbound session (U) offered challenge R.
        ["register/valid-control"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true))], 200),
        ["register/no-proof"] = new("/dbsc/register", c => [Unbound(c)], 400),
        ["register/empty-proof"] = new("/dbsc/register", c => [Unbound(c), Response("")], 400),
        ["register/garbled-proof"] = new("/dbsc/register", c => [Unbound(c), Response("(((;;;\"")], 400),
        ["register/inner-list-proof"] = new("/dbsc/register", c => [Unbound(c), Response("(a b c)")], 400),
        ["register/integer-proof"] = new("/dbsc/register", c => [Unbound(c), Response("42")], 400),
        ["register/non-ascii-proof"] = new("/dbsc/register", c => [Unbound(c), Response("\u00e9\u00e9\u00e9")], 400),
        ["register/huge-token-proof"] = new("/dbsc/register", c => [Unbound(c), Response(new string('a', Huge))], 400),
        ["register/huge-string-proof"] = new("/dbsc/register", c => [Unbound(c), Response("\"" + new string('a', Huge) + "\"")], 400),
        ["register/huge-open-paren-proof"] = new("/dbsc/register", c => [Unbound(c), Response(new string('(', Huge))], 400),
        ["register/repeated-proof"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true)), Response(Proof(c.NewKey, c.Registration, jwk: true))], 400),
        ["register/proof-as-list"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true) + ", x")], 400),
        ["register/proof-without-jwk"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration))], 400),
        ["register/proof-with-private-jwk"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwkValue: WithPrivateMember(c.NewKey)))], 400),
        ["register/proof-jwk-of-another-key"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwkValue: c.OtherKey.PublicJwk()))], 400),
        ["register/proof-alg-none"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true, alg: "none"))], 400),
        ["register/proof-alg-mismatch"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true, alg: "RS256"))], 400),
        ["register/proof-wrong-typ"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true, typ: "JWT"))], 400),
        ["register/proof-without-jti"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, null, jwk: true))], 400),
        ["register/proof-forged-jti"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, new string('A', 55), jwk: true))], 400),
        ["register/proof-refresh-challenge"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Refresh, jwk: true))], 400),
        ["register/proof-for-another-session"] = new("/dbsc/register", c => [Bound(c), Response(Proof(c.NewKey, c.Registration, jwk: true))], 400),
        ["register/no-session-cookie"] = new("/dbsc/register", c => [Response(Proof(c.NewKey, c.Registration, jwk: true))], 401),
        ["register/garbled-session-cookie"] = new("/dbsc/register", c => [("Cookie", "__Host-session=%%%"), Response(Proof(c.NewKey, c.Registration, jwk: true))], 401),
        ["register/duplicate-session-cookie"] = new("/dbsc/register", c => [("Cookie", $"{SessionCookie}={c.UnboundSession}; {SessionCookie}={c.UnboundSession}"), Response(Proof(c.NewKey, c.Registration, jwk: true))], 401),
        ["register/form-body-no-proof"] = new("/dbsc/register", c => [Unbound(c)], 400, Body: "form"),
        ["register/json-body-no-proof"] = new("/dbsc/register", c => [Unbound(c)], 400, Body: "json"),
        ["register/huge-body-valid-proof"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true))], 200, Body: "huge"),
        ["register/get"] = new("/dbsc/register", c => [Unbound(c), Response(Proof(c.NewKey, c.Registration, jwk: true))], 405, Method: "GET"),

        // Refresh, on a live bound session (S, identifier I, key K) with refresh challenge C.
        ["refresh/valid-control"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200),
        ["refresh/no-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier)], 403),
        ["refresh/quoted-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id("\"" + c.Identifier + "\""), Response(Proof(c.Key, c.Refresh))], 200),
        ["refresh/no-identifier"] = new("/dbsc/refresh", c => [Bound(c), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/empty-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id(""), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/garbled-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id("((\"\\"), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/other-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id("k" + new string('A', 43)), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/identifier-with-parameters"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier + ";a=1"), Response(Proof(c.Key, c.Refresh))], 200),
        ["refresh/repeated-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/huge-identifier"] = new("/dbsc/refresh", c => [Bound(c), Id(new string('k', Huge)), Response(Proof(c.Key, c.Refresh))], 400),
        // An empty field value reads as no field (the core's header reader): the browser is asked for a proof.
        ["refresh/empty-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response("")], 403),
        ["refresh/garbled-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response("!!!")], 400),
        ["refresh/non-ascii-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response("\u00ff")], 400),
        ["refresh/huge-token-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(new string('a', Huge))], 400),
        ["refresh/huge-string-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response("\"" + new string('\\', Huge) + "\"")], 400),
        ["refresh/repeated-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh)), Response(Proof(c.Key, c.Refresh))], 400),
        ["refresh/proof-three-dots"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response("a.b.c")], 400),
        ["refresh/proof-with-jwk"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh, jwk: true))], 400),
        ["refresh/proof-by-another-key"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.OtherKey, c.Refresh))], 400),
        ["refresh/proof-alg-none"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh, alg: "none"))], 400),
        ["refresh/proof-alg-hs256"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh, alg: "HS256"))], 400),
        ["refresh/proof-wrong-typ"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh, typ: "dpop+jwt"))], 400),
        ["refresh/proof-tampered"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Tamper(Proof(c.Key, c.Refresh)))], 400),
        // Signed by the registered key over a challenge that is not a live refresh challenge of this session: a fresh one (403).
        ["refresh/proof-without-jti"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, null))], 403),
        ["refresh/proof-forged-jti"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, new string('A', 55)))], 403),
        ["refresh/proof-registration-challenge"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Registration))], 403),
        ["refresh/no-session-cookie"] = new("/dbsc/refresh", c => [Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200, Terminated: true),
        ["refresh/garbled-session-cookie"] = new("/dbsc/refresh", c => [("Cookie", "__Host-session=\"\u0001\""), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200, Terminated: true),
        ["refresh/duplicate-session-cookie"] = new("/dbsc/refresh", c => [("Cookie", $"{SessionCookie}={c.Session}; {SessionCookie}={c.Session}"), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200, Terminated: true),
        ["refresh/unbound-session"] = new("/dbsc/refresh", c => [Unbound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200, Terminated: true),
        ["refresh/form-body-valid-proof"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 200, Body: "form"),
        ["refresh/put"] = new("/dbsc/refresh", c => [Bound(c), Id(c.Identifier), Response(Proof(c.Key, c.Refresh))], 405, Method: "PUT"),
    };

    public static TheoryData<string> HostileCases => [.. s_hostile.Keys];

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task Endpoint_HostileRequest_GetsItsExactAnswer(string name)
    {
        HostileCase hostile = s_hostile[name];
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser, "alice");
        SpecSession dbsc = browser.Sessions.Values.Single();
        string session = browser.Cookies.Value(SessionCookie)!;
        (string unbound, string registration) = await RawSignInAsync(app, "bob");
        string refresh = await RefreshChallengeAsync(app, ("Cookie", $"{SessionCookie}={session}"), ("Sec-Secure-Session-Id", dbsc.Id), dbsc.Id);
        using SpecKey newKey = SpecKey.Create("ES256");
        using SpecKey otherKey = SpecKey.Create("ES256");
        HostileContext context = new(session, dbsc.Id, dbsc.Key, refresh, unbound, registration, newKey, otherKey);

        using HttpRequestMessage request = new(new HttpMethod(hostile.Method), DbscTestApp.Url(hostile.Path));
        foreach ((string header, string value) in hostile.Headers(context))
        {
            Assert.True(request.Headers.TryAddWithoutValidation(header, value));
        }

        request.Content = hostile.Body switch
        {
            "form" => new FormUrlEncodedContent([new("Secure-Session-Response", Proof(newKey, registration, jwk: true))]),
            "json" => new StringContent("{\"session_identifier\":\"" + dbsc.Id + "\"}", Encoding.UTF8, "application/json"),
            "huge" => new ByteArrayContent(new byte[Huge]),
            _ => null,
        };
        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        byte[] body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(hostile.Status, (int)response.StatusCode);
        if (hostile.Status == 405)
        {
            return;
        }

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        string[] cookies = response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set) ? [.. set] : [];
        string[] challenges = response.Headers.TryGetValues("Secure-Session-Challenge", out IEnumerable<string>? c) ? [.. c] : [];
        if (hostile.Status == 200 && !hostile.Terminated)
        {
            Assert.StartsWith(BoundCookie + "=", Assert.Single(cookies), StringComparison.Ordinal);
        }
        else if (hostile.Terminated)
        {
            Assert.False(JsonNode.Parse(body)!["continue"]!.GetValue<bool>());
            Assert.StartsWith(BoundCookie + "=;", Assert.Single(cookies), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(cookies);
            Assert.Empty(body);
        }

        if (hostile.Status == 403)
        {
            Assert.NotEqual(refresh, ChallengeOf(Assert.Single(challenges), dbsc.Id));
        }
        else
        {
            Assert.Empty(challenges);
        }

        // A refused refresh never used up the challenge it did not prove: the browser's proper proof still goes through.
        if (hostile.Path == "/dbsc/refresh" && hostile.Status != 200)
        {
            SpecResponse proper = await app.SendRawAsync("POST", "/dbsc/refresh", ("Cookie", $"{SessionCookie}={session}"), ("Sec-Secure-Session-Id", dbsc.Id), ("Secure-Session-Response", Proof(dbsc.Key, refresh)));
            Assert.Equal(200, proper.Status);
        }
    }

    [Theory]
    [InlineData("skipped-garbled", true, 200)]
    [InlineData("skipped-huge", true, 200)]
    [InlineData("skipped-garbled", false, 401)]
    [InlineData("skipped-huge", false, 401)]
    [InlineData("skipped-repeated-garbage", false, 401)]
    [InlineData("bound-cookie-huge", false, 401)]
    [InlineData("bound-cookie-twice", true, 401)]
    [InlineData("bound-cookie-empty", false, 401)]
    [InlineData("bound-cookie-quoted", false, 401)]
    public async Task Request_HostileDbscHeaders_GetTheirExactAnswer(string name, bool withBoundCookie, int status)
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string session = $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}";
        string bound = $"{BoundCookie}={browser.Cookies.Value(BoundCookie)}";
        string cookies = withBoundCookie ? $"{session}; {bound}" : session;
        (string, string)[] headers = name switch
        {
            "skipped-garbled" => [("Cookie", cookies), ("Secure-Session-Skipped", "((;;session_identifier=")],
            "skipped-huge" => [("Cookie", cookies), ("Secure-Session-Skipped", string.Join(", ", Enumerable.Repeat("unreachable;session_identifier=\"x\"", 50_000)))],
            "skipped-repeated-garbage" => [("Cookie", cookies), ("Secure-Session-Skipped", "?"), ("Secure-Session-Skipped", "\u00ff")],
            "bound-cookie-huge" => [("Cookie", $"{session}; {BoundCookie}={new string('A', Huge)}")],
            "bound-cookie-twice" => [("Cookie", $"{cookies}; {bound}")],
            "bound-cookie-empty" => [("Cookie", $"{session}; {BoundCookie}=")],
            "bound-cookie-quoted" => [("Cookie", $"{session}; {BoundCookie}=\"{browser.Cookies.Value(BoundCookie)}\"")],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        SpecResponse response = await app.SendRawAsync("GET", "/me", headers);

        Assert.Equal(status, response.Status);
    }

    private static (string, string) Bound(HostileContext c) => ("Cookie", $"{SessionCookie}={c.Session}");

    private static (string, string) Unbound(HostileContext c) => ("Cookie", $"{SessionCookie}={c.UnboundSession}");

    private static (string, string) Id(string value) => ("Sec-Secure-Session-Id", value);

    private static (string, string) Response(string value) => ("Secure-Session-Response", value);

    private static JsonObject WithPrivateMember(SpecKey key)
    {
        JsonObject jwk = key.PublicJwk();
        jwk["d"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        return jwk;
    }

    /// <summary>Flips one character of the signature.</summary>
    private static string Tamper(string jws)
    {
        char[] chars = jws.ToCharArray();
        int i = jws.LastIndexOf('.') + 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private sealed record HostileContext(string Session, string Identifier, SpecKey Key, string Refresh, string UnboundSession, string Registration, SpecKey NewKey, SpecKey OtherKey);

    private sealed record HostileCase(string Path, Func<HostileContext, (string, string)[]> Headers, int Status, string Method = "POST", string? Body = null, bool Terminated = false);
}
