using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

// RFC 9449 §7 through AddSessionCoreBearer(o => o.AcceptDpop = true): every refusal with its exact status and challenge.
public sealed partial class SessionCoreBearerHandlerTests
{
    internal const string Algs = "algs=\"ES256 EdDSA Ed25519\"";
    internal const string BothNoError = "Bearer, DPoP " + Algs;
    internal const string InvalidProof = "Bearer, DPoP error=\"invalid_dpop_proof\", error_description=\"Invalid DPoP proof\", " + Algs;
    internal const string InvalidTokenOnDpop = "Bearer, DPoP error=\"invalid_token\", error_description=\"Invalid token\", " + Algs;
    internal const string InvalidTokenOnBearer = "Bearer error=\"invalid_token\", error_description=\"Invalid token\", DPoP " + Algs;
    internal const string InvalidRequestOnBearer = "Bearer error=\"invalid_request\", error_description=\"The request is malformed\", DPoP " + Algs;
    internal const string InvalidRequestOnDpop = "Bearer, DPoP error=\"invalid_request\", error_description=\"The request is malformed\", " + Algs;
    internal const string UseNonce = "Bearer, DPoP error=\"use_dpop_nonce\", error_description=\"A DPoP nonce is required; use the DPoP-Nonce value\", " + Algs;

    [Fact]
    public async Task Dpop_BoundTokenWithValidProof_Returns200WithTheKeyThumbprint()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Http.JsonAsync(response);
        Assert.Equal("alice", json.GetProperty("sub").GetString());
        Assert.Equal(client.Thumbprint, json.GetProperty("jkt").GetString());
        Assert.False(response.Headers.Contains("DPoP-Nonce"));
    }

    [Fact]
    public async Task Dpop_UnboundBearerToken_Returns200WithoutThumbprint()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Http.JsonAsync(response)).GetProperty("jkt").ValueKind);
    }

    [Fact]
    public async Task Dpop_BoundTokenPresentedAsBearer_Returns401InvalidTokenOnTheBearerChallenge()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        // Downgrade (RFC 9449 §7.2), with and without a valid proof alongside.
        using HttpResponseMessage bare = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);
        using HttpResponseMessage withProof = await client.SendAsync(HttpMethod.Get, "/api/me", access, scheme: "Bearer");

        foreach (HttpResponseMessage response in new[] { bare, withProof })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(InvalidTokenOnBearer, Challenge(response));
            Assert.Equal("{\"error\":\"invalid_token\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Dpop_NoCredentials_Returns401ChallengingBothSchemes()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(BothNoError, Challenge(response));
    }

    [Theory]
    [InlineData("POST", "http://localhost/api/me")]
    [InlineData("GET", "http://localhost/api/other")]
    [InlineData("GET", "https://localhost/api/me")]
    [InlineData("GET", "http://evil.example/api/me")]
    public async Task Dpop_ProofForAnotherMethodOrUrl_Returns401InvalidDpopProof(string method, string url)
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof(method, url, access)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidProof, Challenge(response));
        Assert.Equal("{\"error\":\"invalid_dpop_proof\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dpop_ProofWithoutTheTokenHash_Returns401InvalidDpopProof()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "http://localhost/api/me")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidProof, Challenge(response));
    }

    [Fact]
    public async Task Dpop_ReplayedProof_SecondUseReturns401InvalidDpopProof()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);
        string proof = client.Proof("GET", "http://localhost/api/me", access);

        using HttpResponseMessage first = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", proof));
        using HttpResponseMessage second = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", proof));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(InvalidProof, Challenge(second));
    }

    [Fact]
    public async Task Dpop_ProofByAnotherKey_Returns401InvalidTokenOnTheDpopChallenge()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient owner = new(app);
        using DpopTestClient thief = new(app);
        string access = await DpopGrantAsync(owner);

        using HttpResponseMessage response = await thief.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidTokenOnDpop, Challenge(response));
    }

    [Fact]
    public async Task Dpop_DpopSchemeWithoutProof_Returns401InvalidDpopProof()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access, proof: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidProof, Challenge(response));
    }

    [Fact]
    public async Task Dpop_UnboundTokenUnderDpopScheme_Returns401InvalidToken()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidTokenOnDpop, Challenge(response));
    }

    [Fact]
    public async Task Dpop_NonceRequired_ChallengesWithANonceThenAcceptsAndRotates()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireNonce = true);
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);
        client.Nonce = null;

        using HttpResponseMessage first = await client.SendAsync(HttpMethod.Get, "/api/me", access);
        string? nonce = client.Nonce;
        using HttpResponseMessage second = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(UseNonce, Challenge(first));
        Assert.Equal("{\"error\":\"use_dpop_nonce\"}", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotNull(nonce);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.Contains("DPoP-Nonce"));
    }

    [Fact]
    public async Task Dpop_NonceRequired_StaleNonceIsChallengedAgain()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireNonce = true);
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);
        client.Nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(UseNonce, Challenge(response));
        Assert.NotEqual("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", client.Nonce);
    }

    [Fact]
    public async Task Dpop_RequireBoundTokens_RefusesBearerTokensAndChallengesDpopOnly()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireBoundTokens = true);
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage bearer = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: "eyJhbGciOiJFUzI1NiJ9.e30.AAAA");
        using HttpResponseMessage none = await app.SendAsync(HttpMethod.Get, "/api/me");
        using HttpResponseMessage bound = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal("DPoP error=\"invalid_token\", error_description=\"Invalid token\", " + Algs, Challenge(bearer));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("DPoP " + Algs, Challenge(none));
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
    }

    [Fact]
    public async Task Dpop_RequireBoundTokens_ValidUnboundTokenIsRefused()
    {
        // The token is valid (issued by the same server before DPoP was required): refused all the same.
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireBoundTokens = true);
        Sessions.SignInResult signIn = await app.Sessions.SignInAsync(new Sessions.SignInRequest("alice"), TestContext.Current.CancellationToken);
        string access = app.Services.GetRequiredService<Jwt.AccessTokenIssuer>().Issue(Jwt.AccessTokenRequest.ForSession(signIn.Session!));
        Assert.True((await app.Services.GetRequiredService<Jwt.AccessTokenValidator>().ValidateAsync(access, TestContext.Current.CancellationToken)).IsSuccess);

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("DPoP error=\"invalid_token\", error_description=\"Invalid token\", " + Algs, Challenge(response));
    }

    [Fact]
    public async Task Dpop_StoreFails_Returns503NeverAuthenticated()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        app.Store.Fail = true;
        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        Assert.Equal("{\"error\":\"temporarily_unavailable\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dpop_OnlyTheReplayCacheFails_Returns503()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        app.Store.FailWhen = operation => operation == "TryUseOnceAsync";
        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("access_token", false)]
    [InlineData("x", false)]
    [InlineData("dpop", true)]
    public async Task Dpop_TokenOrProofInUrl_Returns400InvalidRequestEvenWithAValidProof(string parameter, bool proofInUrl)
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);
        string path = "/api/me?" + parameter + "=" + (proofInUrl ? client.Proof("GET", "http://localhost/api/me", access) : access);

        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, path, ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "http://localhost/api/me", access)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InvalidRequestOnBearer, Challenge(response));
    }

    [Fact]
    public async Task Dpop_PublicOrigin_IsTheHtuOriginWhateverTheHostHeader()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { }, bearer: o => o.PublicOrigin = "https://api.example:8443");
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage ok = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "https://api.example:8443/api/me", access)));
        using HttpResponseMessage asHost = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "http://localhost/api/me", access)));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asHost.StatusCode);
        Assert.Equal(InvalidProof, Challenge(asHost));
    }

    [Fact]
    public async Task Dpop_PathBase_IsPartOfTheHtu()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { }, pipeline: a => a.UsePathBase("/tenant"));
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage ok = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/tenant/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "http://localhost/tenant/api/me", access)));
        using HttpResponseMessage withoutBase = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/tenant/api/me", ("Authorization", "DPoP " + access), ("DPoP", client.Proof("GET", "http://localhost/api/me", access)));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutBase.StatusCode);
    }

    [Fact]
    public async Task Dpop_Realm_IsOnBothChallenges()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { }, bearer: o => o.Realm = "api");
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage none = await app.SendAsync(HttpMethod.Get, "/api/me");
        using HttpResponseMessage downgrade = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal("Bearer realm=\"api\", DPoP realm=\"api\", " + Algs, Challenge(none));
        Assert.Equal("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"Invalid token\", DPoP realm=\"api\", " + Algs, Challenge(downgrade));
    }

    [Fact]
    public async Task Dpop_AuthenticatedWithoutTheScope_Returns403OnTheDpopChallenge()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);

        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Post, "/api/orders", access);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer, DPoP error=\"insufficient_scope\", error_description=\"Insufficient scope\", " + Algs, Challenge(response));
    }

    /// <summary>A grant at the token endpoint with a proof by <paramref name="client"/>'s key: a bound access token.</summary>
    internal static async Task<string> DpopGrantAsync(DpopTestClient client, string user = "alice")
    {
        using HttpResponseMessage response = await client.TokenAsync(Http.Form(("grant_type", TestApp.TestGrant.Type), ("user", user)));
        if (response.StatusCode == HttpStatusCode.BadRequest && client.Nonce is not null)
        {
            using HttpResponseMessage retry = await client.TokenAsync(Http.Form(("grant_type", TestApp.TestGrant.Type), ("user", user)));
            return await BoundAccessTokenAsync(retry);
        }

        return await BoundAccessTokenAsync(response);
    }

    internal static string Challenge(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out System.Net.Http.Headers.HeaderStringValues values) ? string.Join(", ", values) : string.Empty;

    private static async Task<string> BoundAccessTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Http.JsonAsync(response);
        Assert.Equal("DPoP", json.GetProperty("token_type").GetString());
        return json.GetProperty("access_token").GetString()!;
    }
}
