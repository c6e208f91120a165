using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dbsc;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// The spec client (a user agent written from the DBSC text) against a server assembled from the library's
/// DBSC writers and readers: the two sides are written independently, so each checks the other.
/// </summary>
public sealed class DbscSpecClientTests : IDisposable
{
    private static readonly Uri s_login = new(DbscWriterServer.Origin + "/login");
    private static readonly Uri s_app = new(DbscWriterServer.Origin + "/app");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DbscWriterServer _server;
    private readonly DbscSpecClient _client;

    public DbscSpecClientTests()
    {
        _server = new DbscWriterServer(_time);
        _client = new DbscSpecClient(_server.HandleAsync, _time);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Registration_FromTheLoginHeader_CreatesTheSessionAndTheBoundCookie()
    {
        await _client.FetchAsync("GET", s_login);

        SpecSession session = Assert.Single(_client.Sessions.Values);
        Assert.Equal("dbsc_1", session.Id);
        Assert.Equal(new Uri(DbscWriterServer.Origin + "/dbsc/refresh"), session.RefreshUrl);
        Assert.Equal(DbscWriterServer.Origin, session.ScopeOrigin);
        Assert.False(session.IncludeSite);
        Assert.Equal([("__Host-dbsc", "Path=/; Secure; HttpOnly; SameSite=Strict")], session.Credentials);
        Assert.Equal("ES256", session.Key.Algorithm);
        Assert.NotNull(_client.Cookies.Value("__Host-dbsc"));
        Assert.Equal(session.Key.Thumbprint(), _server.Sessions.Values.Single().Thumbprint);
        Assert.Equal([SpecOutcome.SessionCreated], _client.Outcomes);
    }

    [Fact]
    public async Task Registration_RequestCarriesWhatTheSpecRequires()
    {
        await _client.FetchAsync("GET", s_login);

        SpecRequest registration = _client.Sent[1];
        Assert.Equal("POST", registration.Method);
        Assert.Equal("/dbsc/register", registration.Url.AbsolutePath);
        Assert.Equal("auth-1", registration.Header("Authorization"));
        Assert.Null(registration.Header("Sec-Secure-Session-Id"));
        Assert.StartsWith("__Host-session=", registration.Header("Cookie"), StringComparison.Ordinal);
        string proof = DbscHeaderReader.ReadProof(registration.Header("Secure-Session-Response")).Value;
        (JsonObject header, JsonObject payload) = Decode(proof);
        Assert.Equal("dbsc+jwt", (string?)header["typ"]);
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal("EC", (string?)header["jwk"]?["kty"]);
        Assert.Null(header["jwk"]?["d"]);
        Assert.Equal("auth-1", (string?)payload["authorization"]);
        Assert.Equal(DbscChallengeService.ChallengeLength, ((string?)payload["jti"])?.Length);
    }

    [Fact]
    public async Task Registration_ServerOffersOnlyRs256_ClientUsesRs256()
    {
        _server.Offered = DbscAlgorithms.Rs256;

        await _client.FetchAsync("GET", s_login);

        Assert.Equal("RS256", Assert.Single(_client.Sessions.Values).Key.Algorithm);
        Assert.Equal(200, (await _client.FetchAsync("GET", s_app)).Status);
    }

    [Fact]
    public async Task Registration_NoSupportedAlgorithm_NothingSent()
    {
        using DbscSpecClient rsOnly = new(_server.HandleAsync, _time, "RS256");
        _server.Offered = DbscAlgorithms.Es256;

        await rsOnly.FetchAsync("GET", s_login);

        Assert.Single(rsOnly.Sent);
        Assert.Empty(rsOnly.Sessions);
    }

    [Fact]
    public async Task BoundRequest_WithAValidCookie_NoRefresh()
    {
        await _client.FetchAsync("GET", s_login);
        _client.Sent.Clear();

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal(["GET /app"], _client.Sent.Select(r => r.Method + " " + r.Url.AbsolutePath));
    }

    [Fact]
    public async Task CookieExpiry_RefreshGets403ThenSendsAProofAndANewCookie()
    {
        await _client.FetchAsync("GET", s_login);
        string? first = _client.Cookies.Value("__Host-dbsc");
        _time.Advance(TimeSpan.FromMinutes(10));
        _client.Sent.Clear();

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal(["POST /dbsc/refresh", "POST /dbsc/refresh", "GET /app"], _client.Sent.Select(r => r.Method + " " + r.Url.AbsolutePath));
        Assert.Null(_client.Sent[0].Header("Secure-Session-Response"));
        Assert.Equal("dbsc_1", DbscHeaderReader.ReadSessionIdentifier(_client.Sent[0].Header("Sec-Secure-Session-Id")).Value);
        (JsonObject header, JsonObject payload) = Decode(DbscHeaderReader.ReadProof(_client.Sent[1].Header("Secure-Session-Response")).Value);
        Assert.Null(header["jwk"]);
        Assert.Null(payload["authorization"]);
        Assert.Equal([DbscChallengeStatus.Valid], _server.ChallengeResults);
        Assert.NotEqual(first, _client.Cookies.Value("__Host-dbsc"));
        Assert.Equal(SpecOutcome.Refreshed, _client.Outcomes[^1]);
    }

    [Fact]
    public async Task PrimedChallenge_RefreshSendsItsProofAtOnce()
    {
        _server.PrimeChallenges = true;
        await _client.FetchAsync("GET", s_login);
        Assert.NotNull(_client.Sessions["dbsc_1"].CachedChallenge);
        _time.Advance(TimeSpan.FromMinutes(1));
        _client.Cookies.Remove("__Host-dbsc");
        _client.Sent.Clear();

        await _client.FetchAsync("GET", s_app);

        Assert.Equal(["POST /dbsc/refresh", "GET /app"], _client.Sent.Select(r => r.Method + " " + r.Url.AbsolutePath));
        Assert.NotNull(_client.Sent[0].Header("Secure-Session-Response"));
    }

    [Fact]
    public async Task PrimedChallengeOlderThanItsLifetime_RefusedThenAFreshOneWorks()
    {
        _server.PrimeChallenges = true;
        await _client.FetchAsync("GET", s_login);
        _time.Advance(TimeSpan.FromMinutes(10));
        _client.Sent.Clear();

        Assert.Equal(200, (await _client.FetchAsync("GET", s_app)).Status);

        Assert.Equal(["POST /dbsc/refresh", "POST /dbsc/refresh", "GET /app"], _client.Sent.Select(r => r.Method + " " + r.Url.AbsolutePath));
        Assert.Equal([DbscChallengeStatus.Expired, DbscChallengeStatus.Valid], _server.ChallengeResults);
    }

    [Fact]
    public async Task CachedChallengeUsedTwice_SecondRefreshIsChallengedAgain()
    {
        _server.PrimeChallenges = true;
        await _client.FetchAsync("GET", s_login);
        string cached = _client.Sessions["dbsc_1"].CachedChallenge!;

        Assert.Equal(SpecOutcome.Refreshed, await _client.RefreshAsync("dbsc_1"));
        _client.Sessions["dbsc_1"].CachedChallenge = cached;
        Assert.Equal(SpecOutcome.Refreshed, await _client.RefreshAsync("dbsc_1"));

        Assert.Equal([DbscChallengeStatus.Valid, DbscChallengeStatus.Replayed, DbscChallengeStatus.Valid], _server.ChallengeResults);
    }

    [Fact]
    public async Task WrongKey_RefreshRefused_SessionEnds()
    {
        await _client.FetchAsync("GET", s_login);
        _client.ReplaceKey("dbsc_1", SpecKey.Create("ES256"));
        _time.Advance(TimeSpan.FromMinutes(10));

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(SpecOutcome.Terminated, _client.Outcomes[^1]);
        Assert.Empty(_client.Sessions);
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task StolenLongLivedCookieWithoutTheKey_Refused()
    {
        await _client.FetchAsync("GET", s_login);
        using DbscSpecClient thief = new(_server.HandleAsync, _time) { NeverRefresh = true };
        thief.Cookies.Store($"{DbscWriterServer.SessionCookie}={_client.Cookies.Value(DbscWriterServer.SessionCookie)}; Path=/; Secure");

        Assert.Equal(401, (await thief.FetchAsync("GET", s_app)).Status);
        Assert.Equal(200, (await _client.FetchAsync("GET", s_app)).Status);
    }

    [Fact]
    public async Task Revocation_RefreshAnswersContinueFalse_SessionEnds()
    {
        await _client.FetchAsync("GET", s_login);
        _server.Sessions.Values.Single().Revoked = true;
        _time.Advance(TimeSpan.FromMinutes(10));

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(SpecOutcome.Terminated, _client.Outcomes[^1]);
        Assert.Empty(_client.Sessions);
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task SessionIdentifierMismatch_Refused_SessionEnds()
    {
        await _client.FetchAsync("GET", s_login);
        _server.Sessions.Values.Single().Identifier = "dbsc_other";

        Assert.Equal(SpecOutcome.Terminated, await _client.RefreshAsync("dbsc_1"));
    }

    [Fact]
    public async Task RefreshServerError_SessionKept_RequestSaysWhyTheCookieIsMissing()
    {
        await _client.FetchAsync("GET", s_login);
        _server.RefreshFails = true;
        _time.Advance(TimeSpan.FromMinutes(10));

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(401, response.Status);
        Assert.Single(_client.Sessions);
        DbscSkippedSession skipped = Assert.Single(_server.Skipped);
        Assert.Equal(DbscSkipReason.ServerError, skipped.Reason);
        Assert.Equal("dbsc_1", skipped.SessionIdentifier);
    }

    [Fact]
    public async Task ExcludedPath_NoRefreshForIt()
    {
        _server.ScopeRules = [new DbscScopeRule(DbscScopeRuleType.Exclude, "*", "/static")];
        await _client.FetchAsync("GET", s_login);
        _time.Advance(TimeSpan.FromMinutes(10));
        _client.Sent.Clear();

        await _client.FetchAsync("GET", new Uri(DbscWriterServer.Origin + "/static/app.css"));
        await _client.FetchAsync("GET", new Uri(DbscWriterServer.Origin + "/statics"));

        Assert.Equal(["GET /static/app.css", "POST /dbsc/refresh", "POST /dbsc/refresh", "GET /statics"], _client.Sent.Select(r => r.Method + " " + r.Url.AbsolutePath));
    }

    [Theory]
    [InlineData("example.com", "*", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("subdomain.example.com", "*.example.com", true)]
    [InlineData("example.com", "*example.com", false)]
    public void HostMatches_SpecExamples(string host, string pattern, bool expected) =>
        Assert.Equal(expected, DbscSpecClient.HostMatches(host, pattern));

    [Fact]
    public void BoundCookie_IssuedForTheClientSession_VerifiesAgainstTheSessionIdOfItsLongLivedCookie()
    {
        SessionId id = SessionId.FromTokenValue("sc_x");
        string thumbprint;
        using (SpecKey key = SpecKey.Create("ES256"))
        {
            thumbprint = key.Thumbprint();
        }

        string setCookie = _server.BoundCookies.Issue(id, thumbprint, _time.GetUtcNow().AddHours(1));
        _client.Cookies.Store(setCookie);

        Assert.True(_server.BoundCookies.VerifyCookieHeader(_client.Cookies.HeaderFor(s_app), id, thumbprint).IsSuccess);
    }

    private static (JsonObject Header, JsonObject Payload) Decode(string proof)
    {
        string[] parts = proof.Split('.');
        return ((JsonObject)JsonNode.Parse(Base64(parts[0]))!, (JsonObject)JsonNode.Parse(Base64(parts[1]))!);
    }

    private static string Base64(string part) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
}
