using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Diagnostics;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// The spec client (a user agent written from the DBSC text, not from this server) against
/// <see cref="DbscSessionService"/> on a real session manager: registration binds the session, the long-lived cookie
/// alone stops authenticating, refresh needs the registered key, and revocation ends the bound session.
/// </summary>
public sealed class DbscSessionServiceTests : IDisposable
{
    private static readonly Uri s_login = new(DbscServiceServer.Origin + "/login");
    private static readonly Uri s_app = new(DbscServiceServer.Origin + "/app");
    private static readonly Uri s_refresh = new(DbscServiceServer.Origin + "/dbsc/refresh");

    private readonly DbscServiceServer _server = new();
    private readonly DbscSpecClient _client;

    public DbscSessionServiceTests() => _client = new DbscSpecClient(_server.HandleAsync, _server.Fixture.Time, "ES256");

    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Register_AfterSignIn_BindsTheSessionToTheBrowserKey()
    {
        await _client.FetchAsync("GET", s_login);

        SpecSession dbsc = Assert.Single(_client.Sessions.Values);
        Session stored = await StoredSessionAsync();
        Assert.Equal(dbsc.Key.Thumbprint(), stored.KeyBinding!.Thumbprint);
        Assert.Equal("k" + dbsc.Key.Thumbprint(), dbsc.Id);
        Assert.Equal(s_refresh, dbsc.RefreshUrl);
        Assert.NotNull(_client.Cookies.Value("__Host-dbsc"));
        Assert.Equal([SpecOutcome.SessionCreated], _client.Outcomes);
    }

    [Fact]
    public async Task ValidateRequest_BoundSessionWithItsBoundCookie_IsAuthenticatedWithoutRefresh()
    {
        await _client.FetchAsync("GET", s_login);

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal([DbscRequestStatus.Bound], _server.AppResults);
        Assert.Equal([SpecOutcome.SessionCreated], _client.Outcomes);
    }

    [Fact]
    public async Task ValidateRequest_UnboundSession_IsAuthenticatedAsUnbound()
    {
        _server.OfferBinding = false;
        await _client.FetchAsync("GET", s_login);

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal([DbscRequestStatus.Unbound], _server.AppResults);
    }

    [Fact]
    public async Task ValidateRequest_RequireBindingPolicyAndUnboundSession_IsRefused()
    {
        using DbscServiceServer server = new(requireBinding: s => s.UserId == "alice") { OfferBinding = false };
        using DbscSpecClient client = new(server.HandleAsync, server.Fixture.Time, "ES256");
        await client.FetchAsync("GET", s_login);

        SpecResponse response = await client.FetchAsync("GET", s_app);

        Assert.Equal(401, response.Status);
        Assert.Equal([DbscRequestStatus.BindingRequired], server.AppResults);
    }

    [Fact]
    public async Task ValidateRequest_RequireBindingPolicyAfterRegistration_IsAuthenticated()
    {
        using DbscServiceServer server = new(requireBinding: _ => true);
        using DbscSpecClient client = new(server.HandleAsync, server.Fixture.Time, "ES256");
        await client.FetchAsync("GET", s_login);

        SpecResponse response = await client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal([DbscRequestStatus.Bound], server.AppResults);
    }

    [Fact]
    public async Task Refresh_AfterTheBoundCookieExpires_ProvesTheKeyAndRenewsIt()
    {
        await _client.FetchAsync("GET", s_login);
        string? first = _client.Cookies.Value("__Host-dbsc");
        _server.Fixture.Advance(TimeSpan.FromMinutes(2));

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(200, response.Status);
        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Refreshed], _client.Outcomes);
        Assert.Equal(
            [DbscEndpointStatus.Registered, DbscEndpointStatus.ChallengeIssued, DbscEndpointStatus.Refreshed],
            _server.EndpointResults.Select(r => r.Status));
        Assert.NotEqual(first, _client.Cookies.Value("__Host-dbsc"));
        Assert.Equal([DbscRequestStatus.Bound], _server.AppResults);
    }

    [Fact]
    public async Task ValidateRequest_StolenLongLivedCookieWithoutTheKey_IsRefusedAndReported()
    {
        await _client.FetchAsync("GET", s_login);
        string stolen = _client.Cookies.Value(DbscServiceServer.SessionCookie)!;

        // The thief has the long-lived cookie only: no bound cookie, no key, no DBSC session of its own.
        SpecResponse response = await _server.HandleAsync(new SpecRequest("GET", s_app, [new("Cookie", DbscServiceServer.SessionCookie + "=" + stolen)]));

        Assert.Equal(401, response.Status);
        Assert.Equal([DbscRequestStatus.BoundCookieMissing], _server.AppResults);
        BoundSessionReplaySuspected suspected = Assert.Single(_server.Fixture.Events.OfType<BoundSessionReplaySuspected>());
        Assert.Equal(BoundSessionReplayReason.BoundCookieMissing, suspected.Reason);
        Assert.Equal("alice", suspected.UserId);
        Assert.Equal(SessionValidationStatus.KeyBindingRequired, (await _server.Fixture.Manager.ValidateAsync(stolen, Ct)).Status);
    }

    [Fact]
    public async Task Refresh_StolenLongLivedCookieWithAnotherKey_IsRefusedAndReported()
    {
        await _client.FetchAsync("GET", s_login);
        string id = _client.Sessions.Keys.Single();
        using DbscSpecClient thief = new(_server.HandleAsync, _server.Fixture.Time, "ES256");
        _client.Cookies.CopyTo(thief.Cookies);
        thief.Cookies.Remove("__Host-dbsc");
        _client.ShareSessionsWith(thief);
        thief.ReplaceKey(id, SpecKey.Create("ES256"));

        SpecResponse response = await thief.FetchAsync("GET", s_app);

        Assert.Equal(401, response.Status);
        Assert.Equal(DbscProofStatus.InvalidSignature, _server.EndpointResults.Last().ProofStatus);
        Assert.Contains(_server.Fixture.Events.OfType<BoundSessionReplaySuspected>(), e => e.Reason == BoundSessionReplayReason.ProofByOtherKey);
        Assert.Null(thief.Cookies.Value("__Host-dbsc"));
    }

    [Fact]
    public async Task Refresh_ReusedChallenge_IsRefusedWithAFreshOne()
    {
        await _client.FetchAsync("GET", s_login);
        Session session = await StoredSessionAsync();
        string identifier = DbscSessionService.SessionIdentifierOf(session.KeyBinding!);
        SpecSession dbsc = _client.Sessions.Values.Single();
        DbscEndpointResult challenged = await _server.Service.RefreshAsync(LongLived(), identifier, null, Ct);
        string challenge = ChallengeOf(challenged);
        string proof = dbsc.Key.SignCompact(
            new System.Text.Json.Nodes.JsonObject { ["typ"] = "dbsc+jwt", ["alg"] = "ES256" },
            new System.Text.Json.Nodes.JsonObject { ["jti"] = challenge });

        DbscEndpointResult first = await _server.Service.RefreshAsync(LongLived(), identifier, "\"" + proof + "\"", Ct);
        DbscEndpointResult again = await _server.Service.RefreshAsync(LongLived(), identifier, "\"" + proof + "\"", Ct);

        Assert.Equal(DbscEndpointStatus.Refreshed, first.Status);
        Assert.Equal(DbscEndpointStatus.ProofRefused, again.Status);
        Assert.Equal(DbscProofStatus.ChallengeReplayed, again.ProofStatus);
        Assert.Equal(403, again.Answer.StatusCode);
        Assert.NotEqual(challenge, ChallengeOf(again));
    }

    [Fact]
    public async Task Refresh_SessionIdentifierOfAnotherSession_IsRefused()
    {
        await _client.FetchAsync("GET", s_login);

        DbscEndpointResult result = await _server.Service.RefreshAsync(LongLived(), "k" + new string('A', 43), null, Ct);
        DbscEndpointResult missing = await _server.Service.RefreshAsync(LongLived(), null, null, Ct);

        Assert.Equal(DbscEndpointStatus.SessionIdentifierMismatch, result.Status);
        Assert.Equal(400, result.Answer.StatusCode);
        Assert.Equal(DbscEndpointStatus.SessionIdentifierMismatch, missing.Status);
    }

    [Fact]
    public async Task Refresh_AfterRevocation_AnswersContinueFalse()
    {
        await _client.FetchAsync("GET", s_login);
        await _server.Fixture.Manager.RevokeAsync(LongLived(), RevocationReason.Logout, Ct);
        _server.Fixture.Advance(TimeSpan.FromMinutes(2));

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(401, response.Status);
        Assert.Equal(DbscEndpointStatus.SessionNotValid, _server.EndpointResults.Last().Status);
        Assert.Contains("\"continue\":false", System.Text.Encoding.UTF8.GetString(_server.EndpointResults.Last().Answer.Body.Span).Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(SpecOutcome.Terminated, _client.Outcomes.Last());
        Assert.Empty(_client.Sessions);
    }

    [Fact]
    public async Task ValidateRequest_AfterUserInvalidation_IsSessionNotValid()
    {
        await _client.FetchAsync("GET", s_login);
        await _server.Fixture.Manager.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, cancellationToken: Ct);

        SpecResponse response = await _client.FetchAsync("GET", s_app);

        Assert.Equal(401, response.Status);
        Assert.Equal([DbscRequestStatus.SessionNotValid], _server.AppResults);
    }

    [Fact]
    public async Task Regenerate_BoundSession_MovesTheBindingAndNeedsANewBoundCookie()
    {
        await _client.FetchAsync("GET", s_login);
        Session before = await StoredSessionAsync();

        SessionRegenerationResult regenerated = await _server.Fixture.Manager.RegenerateAsync(LongLived(), cancellationToken: Ct);
        Session after = regenerated.Session!;
        string newToken = regenerated.Value.Reveal();
        string oldBound = "__Host-dbsc=" + _client.Cookies.Value("__Host-dbsc");

        DbscRequestResult withOldBoundCookie = await _server.Service.ValidateRequestAsync(newToken, oldBound, null, Ct);
        string fresh = _server.Service.IssueBoundCookie(after);
        DbscRequestResult withNewBoundCookie = await _server.Service.ValidateRequestAsync(newToken, "__Host-dbsc=" + fresh.Split(';')[0].Split('=', 2)[1], null, Ct);

        Assert.Equal(before.KeyBinding, after.KeyBinding);
        Assert.Equal(DbscRequestStatus.BoundCookieInvalid, withOldBoundCookie.Status);
        Assert.Equal(DbscRequestStatus.Bound, withNewBoundCookie.Status);
        Assert.Equal(SessionValidationStatus.KeyBindingRequired, (await _server.Fixture.Manager.ValidateAsync(newToken, Ct)).Status);
    }

    [Fact]
    public async Task Register_SecondKeyForABoundSession_IsRefusedAndReported()
    {
        await _client.FetchAsync("GET", s_login);
        Session session = await StoredSessionAsync();
        // A registration challenge for this session, as a host that kept offering registration would hand out.
        string offer = _server.Service.CreateRegistrationHeader(session with { KeyBinding = null })!;
        string challenge = offer.Split("challenge=\"")[1].Split('"')[0];
        using SpecKey other = SpecKey.Create("ES256");
        string proof = other.SignCompact(
            new System.Text.Json.Nodes.JsonObject { ["typ"] = "dbsc+jwt", ["alg"] = "ES256", ["jwk"] = other.PublicJwk() },
            new System.Text.Json.Nodes.JsonObject { ["jti"] = challenge });

        DbscEndpointResult result = await _server.Service.RegisterAsync(LongLived(), "\"" + proof + "\"", Ct);

        Assert.Equal(DbscEndpointStatus.BoundToOtherKey, result.Status);
        Assert.Equal((await StoredSessionAsync()).KeyBinding, session.KeyBinding);
        Assert.Contains(_server.Fixture.Events.OfType<BoundSessionReplaySuspected>(), e => e.Reason == BoundSessionReplayReason.OtherKeyRegistration);
    }

    [Fact]
    public async Task Register_WithoutALiveSession_IsRefused()
    {
        DbscEndpointResult result = await _server.Service.RegisterAsync(null, "\"x.y.z\"", Ct);

        Assert.Equal(DbscEndpointStatus.SessionNotValid, result.Status);
        Assert.Equal(401, result.Answer.StatusCode);
    }

    [Fact]
    public async Task Register_HeaderThatIsNotAString_IsRefusedAsMalformed()
    {
        _server.OfferBinding = false;
        await _client.FetchAsync("GET", s_login);

        DbscEndpointResult result = await _server.Service.RegisterAsync(LongLived(), "not-a-string;x", Ct);

        Assert.Equal(DbscEndpointStatus.ProofRefused, result.Status);
        Assert.Equal(DbscProofStatus.Malformed, result.ProofStatus);
    }

    [Fact]
    public async Task Endpoints_StoreUnavailable_Answer503()
    {
        await _client.FetchAsync("GET", s_login);
        Session session = await StoredSessionAsync();
        _server.Fixture.Store.Fail = true;

        DbscEndpointResult refresh = await _server.Service.RefreshAsync(LongLived(), DbscSessionService.SessionIdentifierOf(session.KeyBinding!), null, Ct);
        DbscRequestResult request = await _server.Service.ValidateRequestAsync(LongLived(), null, null, Ct);

        Assert.Equal(DbscEndpointStatus.StoreUnavailable, refresh.Status);
        Assert.Equal(503, refresh.Answer.StatusCode);
        Assert.False(request.IsSuccess);
        Assert.Equal(SessionValidationStatus.StoreUnavailable, request.SessionStatus);
    }

    private static string ChallengeOf(DbscEndpointResult result) =>
        result.Answer.Headers.Last(h => h.Key == DbscHeaders.Challenge).Value.Split('"')[1];

    private string LongLived() => _client.Cookies.Value(DbscServiceServer.SessionCookie)!;

    private async Task<Session> StoredSessionAsync()
    {
        Assert.True(SessionCore.Tokens.SessionToken.TryParse(LongLived(), out SessionCore.Tokens.SessionToken? token));
        SessionCheck check = await _server.Fixture.Inner.ValidateAsync(token.Id, _server.Fixture.Manager.Rules, _server.Fixture.Time.GetUtcNow(), false, Ct);
        return check.Session!;
    }
}
