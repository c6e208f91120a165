using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Tests.Interop;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// DPoP (RFC 9449) against a real DemoHost child process, with oauth4webapi's DPoP handle (npm, tests/js pins 3.8.9)
/// and the npm <c>dpop</c> package (2.1.2) as the clients: discovery advertises the proof algorithms, the first token
/// request is answered <c>use_dpop_nonce</c> and the retry succeeds, the grant's tokens are bound (<c>token_type</c>
/// DPoP, <c>cnf.jkt</c> = the client key's thumbprint), the API accepts the token with a proof and refuses it as a bearer
/// token, a replayed proof is refused, and a refresh without the key is refused while the family stays usable.
/// </summary>
public sealed class DpopClientTests
{
    private const string ClientId = "dpop-client-test";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OAuth4WebApiAndDpop_BindTheGrantToTheKey_AndEveryMisuseIsRefused(bool requireDpop)
    {
        if ((NodeScript.MissingFor("oauth4webapi") ?? NodeScript.MissingFor("dpop")) is { } missing)
        {
            Assert.Skip(missing);
        }

        await using DemoHostProcess host = requireDpop ? await DemoHostProcess.StartAsync("--require-dpop") : await DemoHostProcess.StartAsync();
        JsonNode result = await NodeScript.RunAsync("dpop-client.mjs", new JsonObject
        {
            ["issuer"] = host.Origin,
            ["resource"] = host.Origin + "/api/me",
            ["clientId"] = ClientId,
            ["username"] = "alice",
            ["password"] = "alice-password",
            ["scope"] = "profile",
        }, TestContext.Current.CancellationToken);
        JsonNode steps = result["steps"]!;
        string thumbprint = (string)result["thumbprint"]!;

        Assert.Equal(["ES256", "EdDSA", "Ed25519"], result["metadata"]!["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));

        JsonNode first = steps["password-grant-first"]!;
        Assert.False((bool)first["ok"]!);
        Assert.Equal("use_dpop_nonce", (string?)first["error"]);
        Assert.True((bool)first["nonceError"]!);

        JsonNode tokens = Ok(steps, "password-grant")["tokens"]!;
        Assert.Equal("dpop", (string?)tokens["token_type"]);

        JsonNode claims = Ok(steps, "resource")["claims"]!;
        Assert.Equal(thumbprint, (string?)claims["cnf"]!["jkt"]);
        Assert.Equal("alice", (string?)claims["sub"]);
        Assert.Equal(ClientId, (string?)claims["client_id"]);

        JsonNode downgrade = steps["resource-as-bearer"]!;
        Assert.False((bool)downgrade["ok"]!);
        Assert.Equal(401, (int)downgrade["status"]!);
        Assert.Contains("error=\"invalid_token\"", (string?)downgrade["challenge"], StringComparison.Ordinal);

        Assert.Equal(200, (int)steps["replay-first"]!["status"]!);
        Assert.Equal(401, (int)steps["replay-second"]!["status"]!);
        Assert.Contains("error=\"invalid_dpop_proof\"", (string?)steps["replay-second"]!["challenge"], StringComparison.Ordinal);

        // Without --require-dpop a request without a proof is a bearer client: its redemption of a bound family is
        // refused as invalid_grant; with it, the proof check refuses first. Either way the family lives on.
        JsonNode thief = steps["refresh-without-proof"]!;
        Assert.False((bool)thief["ok"]!);
        Assert.Equal(400, (int)thief["status"]!);
        Assert.Equal(requireDpop ? "invalid_dpop_proof" : "invalid_grant", (string?)thief["error"]);

        JsonNode refreshed = Ok(steps, "refresh")["tokens"]!;
        Assert.Equal("dpop", (string?)refreshed["token_type"]);
        Assert.NotEqual((string?)tokens["refresh_token"], (string?)refreshed["refresh_token"]);
        Assert.Equal(thumbprint, (string?)Ok(steps, "resource-refreshed")["claims"]!["cnf"]!["jkt"]);
    }

    [Fact]
    public async Task RequireDpop_BearerClients_AreRefusedAtTheTokenEndpointAndTheApi()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--require-dpop");
        using DemoClient client = host.CreateClient();

        using HttpResponseMessage token = await client.PostFormAsync("/oauth/token", DemoClient.Form(("grant_type", "password"), ("username", "alice"), ("password", "alice-password")));
        using HttpResponseMessage api = await client.GetAsync("/api/me", null, ("Authorization", "Bearer a.b.c"));
        using HttpResponseMessage none = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Equal("invalid_dpop_proof", await DemoClient.ErrorAsync(token));
        Assert.True(token.Headers.Contains("DPoP-Nonce"));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.StartsWith("DPoP realm=\"DemoHost\", error=\"invalid_token\"", string.Join(", ", api.Headers.WwwAuthenticate.Select(h => h.ToString())), StringComparison.Ordinal);
        Assert.Equal("DPoP realm=\"DemoHost\", algs=\"ES256 EdDSA Ed25519\"", string.Join(", ", none.Headers.WwwAuthenticate.Select(h => h.ToString())));
    }

    [Fact]
    public async Task DefaultHost_BearerClientsKeepWorking_AndTheChallengeNamesBothSchemes()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();

        using HttpResponseMessage token = await client.PostFormAsync("/oauth/token", DemoClient.Form(("grant_type", "password"), ("username", "alice"), ("password", "alice-password")));
        string access = (string)JsonNode.Parse(await token.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["access_token"]!;
        using HttpResponseMessage api = await client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));
        using HttpResponseMessage none = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer realm=\"DemoHost\", DPoP realm=\"DemoHost\", algs=\"ES256 EdDSA Ed25519\"", string.Join(", ", none.Headers.WwwAuthenticate.Select(h => h.ToString())));
    }

    private static JsonNode Ok(JsonNode steps, string name)
    {
        JsonNode step = steps[name] ?? throw new InvalidOperationException($"the script did not run step {name}");
        Assert.True((bool)step["ok"]!, $"{name}: {step["code"]} {step["error"]} {step["status"]} {step["challenge"]}");
        return step;
    }
}
