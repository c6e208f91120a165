using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tool.Tests;

/// <summary><c>token issue --dpop-jkt</c> and <c>token verify --dpop-proof --method --url</c> (RFC 9449).</summary>
public sealed class TokenCommandDpopTests
{
    private const string Url = "https://api.example/orders";

    [Fact]
    public async Task IssueBoundThenVerify_WithProofByTheKey_PrintsClaimsWithCnf()
    {
        using ToolRunner tool = new();
        using SigningKey client = SigningKey.Generate(SigningAlgorithm.Es256);
        (string key, string jwks) = await TokenCommandTests.CreateKeyAsync(tool, "ES256");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "alice", "--dpop-jkt", client.KeyId)).Out.Trim();

        (int code, string claims, string error) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", "--dpop-proof", Proof(client, "GET", Url, token), "--method", "GET", "--url", Url, token);

        Assert.Equal(0, code);
        Assert.Empty(error);
        using JsonDocument payload = JsonDocument.Parse(claims);
        Assert.Equal(client.KeyId, payload.RootElement.GetProperty("cnf").GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task VerifyBound_WithoutProof_IsProofRequired()
    {
        using ToolRunner tool = new();
        using SigningKey client = SigningKey.Generate(SigningAlgorithm.Es256);
        (string key, string jwks) = await TokenCommandTests.CreateKeyAsync(tool, "ES256");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "alice", "--dpop-jkt", client.KeyId)).Out.Trim();

        (int code, string output, string error) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", token);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("ProofRequired", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBound_ProofByAnotherKeyOrForAnotherUrl_IsRefusedWithTheCheck()
    {
        using ToolRunner tool = new();
        using SigningKey client = SigningKey.Generate(SigningAlgorithm.Es256);
        using SigningKey thief = SigningKey.Generate(SigningAlgorithm.Es256);
        (string key, string jwks) = await TokenCommandTests.CreateKeyAsync(tool, "ES256");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "alice", "--dpop-jkt", client.KeyId)).Out.Trim();

        (int otherKey, _, string keyError) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", "--dpop-proof", Proof(thief, "GET", Url, token), "--method", "GET", "--url", Url, token);
        (int otherUrl, _, string urlError) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", "--dpop-proof", Proof(client, "GET", Url, token), "--method", "GET", "--url", "https://api.example/admin", token);

        Assert.Equal(1, otherKey);
        Assert.Contains("KeyMismatch", keyError, StringComparison.Ordinal);
        Assert.Equal(1, otherUrl);
        Assert.Contains("UriMismatch", urlError, StringComparison.Ordinal);
        Assert.DoesNotContain(token, keyError + urlError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dpop-jkt", "short")]
    [InlineData("--dpop-jkt", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public async Task Issue_MalformedDpopJkt_IsUsageError(string option, string value)
    {
        using ToolRunner tool = new();
        (string key, _) = await TokenCommandTests.CreateKeyAsync(tool, "ES256");

        (int code, string output, string error) = await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s", option, value);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("cnf.jkt", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dpop-proof", "a.b.c")]
    [InlineData("--method", "GET")]
    [InlineData("--url", Url)]
    public async Task Verify_DpopOptionsAlone_AreUsageErrors(string option, string value)
    {
        using ToolRunner tool = new();
        (_, string jwks) = await TokenCommandTests.CreateKeyAsync(tool, "ES256");

        (int code, _, _) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", option, value, "x.y.z");

        Assert.Equal(2, code);
    }

    /// <summary>A DPoP proof for a resource request, as a client makes it: typ, alg, the public jwk; jti, htm, htu, iat, ath.</summary>
    private static string Proof(SigningKey key, string method, string url, string token)
    {
        JsonObject jwk = JsonNode.Parse(key.ExportPublicJwk())!.AsObject();
        string header = new JsonObject
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = (string)jwk["x"]!, ["y"] = (string)jwk["y"]! },
        }.ToJsonString();
        string payload = new JsonObject
        {
            ["jti"] = B64(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["ath"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(token))),
        }.ToJsonString();
        string input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return input + "." + B64(SigningAlgorithm.Es256.Sign(key, Encoding.ASCII.GetBytes(input)));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
