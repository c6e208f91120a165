using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Tool.Tests;

public sealed class TokenCommandTests
{
    private const string SessionId = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";

    [Theory]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task IssueThenVerify_RoundTrip_PrintsClaims(string algorithm)
    {
        using ToolRunner tool = new();
        (string key, string jwks) = await CreateKeyAsync(tool, algorithm);

        (int issued, string token, string issueError) = await tool.RunAsync(
            "token", "issue", "--key", key, "--iss", "https://login.example", "--aud", "api", "--sub", "alice",
            "--ttl", "10m", "--sid", SessionId, "--claim", "role=admin", "--claim", "tier=gold");
        Assert.Equal(0, issued);
        Assert.Empty(issueError);
        Assert.Equal(3, token.Trim().Split('.').Length);

        (int verified, string claims, string verifyError) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "https://login.example", "--aud", "api", token.Trim());

        Assert.Equal(0, verified);
        Assert.Empty(verifyError);
        using JsonDocument payload = JsonDocument.Parse(claims);
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal("admin", payload.RootElement.GetProperty("role").GetString());
        Assert.Equal(SessionId, payload.RootElement.GetProperty("sid").GetString());
        Assert.Equal("sessioncore-tool", payload.RootElement.GetProperty("client_id").GetString());
        Assert.Equal(600, payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Issue_ClientIdAndScope_AreWrittenIntoTheToken()
    {
        using ToolRunner tool = new();
        (string key, string jwks) = await CreateKeyAsync(tool, "ES256");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s", "--client-id", "billing-batch", "--scope", "invoices:read invoices:write")).Out.Trim();

        (int code, string claims, _) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", token);

        Assert.Equal(0, code);
        using JsonDocument payload = JsonDocument.Parse(claims);
        Assert.Equal("billing-batch", payload.RootElement.GetProperty("client_id").GetString());
        Assert.Equal("invoices:read invoices:write", payload.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Verify_TokenFromStdin_Works()
    {
        using ToolRunner tool = new();
        (string key, string jwks) = await CreateKeyAsync(tool, "EdDSA");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s")).Out;

        (int code, string output, _) = await tool.RunWithInputAsync(token + "\n", "token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a");

        Assert.Equal(0, code);
        Assert.Contains("\"sub\":\"s\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--aud", "other", "InvalidAudience")]
    [InlineData("--iss", "other", "InvalidIssuer")]
    public async Task Verify_WrongIssuerOrAudience_ExitsOneWithOneLineReason(string option, string value, string reason)
    {
        using ToolRunner tool = new();
        (string key, string jwks) = await CreateKeyAsync(tool, "ES256");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s")).Out.Trim();
        string iss = option == "--iss" ? value : "i";
        string aud = option == "--aud" ? value : "a";

        (int code, string output, string error) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", iss, "--aud", aud, token);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("invalid token: " + reason, error.TrimEnd());
    }

    [Theory]
    [InlineData("not-a-token", "Malformed")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.", "Malformed")]
    [InlineData("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "UnsupportedAlgorithm")]
    public async Task Verify_HostileTokens_ExitOne(string token, string reason)
    {
        using ToolRunner tool = new();
        (_, string jwks) = await CreateKeyAsync(tool, "ES256");

        (int code, _, string error) = await tool.RunAsync("token", "verify", "--jwks", jwks, "--iss", "i", "--aud", "a", token);

        Assert.Equal(1, code);
        Assert.Equal("invalid token: " + reason, error.TrimEnd());
    }

    [Fact]
    public async Task Verify_TokenSignedByKeyNotInJwks_ExitsOneUnknownKey()
    {
        using ToolRunner tool = new();
        (string key, _) = await CreateKeyAsync(tool, "ES256", "one");
        (_, string otherJwks) = await CreateKeyAsync(tool, "ES256", "two");
        string token = (await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s")).Out.Trim();

        (int code, _, string error) = await tool.RunAsync("token", "verify", "--jwks", otherJwks, "--iss", "i", "--aud", "a", token);

        Assert.Equal(1, code);
        Assert.Equal("invalid token: UnknownKey", error.TrimEnd());
    }

    [Theory]
    [InlineData("--ttl", "2h")]
    [InlineData("--ttl", "1m")]
    [InlineData("--ttl", "15")]
    [InlineData("--ttl", "15d")]
    [InlineData("--sid", "short")]
    [InlineData("--claim", "noequals")]
    [InlineData("--claim", "password=hunter2")]
    [InlineData("--claim", "iss=evil")]
    [InlineData("--claim", "scope=admin")]
    [InlineData("--claim", "client_id=other")]
    [InlineData("--client-id", "   ")]
    [InlineData("--client-id", "caf\u00e9")]
    [InlineData("--scope", "a  b")]
    [InlineData("--scope", "quote\"d")]
    [InlineData("--bogus", "x")]
    public async Task Issue_BadOption_ExitsTwo(string option, string value)
    {
        using ToolRunner tool = new();
        (string key, _) = await CreateKeyAsync(tool, "EdDSA");

        (int code, string output, string error) = await tool.RunAsync("token", "issue", "--key", key, "--iss", "i", "--aud", "a", "--sub", "s", option, value);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "mint")]
    [InlineData("token", "issue", "--iss", "i", "--aud", "a", "--sub", "s")]
    [InlineData("token", "verify", "--iss", "i", "--aud", "a", "t")]
    [InlineData("token", "verify", "--jwks", "f", "--aud", "a", "t")]
    [InlineData("token", "verify", "--jwks", "f", "--iss", "i", "--aud", "a", "t1", "t2")]
    public async Task MissingArguments_ExitTwo(params string[] args)
    {
        using ToolRunner tool = new();

        Assert.Equal(2, (await tool.RunAsync(args)).ExitCode);
    }

    [Fact]
    public async Task Issue_PublicKeyOnly_ExitsOne()
    {
        using ToolRunner tool = new();
        (_, string jwks) = await CreateKeyAsync(tool, "EdDSA");
        using JsonDocument set = JsonDocument.Parse(await File.ReadAllTextAsync(jwks, TestContext.Current.CancellationToken));
        string publicJwk = tool.PathOf("public.jwk");
        await File.WriteAllTextAsync(publicJwk, set.RootElement.GetProperty("keys")[0].GetRawText(), TestContext.Current.CancellationToken);

        (int code, _, string error) = await tool.RunAsync("token", "issue", "--key", publicJwk, "--iss", "i", "--aud", "a", "--sub", "s");

        Assert.Equal(1, code);
        Assert.Contains("public key only", error, StringComparison.Ordinal);
    }

    internal static async Task<(string Key, string Jwks)> CreateKeyAsync(ToolRunner tool, string algorithm, string name = "key")
    {
        string key = tool.PathOf(name + ".jwk");
        string jwks = tool.PathOf(name + ".jwks.json");
        Assert.Equal(0, (await tool.RunAsync("keys", "new", "--alg", algorithm, "--out", key)).ExitCode);
        (int code, string output, _) = await tool.RunAsync("keys", "jwks", key);
        Assert.Equal(0, code);
        await File.WriteAllTextAsync(jwks, output, TestContext.Current.CancellationToken);
        return (key, jwks);
    }
}
