using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Tests.Interop;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// oauth4webapi (npm, tests/js pins 3.8.9), a standard OAuth 2.0 client with an RFC 9068 resource-server
/// validator, against a real DemoHost child process. Given only the issuer, it discovers the endpoints (RFC 8414),
/// gets a grant, validates the access token with <c>validateJwtAccessToken</c> (which requires <c>client_id</c>,
/// <c>typ: at+jwt</c>, the issuer, the audience and a key from <c>jwks_uri</c>), refreshes, validates the new access
/// token, and revokes. The host serves plain http on loopback, so the script passes oauth4webapi's
/// <c>allowInsecureRequests</c> option; that is for this test only.
/// </summary>
public sealed class StandardOAuthClientTests
{
    private const string ClientId = "oauth4webapi-test";

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task OAuth4WebApi_DiscoversRefreshesAndRevokes_AndValidatesEveryAccessToken(string algorithm)
    {
        if (NodeScript.MissingFor("oauth4webapi") is { } missing)
        {
            Assert.Skip(missing);
        }

        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--signing-alg", algorithm);
        string audience = host.Origin + "/api";

        JsonNode result = await NodeScript.RunAsync("oauth-client.mjs", new JsonObject
        {
            ["issuer"] = host.Origin,
            ["audience"] = audience,
            ["resource"] = host.Origin + "/api/me",
            ["clientId"] = ClientId,
            ["username"] = "alice",
            ["password"] = "alice-password",
            ["scope"] = "profile",
        }, TestContext.Current.CancellationToken);
        JsonNode steps = result["steps"]!;

        Assert.Equal(host.Origin, (string?)result["metadata"]!["issuer"]);
        Assert.Equal(algorithm, (string?)result["metadata"]!["access_token_signing_alg_values_supported"]![0]);

        JsonNode granted = Ok(steps, "password-grant")["tokens"]!;
        Assert.Equal("bearer", (string?)granted["token_type"]);
        Assert.Equal("profile", (string?)granted["scope"]);
        Assert.Equal(900, (int)granted["expires_in"]!);
        Assert.Equal(algorithm, Header((string)granted["access_token"]!).GetProperty("alg").GetString());

        JsonNode first = Ok(steps, "validate-first")["claims"]!;
        AssertRfc9068Claims(first, host.Origin, audience);

        JsonNode refreshed = Ok(steps, "refresh")["tokens"]!;
        Assert.NotEqual((string?)granted["refresh_token"], (string?)refreshed["refresh_token"]);
        JsonNode second = Ok(steps, "validate-refreshed")["claims"]!;
        AssertRfc9068Claims(second, host.Origin, audience);
        Assert.NotEqual((string?)first["jti"], (string?)second["jti"]);
        Assert.Equal((string?)first["sid"], (string?)second["sid"]);

        Assert.Equal(200, (int)Ok(steps, "revoke")["status"]!);
        JsonNode afterRevocation = steps["refresh-revoked"]!;
        Assert.False((bool)afterRevocation["ok"]!);
        Assert.Equal("invalid_grant", (string?)afterRevocation["error"]);
        Assert.Equal(400, (int)afterRevocation["status"]!);
        Assert.Equal(200, (int)Ok(steps, "revoke-unknown")["status"]!);

        // The resource-server library validates offline, so it cannot see the revocation until exp; the host's
        // own API validates online and refuses the revoked grant's access token at once.
        using DemoClient client = host.CreateClient();
        using HttpResponseMessage me = await client.GetAsync("/api/me", null, ("Authorization", "Bearer " + (string)refreshed["access_token"]!));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    private static void AssertRfc9068Claims(JsonNode claims, string issuer, string audience)
    {
        Assert.Equal(issuer, (string?)claims["iss"]);
        Assert.Equal(audience, (string?)claims["aud"]);
        Assert.Equal("alice", (string?)claims["sub"]);
        Assert.Equal(ClientId, (string?)claims["client_id"]);
        Assert.Equal("profile", (string?)claims["scope"]);
        Assert.NotNull(claims["jti"]);
        Assert.True((long)claims["auth_time"]! <= (long)claims["iat"]!);
        Assert.True((long)claims["exp"]! > (long)claims["iat"]!);
    }

    private static JsonNode Ok(JsonNode steps, string name)
    {
        JsonNode step = steps[name] ?? throw new InvalidOperationException($"the script did not run step {name}");
        Assert.True((bool)step["ok"]!, $"{name}: {step["code"]} {step["error"]}");
        return step;
    }

    private static JsonElement Header(string token)
    {
        string segment = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        using JsonDocument document = JsonDocument.Parse(Convert.FromBase64String(segment + new string('=', (4 - (segment.Length % 4)) % 4)));
        return document.RootElement.Clone();
    }
}
