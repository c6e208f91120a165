using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Tool.Tests;

public sealed class KeysCommandTests
{
    [Theory]
    [InlineData("ES256", "EC")]
    [InlineData("EdDSA", "OKP")]
    public async Task New_Algorithm_PrintsPrivateJwkWithKidAlgAndUse(string algorithm, string kty)
    {
        using ToolRunner tool = new();

        (int code, string output, string error) = await tool.RunAsync("keys", "new", "--alg", algorithm);

        Assert.Equal(0, code);
        Assert.Empty(error);
        using JsonDocument jwk = JsonDocument.Parse(output);
        Assert.Equal(kty, jwk.RootElement.GetProperty("kty").GetString());
        Assert.Equal(algorithm, jwk.RootElement.GetProperty("alg").GetString());
        Assert.Equal("sig", jwk.RootElement.GetProperty("use").GetString());
        Assert.Equal(43, jwk.RootElement.GetProperty("kid").GetString()!.Length);
        Assert.True(jwk.RootElement.TryGetProperty("d", out _));
    }

    [Theory]
    [InlineData("RS256", null, 3072)]
    [InlineData("PS256", "2048", 2048)]
    public async Task New_RsaAlgorithm_PrintsPrivateRsaJwkOfTheRequestedSize(string algorithm, string? bits, int expectedBits)
    {
        using ToolRunner tool = new();

        (int code, string output, string error) = bits is null
            ? await tool.RunAsync("keys", "new", "--alg", algorithm)
            : await tool.RunAsync("keys", "new", "--alg", algorithm, "--bits", bits);

        Assert.Equal(0, code);
        Assert.Empty(error);
        using JsonDocument jwk = JsonDocument.Parse(output);
        Assert.Equal("RSA", jwk.RootElement.GetProperty("kty").GetString());
        Assert.Equal(algorithm, jwk.RootElement.GetProperty("alg").GetString());
        Assert.Equal("AQAB", jwk.RootElement.GetProperty("e").GetString());
        Assert.Equal(expectedBits / 8, Convert.FromBase64String(Base64(jwk.RootElement.GetProperty("n").GetString()!)).Length);
        foreach (string member in (string[])["d", "p", "q", "dp", "dq", "qi"])
        {
            Assert.True(jwk.RootElement.TryGetProperty(member, out _), member);
        }
    }

    [Fact]
    public async Task New_Out_WritesOwnerOnlyFileAndRefusesToOverwrite()
    {
        using ToolRunner tool = new();
        string path = tool.PathOf("key.jwk");

        Assert.Equal(0, (await tool.RunAsync("keys", "new", "--alg", "EdDSA", "--out", path)).ExitCode);
        string first = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        (int code, _, string error) = await tool.RunAsync("keys", "new", "--alg", "EdDSA", "--out", path);

        Assert.Equal(1, code);
        Assert.Contains("cannot write", error, StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task Jwks_PrivateKeyFiles_PrintsPublicPartsOnly()
    {
        using ToolRunner tool = new();
        await tool.RunAsync("keys", "new", "--alg", "ES256", "--out", tool.PathOf("a.jwk"));
        await tool.RunAsync("keys", "new", "--alg", "EdDSA", "--out", tool.PathOf("b.jwk"));

        (int code, string output, _) = await tool.RunAsync("keys", "jwks", tool.PathOf("a.jwk"), tool.PathOf("b.jwk"));

        Assert.Equal(0, code);
        using JsonDocument jwks = JsonDocument.Parse(output);
        Assert.Equal(2, jwks.RootElement.GetProperty("keys").GetArrayLength());
        foreach (JsonElement key in jwks.RootElement.GetProperty("keys").EnumerateArray())
        {
            Assert.False(key.TryGetProperty("d", out _));
            Assert.Equal("sig", key.GetProperty("use").GetString());
        }
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("keys", "rotate")]
    [InlineData("keys", "new")]
    [InlineData("keys", "new", "--alg", "HS256")]
    [InlineData("keys", "new", "--alg", "none")]
    [InlineData("keys", "new", "--alg", "ES256", "--alg", "EdDSA")]
    [InlineData("keys", "new", "--alg", "ES256", "--bogus", "1")]
    [InlineData("keys", "new", "--alg")]
    [InlineData("keys", "new", "--alg", "RS512")]
    [InlineData("keys", "new", "--alg", "ES256", "--bits", "2048")]
    [InlineData("keys", "new", "--alg", "RS256", "--bits", "1024")]
    [InlineData("keys", "new", "--alg", "RS256", "--bits", "8192")]
    [InlineData("keys", "new", "--alg", "PS256", "--bits", "2050")]
    [InlineData("keys", "new", "--alg", "PS256", "--bits", "+2048")]
    [InlineData("keys", "jwks")]
    [InlineData("keys", "jwks", "")]
    [InlineData("keys", "new", "--alg", "ES256", "--out", "")]
    [InlineData("keys", "new", "--alg", "ES256", "--out=")]
    [InlineData("token", "issue", "--key", "", "--iss", "a", "--aud", "b", "--sub", "c")]
    [InlineData("keys", "jwks", "--", "")]
    [InlineData("nothing")]
    public async Task UsageErrors_ExitTwo(params string[] args)
    {
        using ToolRunner tool = new();

        (int code, string output, string error) = await tool.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Jwks_MissingOrInvalidFile_ExitsOne()
    {
        using ToolRunner tool = new();
        await File.WriteAllTextAsync(tool.PathOf("bad.jwk"), """{"kty":"oct","k":"AAAA"}""", TestContext.Current.CancellationToken);

        Assert.Equal(1, (await tool.RunAsync("keys", "jwks", tool.PathOf("missing.jwk"))).ExitCode);
        Assert.Equal(1, (await tool.RunAsync("keys", "jwks", tool.PathOf("bad.jwk"))).ExitCode);
    }

    [Fact]
    public async Task Jwks_RsaAndEcKeys_PrintsRsaPublicMembersOnly()
    {
        using ToolRunner tool = new();
        await tool.RunAsync("keys", "new", "--alg", "PS256", "--bits", "2048", "--out", tool.PathOf("rsa.jwk"));
        await tool.RunAsync("keys", "new", "--alg", "ES256", "--out", tool.PathOf("ec.jwk"));

        (int code, string output, _) = await tool.RunAsync("keys", "jwks", tool.PathOf("rsa.jwk"), tool.PathOf("ec.jwk"));

        Assert.Equal(0, code);
        using JsonDocument jwks = JsonDocument.Parse(output);
        JsonElement rsa = jwks.RootElement.GetProperty("keys")[0];
        Assert.Equal("PS256", rsa.GetProperty("alg").GetString());
        Assert.True(rsa.TryGetProperty("n", out _));
        foreach (string member in (string[])["d", "p", "q", "dp", "dq", "qi"])
        {
            Assert.False(rsa.TryGetProperty(member, out _), member);
        }
    }

    [Fact]
    public async Task Help_PrintsUsageAndExitsZero()
    {
        using ToolRunner tool = new();

        (int code, string output, _) = await tool.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("keys new", output, StringComparison.Ordinal);
        Assert.Contains("token verify", output, StringComparison.Ordinal);
        Assert.Equal(2, (await tool.RunAsync()).ExitCode);
    }

    private static string Base64(string base64Url)
    {
        string text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
