using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>Known answers from RFC 7515, 7519, 7638 and 8037.</summary>
public sealed class RfcVectorTests
{
    [Fact]
    public void Verify_Rfc7515A3_Accepts()
    {
        JsonElement a3 = Vectors.Rfc("rfc7515_a3_es256");
        using SigningKey key = SigningKey.ImportJwk(PublicJwk(a3.GetProperty("jwk")));
        string[] parts = a3.Str("compact_jws").Split('.');

        Assert.True(SigningAlgorithm.Es256.Verify(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlStrict.TryDecode(parts[2])!));
        Assert.Equal("{\"alg\":\"ES256\"}", Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(parts[0])!));
        Assert.Equal(a3.Str("payload_utf8"), Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(parts[1])!));
    }

    [Fact]
    public void Sign_Rfc7515A3PrivateKey_VerifiesButDiffers()
    {
        JsonElement a3 = Vectors.Rfc("rfc7515_a3_es256");
        using SigningKey key = SigningKey.ImportJwk(a3.GetProperty("jwk").GetRawText());
        byte[] input = Encoding.ASCII.GetBytes(a3.Str("signing_input"));

        byte[] signature = SigningAlgorithm.Es256.Sign(key, input);

        Assert.Equal(64, signature.Length);
        Assert.True(SigningAlgorithm.Es256.Verify(key, input, signature));
    }

    [Fact]
    public void Verify_Rfc7515A3DerSignature_Rejects()
    {
        JsonElement a3 = Vectors.Rfc("rfc7515_a3_es256");
        using SigningKey key = SigningKey.ImportJwk(PublicJwk(a3.GetProperty("jwk")));
        byte[] der = Base64UrlStrict.TryDecode(a3.GetProperty("derived").Str("signature_der_b64u"))!;

        Assert.False(SigningAlgorithm.Es256.Verify(key, Encoding.ASCII.GetBytes(a3.Str("signing_input")), der));
    }

    [Fact]
    public void KeyId_Rfc7515A3Key_IsRfc7638Thumbprint()
    {
        JsonElement a3 = Vectors.Rfc("rfc7515_a3_es256");
        using SigningKey key = SigningKey.ImportJwk(PublicJwk(a3.GetProperty("jwk")));

        Assert.Equal(a3.GetProperty("derived").Str("rfc7638_thumbprint_b64u"), key.KeyId);
    }

    [Fact]
    public void Verify_Rfc7515A2_AcceptsAsRs256AndRefusesAsPs256()
    {
        JsonElement a2 = RsaExample();
        string publicJwk = PublicJwk(a2.GetProperty("jwk"), "RS256");
        using SigningKey rs256 = SigningKey.ImportJwk(publicJwk);
        using SigningKey ps256 = SigningKey.ImportJwk(publicJwk.Replace("RS256", "PS256", StringComparison.Ordinal));
        string[] parts = a2.Str("compact_jws").Split('.');
        byte[] input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature = Base64UrlStrict.TryDecode(parts[2])!;

        Assert.Equal(a2.Str("signing_input"), parts[0] + "." + parts[1]);
        Assert.Equal(256, signature.Length);
        Assert.True(SigningAlgorithm.Rs256.Verify(rs256, input, signature));
        Assert.False(SigningAlgorithm.Ps256.Verify(ps256, input, signature));
        Assert.Equal("{\"alg\":\"RS256\"}", Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(parts[0])!));
    }

    [Fact]
    public void Sign_Rfc7515A2PrivateKey_ReproducesTheSignatureExactly()
    {
        JsonElement a2 = RsaExample();
        JsonObject jwk = JsonNode.Parse(a2.GetProperty("jwk").GetRawText())!.AsObject();
        jwk["alg"] = "RS256";
        using SigningKey key = SigningKey.ImportJwk(jwk.ToJsonString());

        byte[] signature = SigningAlgorithm.Rs256.Sign(key, Encoding.ASCII.GetBytes(a2.Str("signing_input")));

        // RSASSA-PKCS1-v1_5 is deterministic.
        Assert.Equal(a2.Str("signature_b64u"), Base64UrlStrict.Encode(signature));
    }

    [Fact]
    public void KeyId_Rfc7638RsaExampleImportedAsRs256_IsItsThumbprint()
    {
        JsonElement example = Vectors.Rfc("rfc7638_s3_1_thumbprint");
        JsonObject jwk = JsonNode.Parse(example.GetProperty("jwk").GetRawText())!.AsObject();

        // The example's kid ("2011-04-29") is not its thumbprint, so an import with it is refused.
        Assert.False(SigningKey.TryImportJwk(jwk.ToJsonString(), SigningKeyExportPolicies.None, out _));
        jwk.Remove("kid");
        using SigningKey key = SigningKey.ImportJwk(jwk.ToJsonString());

        Assert.Same(SigningAlgorithm.Rs256, key.Algorithm);
        Assert.Equal(example.Str("thumbprint_b64u"), key.KeyId);
    }

    [Fact]
    public void Verify_Rfc8037A4_Accepts()
    {
        JsonElement a = Vectors.Rfc("rfc8037_appendix_a_ed25519");
        using SigningKey key = SigningKey.ImportJwk(a.GetProperty("a2_public_jwk").GetRawText());
        string[] parts = a.Str("a4_compact_jws").Split('.');

        Assert.True(SigningAlgorithm.EdDsa.Verify(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlStrict.TryDecode(parts[2])!));
        Assert.Equal(a.Str("a4_payload_utf8"), Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(parts[1])!));
    }

    [Fact]
    public void Sign_Rfc8037A1PrivateKey_ReproducesA4SignatureExactly()
    {
        JsonElement a = Vectors.Rfc("rfc8037_appendix_a_ed25519");
        using SigningKey key = SigningKey.ImportJwk(a.GetProperty("a1_private_jwk").GetRawText());

        byte[] signature = SigningAlgorithm.EdDsa.Sign(key, Encoding.ASCII.GetBytes(a.Str("a4_signing_input")));

        Assert.Equal(a.Str("a4_signature_b64u"), Base64UrlStrict.Encode(signature));
    }

    [Fact]
    public void KeyId_Rfc8037Keys_AreA3Thumbprint()
    {
        JsonElement a = Vectors.Rfc("rfc8037_appendix_a_ed25519");
        using SigningKey publicKey = SigningKey.ImportJwk(a.GetProperty("a2_public_jwk").GetRawText());
        using SigningKey privateKey = SigningKey.ImportJwk(a.GetProperty("a1_private_jwk").GetRawText());

        Assert.Equal(a.Str("a3_thumbprint_b64u"), publicKey.KeyId);
        Assert.Equal(a.Str("a3_thumbprint_b64u"), privateKey.KeyId);
        Assert.Equal(a.Str("a3_thumbprint_sha256_hex"), Convert.ToHexStringLower(Base64UrlStrict.TryDecode(publicKey.KeyId)!));
    }

    [Fact]
    public void Thumbprint_Rfc7638RsaExample_Matches()
    {
        JsonElement example = Vectors.Rfc("rfc7638_s3_1_thumbprint");
        JsonElement jwk = example.GetProperty("jwk");

        Assert.True(JwkThumbprint.TryCompute(jwk, out string thumbprint));
        Assert.Equal(example.Str("thumbprint_b64u"), thumbprint);

        // alg and kid do not take part.
        using JsonDocument bare = JsonDocument.Parse($$"""{"kty":"RSA","e":"AQAB","n":"{{jwk.Str("n")}}"}""");
        Assert.True(JwkThumbprint.TryCompute(bare.RootElement, out string bareThumbprint));
        Assert.Equal(thumbprint, bareThumbprint);
        Assert.Equal(
            Base64UrlStrict.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(example.Str("thumbprint_input")))),
            thumbprint);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_MustRejectExamples_Rejected(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        using JsonDocument document = Vectors.Load(System.IO.Path.Combine("rfc", "jws_examples.json"));
        foreach (JsonElement example in document.RootElement.GetProperty("must_reject").EnumerateArray())
        {
            string token = example.TryGetProperty("compact_jwt", out JsonElement jwt) ? jwt.GetString()! : example.Str("compact_jws");
            AccessTokenValidationResult result = fixture.Validator.ValidateOffline(token);
            Assert.False(result.IsSuccess, example.Str("id"));
        }
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_Hs256WithOurKidAndPublicKeyAsSecret_IsUnsupportedAlgorithm(string algorithm)
    {
        // The classic algorithm-confusion attack: an HMAC keyed with the verifier's public key.
        using JwtFixture fixture = new(Registry.Get(algorithm));
        string header = JwtFixture.B64($$"""{"alg":"HS256","typ":"at+jwt","kid":"{{fixture.Key.KeyId}}"}""");
        string payload = JwtFixture.B64(fixture.DefaultPayload);
        byte[] secret = Encoding.UTF8.GetBytes(fixture.Key.ExportPublicJwk());
        byte[] mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(header + "." + payload));

        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(header + "." + payload + "." + Base64UrlStrict.Encode(mac));

        Assert.Equal(AccessTokenValidationStatus.UnsupportedAlgorithm, result.Status);
    }

    [Fact]
    public void Validate_Rfc7519Hs256Example_IsUnsupportedAlgorithm()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        using JsonDocument document = Vectors.Load(System.IO.Path.Combine("rfc", "jws_examples.json"));
        string token = document.RootElement.GetProperty("must_reject")[0].Str("compact_jwt");

        Assert.Equal(AccessTokenValidationStatus.UnsupportedAlgorithm, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_Rfc7515A3WithOurProfileButDerSignature_IsInvalidSignature()
    {
        // Same key as A.3, a proper at+jwt header, but the signature re-encoded as DER: refused by length.
        JsonElement a3 = Vectors.Rfc("rfc7515_a3_es256");
        using SigningKey key = SigningKey.ImportJwk(a3.GetProperty("jwk").GetRawText());
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        fixture.Ring.AddVerificationKey(key);
        string header = JwtFixture.B64($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{key.KeyId}}"}""");
        string input = header + "." + JwtFixture.B64(fixture.DefaultPayload);
        byte[] p1363 = SigningAlgorithm.Es256.Sign(key, Encoding.ASCII.GetBytes(input));
        byte[] der = DerHelper.ToDer(p1363);

        Assert.Equal(AccessTokenValidationStatus.Valid, fixture.Validator.ValidateOffline(input + "." + Base64UrlStrict.Encode(p1363)).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(input + "." + Base64UrlStrict.Encode(der)).Status);
    }

    private static string PublicJwk(JsonElement jwk) =>
        $$"""{"kty":"{{jwk.Str("kty")}}","crv":"{{jwk.Str("crv")}}","x":"{{jwk.Str("x")}}","y":"{{jwk.Str("y")}}"}""";

    private static string PublicJwk(JsonElement rsaJwk, string algorithm) =>
        $$"""{"kty":"RSA","alg":"{{algorithm}}","n":"{{rsaJwk.Str("n")}}","e":"{{rsaJwk.Str("e")}}"}""";

    private static JsonElement RsaExample()
    {
        using JsonDocument document = Vectors.Load(System.IO.Path.Combine("rfc", "rfc7515_a2_rs256.json"));
        return document.RootElement.Clone();
    }
}

internal static class DerHelper
{
    /// <summary>Re-encodes an r||s signature as an ASN.1 DER SEQUENCE of two INTEGERs.</summary>
    public static byte[] ToDer(byte[] p1363)
    {
        int half = p1363.Length / 2;
        System.Formats.Asn1.AsnWriter writer = new(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(p1363.AsSpan(0, half)));
            writer.WriteIntegerUnsigned(Minimal(p1363.AsSpan(half)));
        }

        return writer.Encode();
    }

    // About one signature in a hundred has an r or s with a leading zero byte, which DER drops.
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
