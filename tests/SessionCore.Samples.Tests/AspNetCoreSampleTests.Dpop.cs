using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Tests.Interop;
using Xunit;

namespace SessionCore.Samples.Tests;

// DPoP (RFC 9449) in the running sample: AddDpop with nonces, AcceptDpop on the access-token scheme, bound tokens from
// POST /token and MapSessionCoreOAuth's refresh grant.
public sealed partial class AspNetCoreSampleTests
{
    private const string Algs = "algs=\"ES256 EdDSA Ed25519\"";
    private const string InvalidTokenOnBearer = "Bearer error=\"invalid_token\", error_description=\"Invalid token\", DPoP " + Algs;

    /// <summary>
    /// oauth4webapi's DPoP handle (npm, tests/js pins 3.8.9) and the npm <c>dpop</c> package (2.1.2) against the sample
    /// process: POST /token answers use_dpop_nonce and then binds the tokens to the client's key, the API challenges for
    /// its nonce and then accepts the token with a proof, refuses it as a bearer token and refuses a replayed proof, and
    /// a refresh without the key is refused while the owner's refresh with the key succeeds.
    /// </summary>
    [Fact]
    public async Task DpopPeers_BindTheTokensToTheKey_AndEveryMisuseIsRefused()
    {
        if ((NodeScript.MissingFor("oauth4webapi") ?? NodeScript.MissingFor("dpop")) is { } missing)
        {
            Assert.Skip(missing);
        }

        Login login = await LoginAsync();
        JsonNode result = await NodeScript.RunAsync("aspnetcore-dpop-client.mjs", new JsonObject
        {
            ["origin"] = _host.Origin,
            ["cookie"] = $"{SessionCookie}={login.Cookie}",
            ["csrf"] = login.Csrf,
        }, TestContext.Current.CancellationToken);
        JsonNode steps = result["steps"]!;
        string thumbprint = (string)result["thumbprint"]!;

        Assert.Equal(["ES256", "EdDSA", "Ed25519"], result["metadata"]!["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));

        JsonNode first = steps["issue-first"]!;
        Assert.Equal(400, (int)first["status"]!);
        Assert.Equal("use_dpop_nonce", (string?)first["body"]!["error"]);
        Assert.True((bool)first["nonce"]!);
        JsonNode issued = steps["issue"]!;
        Assert.True((int)issued["status"]! == 200, issued.ToJsonString());
        Assert.Equal("DPoP", (string?)issued["body"]!["token_type"]);

        JsonNode challenged = steps["resource-first"]!;
        Assert.False((bool)challenged["ok"]!);
        Assert.True((bool)challenged["nonceError"]!);
        Assert.Equal(401, (int)challenged["status"]!);
        JsonNode profile = Ok(steps, "resource")["body"]!;
        Assert.Equal("alice", (string?)profile["user"]);
        Assert.Equal(thumbprint, (string?)profile["keyThumbprint"]);

        JsonNode downgrade = steps["resource-as-bearer"]!;
        Assert.False((bool)downgrade["ok"]!);
        Assert.Equal(401, (int)downgrade["status"]!);
        Assert.Equal(InvalidTokenOnBearer, (string?)downgrade["challenge"]);

        Assert.Equal(200, (int)steps["replay-first"]!["status"]!);
        Assert.Equal(401, (int)steps["replay-second"]!["status"]!);
        Assert.Equal("Bearer, DPoP error=\"invalid_dpop_proof\", error_description=\"Invalid DPoP proof\", " + Algs, (string?)steps["replay-second"]!["challenge"]);

        JsonNode thief = steps["refresh-without-proof"]!;
        Assert.False((bool)thief["ok"]!);
        Assert.Equal(400, (int)thief["status"]!);
        Assert.Equal("invalid_grant", (string?)thief["error"]);
        JsonNode refreshed = Ok(steps, "refresh")["tokens"]!;
        Assert.Equal("dpop", (string?)refreshed["token_type"]);
        Assert.NotEqual((string?)issued["body"]!["refresh_token"], (string?)refreshed["refresh_token"]);
        Assert.Equal(thumbprint, (string?)Ok(steps, "resource-refreshed")["body"]!["keyThumbprint"]);
    }

    [Theory]
    [InlineData("not.a.proof")]
    [InlineData("@@@")]
    public async Task Token_BadDpopProof_Returns400InvalidDpopProofWithANonceAndIssuesNothing(string proof)
    {
        Login login = await LoginAsync();
        using HttpRequestMessage request = new(HttpMethod.Post, "/token");
        request.Headers.Add("Cookie", $"{SessionCookie}={login.Cookie}");
        request.Headers.Add("X-CSRF-Token", login.Csrf);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.True(request.Headers.TryAddWithoutValidation("DPoP", proof));

        using HttpResponseMessage response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_dpop_proof", await ErrorAsync(response));
        Assert.True(response.Headers.Contains("DPoP-Nonce"));
    }

    [Fact]
    public async Task Metadata_ListsTheDpopAlgorithms()
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server");

        using JsonDocument json = await ReadJsonAsync(response);
        Assert.Equal(["ES256", "EdDSA", "Ed25519"], json.RootElement.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    private static string Challenge(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out HeaderStringValues values) ? string.Join(", ", values) : string.Empty;

    private static JsonNode Ok(JsonNode steps, string name)
    {
        JsonNode step = steps[name] ?? throw new InvalidOperationException($"the script did not run step {name}");
        Assert.True((bool)step["ok"]!, $"{name}: {step.ToJsonString()}");
        return step;
    }
}
