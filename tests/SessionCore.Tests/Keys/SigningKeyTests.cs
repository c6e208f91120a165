using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Keys;

public sealed partial class SigningKeyTests
{
    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void ExportPublicJwk_ImportedBack_HasSameKeyIdAndVerifies(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);
        string jwk = key.ExportPublicJwk();
        using SigningKey imported = SigningKey.ImportJwk(jwk);
        byte[] data = Encoding.ASCII.GetBytes("header.payload");

        Assert.Equal(key.KeyId, imported.KeyId);
        Assert.False(imported.HasPrivateKey);
        Assert.DoesNotContain("\"d\"", jwk, StringComparison.Ordinal);
        Assert.Contains("\"use\":\"sig\"", jwk, StringComparison.Ordinal);
        Assert.Contains($"\"alg\":\"{algorithm}\"", jwk, StringComparison.Ordinal);
        Assert.True(imported.Algorithm.Verify(imported, data, key.Algorithm.Sign(key, data)));
        Assert.Throws<InvalidOperationException>(() => imported.Algorithm.Sign(imported, data));
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void ExportPrivateJwk_WithoutPolicy_Throws(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);

        Assert.Throws<InvalidOperationException>(key.ExportPrivateJwk);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void ExportPrivateJwk_WithPolicy_RoundTripsAndSigns(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport);
        string jwk = key.ExportPrivateJwk();
        using SigningKey imported = SigningKey.ImportJwk(jwk);
        byte[] data = [1, 2, 3];

        Assert.Contains("\"d\"", jwk, StringComparison.Ordinal);
        Assert.Contains($"\"kid\":\"{key.KeyId}\"", jwk, StringComparison.Ordinal);
        Assert.True(imported.HasPrivateKey);
        Assert.Equal(key.KeyId, imported.KeyId);
        Assert.True(key.Algorithm.Verify(key, data, imported.Algorithm.Sign(imported, data)));
        Assert.Throws<InvalidOperationException>(imported.ExportPrivateJwk);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void ToString_Always_IsRedacted(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport);
        using JsonDocument jwk = JsonDocument.Parse(key.ExportPrivateJwk());

        string text = key.ToString();

        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        foreach (JsonProperty member in jwk.RootElement.EnumerateObject())
        {
            if (member.Name is not ("kty" or "crv" or "alg" or "use" or "kid" or "e"))
            {
                Assert.DoesNotContain(member.Value.GetString()![..8], text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Sign_AfterDispose_ThrowsObjectDisposed(string algorithm)
    {
        SigningKey key = Registry.NewKey(algorithm);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Algorithm.Sign(key, [1]));
    }

    [Fact]
    public void Sign_KeyOfOtherAlgorithm_ThrowsArgument()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);

        Assert.Throws<ArgumentException>(() => SigningAlgorithm.Es256.Sign(key, [1]));
        Assert.Throws<ArgumentException>(() => SigningAlgorithm.Es256.Verify(key, [1], new byte[64]));
    }

    [Theory]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}""")]
    [InlineData("""{"kty":"EC","crv":"P-384","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","alg":"EdDSA"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","use":"enc"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"not-the-thumbprint"}""")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""")]
    [InlineData("""{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}""")]
    [InlineData("""[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]""")]
    [InlineData("not json")]
    [InlineData("")]
    public void TryImportJwk_InvalidKey_ReturnsFalseAndImportThrowsArgument(string jwk)
    {
        Assert.False(SigningKey.TryImportJwk(jwk, SigningKeyExportPolicies.None, out SigningKey? key));
        Assert.Null(key);
        ArgumentException error = Assert.Throws<ArgumentException>(() => SigningKey.ImportJwk(jwk));
        Assert.DoesNotContain("11qYAY", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void TryImportJwk_PrivatePartOfAnotherKey_ReturnsFalse(string algorithm)
    {
        using SigningKey a = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport, index: 0);
        using SigningKey b = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport, index: 1);
        JsonObject publicA = JsonNode.Parse(a.ExportPublicJwk())!.AsObject();
        JsonObject mixed = JsonNode.Parse(b.ExportPrivateJwk())!.AsObject();
        mixed.Remove("kid");
        foreach (string member in (string[])["x", "y", "n", "e"])
        {
            if (publicA.TryGetPropertyValue(member, out JsonNode? value))
            {
                mixed[member] = value!.GetValue<string>();
            }
        }

        Assert.NotEqual(a.KeyId, b.KeyId);
        Assert.False(SigningKey.TryImportJwk(mixed.ToJsonString(), SigningKeyExportPolicies.None, out _));
    }

    [Fact]
    public void KeyId_Is43CharacterBase64UrlThumbprint()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);

        Assert.Equal(43, key.KeyId.Length);
        Assert.True(Base64UrlStrict.IsCanonical(key.KeyId));
    }
}
