using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

// RFC 9449 §5 and §8 at the token endpoint of MapSessionCoreOAuth.
public sealed partial class OAuthEndpointTests
{
    [Fact]
    public async Task Token_GrantWithProof_BindsTheAccessTokenToTheKey()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);

        using HttpResponseMessage response = await client.TokenAsync(Grant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Http.JsonAsync(response);
        Assert.Equal("DPoP", json.GetProperty("token_type").GetString());
        Assert.Equal(client.Thumbprint, await JktAsync(client, json.GetProperty("access_token").GetString()!));
        Assert.False(response.Headers.Contains("DPoP-Nonce"));
    }

    [Fact]
    public async Task Token_BoundFamily_IsRedeemedOnlyWithAProofByItsKey()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient owner = new(app);
        using DpopTestClient thief = new(app);
        using HttpResponseMessage granted = await owner.TokenAsync(Grant());
        string refresh = (await Http.JsonAsync(granted)).GetProperty("refresh_token").GetString()!;

        using HttpResponseMessage withoutProof = await owner.TokenAsync(Refresh(refresh), proof: false);
        using HttpResponseMessage otherKey = await thief.TokenAsync(Refresh(refresh));
        using HttpResponseMessage ownKey = await owner.TokenAsync(Refresh(refresh));

        Assert.Equal(HttpStatusCode.BadRequest, withoutProof.StatusCode);
        Assert.Equal("{\"error\":\"invalid_grant\"}", await withoutProof.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
        Assert.Equal("{\"error\":\"invalid_grant\"}", await otherKey.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // Neither refusal spent the token nor burned the family: the owner's redemption rotates it.
        Assert.Equal(HttpStatusCode.OK, ownKey.StatusCode);
        JsonElement json = await Http.JsonAsync(ownKey);
        Assert.Equal("DPoP", json.GetProperty("token_type").GetString());
        Assert.NotEqual(refresh, json.GetProperty("refresh_token").GetString());
        Assert.Equal(owner.Thumbprint, await JktAsync(owner, json.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task Token_UnboundFamilyRefreshedWithAProof_BindsTheAccessTokenNotTheFamily()
    {
        // The core binds a family when it is issued, never later: a DPoP client refreshing a bearer family gets a bound
        // access token, and the family stays redeemable without a proof.
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        (_, string refresh) = await GrantAsync(app);

        using HttpResponseMessage bound = await client.TokenAsync(Refresh(refresh));
        JsonElement json = await Http.JsonAsync(bound);
        using HttpResponseMessage bearer = await client.TokenAsync(Refresh(json.GetProperty("refresh_token").GetString()!), proof: false);

        Assert.Equal("DPoP", json.GetProperty("token_type").GetString());
        Assert.Equal(client.Thumbprint, await JktAsync(client, json.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal("Bearer", (await Http.JsonAsync(bearer)).GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task Token_NonceRequired_Answers400UseDpopNonceThenAcceptsTheRetry()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireNonce = true);
        using DpopTestClient client = new(app);

        using HttpResponseMessage first = await client.TokenAsync(Grant());
        string? nonce = client.Nonce;
        using HttpResponseMessage retry = await client.TokenAsync(Grant());

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal("{\"error\":\"use_dpop_nonce\"}", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(34, nonce?.Length);
        Assert.True(first.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True(retry.Headers.Contains("DPoP-Nonce"));
        Assert.Equal("DPoP", (await Http.JsonAsync(retry)).GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task Token_ProofForAnotherUrl_Answers400InvalidDpopProof()
    {
        // The htu is the published token endpoint (the issuer's), not the Host the request came with.
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);

        using HttpResponseMessage response = await SendTokenRequestAsync(app, Grant(), ("DPoP", client.Proof("POST", "http://localhost/oauth/token")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_dpop_proof\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Token_ReplayedProof_Answers400InvalidDpopProof()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string proof = client.Proof("POST", TestApp.Issuer + "/oauth/token");

        using HttpResponseMessage first = await SendTokenRequestAsync(app, Grant(), ("DPoP", proof));
        using HttpResponseMessage second = await SendTokenRequestAsync(app, Grant(), ("DPoP", proof));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("{\"error\":\"invalid_dpop_proof\"}", await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static TheoryData<string> HostileTokenProofs() => new()
    {
        "two DPoP fields",
        "two proofs folded into one field",
        "20000-character field",
        "garbled proof",
        "proof for GET",
    };

    [Theory]
    [MemberData(nameof(HostileTokenProofs))]
    public async Task Token_HostileProof_Answers400InvalidDpopProofAndIssuesNothing(string name)
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string url = TestApp.Issuer + "/oauth/token";
        (string, string)[] headers = name switch
        {
            "two DPoP fields" => [("DPoP", client.Proof("POST", url)), ("DPoP", client.Proof("POST", url))],
            "two proofs folded into one field" => [("DPoP", client.Proof("POST", url) + "," + client.Proof("POST", url))],
            "20000-character field" => [("DPoP", new string('a', 20000))],
            "garbled proof" => [("DPoP", "a.b.c")],
            "proof for GET" => [("DPoP", client.Proof("GET", url))],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        using HttpResponseMessage response = await SendTokenRequestAsync(app, Grant(), headers);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_dpop_proof\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty((await app.Sessions.ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task Token_RequireBoundTokens_RefusesARequestWithoutProof()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: o => o.RequireBoundTokens = true);
        using DpopTestClient client = new(app);

        using HttpResponseMessage response = await client.TokenAsync(Grant(), proof: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_dpop_proof\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Token_ReplayCacheFails_Answers503AndIssuesNothing()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);

        app.Store.FailWhen = operation => operation == "TryUseOnceAsync";
        using HttpResponseMessage response = await client.TokenAsync(Grant());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("{\"error\":\"temporarily_unavailable\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        app.Store.FailWhen = null;
        Assert.Empty((await app.Sessions.ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task Token_DpopNotRegistered_IgnoresTheProofAndAnswersBearer()
    {
        await using TestApp app = await TestApp.StartAsync();
        using DpopTestClient client = new(app);

        using HttpResponseMessage response = await client.TokenAsync(Grant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", (await Http.JsonAsync(response)).GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task Metadata_WithDpop_ListsTheProofAlgorithms()
    {
        await using TestApp withDpop = await TestApp.StartAsync(dpop: _ => { });
        await using TestApp without = await TestApp.StartAsync();

        using HttpResponseMessage on = await withDpop.SendAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        using HttpResponseMessage off = await without.SendAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server");

        Assert.Equal(["ES256", "EdDSA", "Ed25519"], (await Http.JsonAsync(on)).GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.False((await Http.JsonAsync(off)).TryGetProperty("dpop_signing_alg_values_supported", out _));
    }

    [Fact]
    public async Task Revoke_BoundAccessToken_EndsItsSessionWithoutTheKey()
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient owner = new(app);
        using HttpResponseMessage granted = await owner.TokenAsync(Grant());
        JsonElement tokens = await Http.JsonAsync(granted);
        string access = tokens.GetProperty("access_token").GetString()!;
        string refresh = tokens.GetProperty("refresh_token").GetString()!;

        // RFC 7009 asks no proof of possession: whoever holds the token may end it.
        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/oauth/revoke", form: Http.Form(("token", access)), fetchSite: null);
        using HttpResponseMessage api = await owner.SendAsync(HttpMethod.Get, "/api/me", access);
        using HttpResponseMessage redeem = await owner.TokenAsync(Refresh(refresh));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, redeem.StatusCode);
    }

    private static Dictionary<string, string> Grant() => Http.Form(("grant_type", TestApp.TestGrant.Type), ("user", "alice"));

    private static Dictionary<string, string> Refresh(string refresh) => Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh));

    /// <summary>The <c>cnf.jkt</c> the API sees for the token, proven with <paramref name="client"/>'s key.</summary>
    private static async Task<string?> JktAsync(DpopTestClient client, string access)
    {
        using HttpResponseMessage response = await client.SendAsync(HttpMethod.Get, "/api/me", access);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Http.JsonAsync(response)).GetProperty("jkt").GetString();
    }

    private static async Task<HttpResponseMessage> SendTokenRequestAsync(TestApp app, Dictionary<string, string> form, params (string Name, string Value)[] headers)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        foreach ((string name, string value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        return await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
