using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>
/// Wycheproof ECDSA P-256 (P1363), Ed25519, RSASSA-PKCS1-v1_5 SHA-256 (RS256) and RSASSA-PSS SHA-256 MGF1 salt 32
/// (PS256) verification vectors through <see cref="SigningAlgorithm.Verify"/>: every valid case accepted, every invalid
/// one refused, "acceptable" cases either way.
/// </summary>
public sealed class WycheproofTests
{
    [Fact]
    public void Verify_EcdsaP256P1363Vectors_MatchEveryResult()
    {
        using JsonDocument document = Vectors.Load(Path.Combine("wycheproof", "ecdsa_secp256r1_sha256_p1363_test.json"));
        (int valid, int invalid, List<string> mismatches) = Run(document, group =>
        {
            JsonElement key = group.GetProperty("publicKey");
            Assert.Equal("secp256r1", key.Str("curve"));
            return $$"""{"kty":"EC","crv":"P-256","x":"{{Coordinate(key.Str("wx"))}}","y":"{{Coordinate(key.Str("wy"))}}"}""";
        });

        Assert.Empty(mismatches);
        Assert.Equal(173, valid);
        Assert.Equal(89, invalid);
    }

    [Fact]
    public void Verify_Ed25519Vectors_MatchEveryResult()
    {
        using JsonDocument document = Vectors.Load(Path.Combine("wycheproof", "ed25519_test.json"));
        (int valid, int invalid, List<string> mismatches) = Run(document, group =>
        {
            byte[] pk = Convert.FromHexString(group.GetProperty("publicKey").Str("pk"));
            return $$"""{"kty":"OKP","crv":"Ed25519","x":"{{Base64UrlStrict.Encode(pk)}}"}""";
        });

        Assert.Empty(mismatches);
        Assert.Equal(88, valid);
        Assert.Equal(63, invalid);
    }

    [Theory]
    [InlineData("rsa_signature_2048_sha256_test.json", 9, 249)]
    [InlineData("rsa_signature_3072_sha256_test.json", 8, 250)]
    public void Verify_RsaPkcs1Vectors_MatchEveryResultAsRs256(string file, int expectedValid, int expectedInvalid)
    {
        using JsonDocument document = Vectors.Load(Path.Combine("wycheproof", file));
        (int valid, int invalid, List<string> mismatches) = Run(document, group =>
        {
            Assert.Equal("SHA-256", group.Str("sha"));
            return RsaJwk(group.GetProperty("publicKey"), "RS256");
        });

        Assert.Empty(mismatches);
        Assert.Equal(expectedValid, valid);
        Assert.Equal(expectedInvalid, invalid);
    }

    [Theory]
    [InlineData("rsa_pss_2048_sha256_mgf1_32_test.json")]
    [InlineData("rsa_pss_3072_sha256_mgf1_32_test.json")]
    public void Verify_RsaPssVectors_MatchEveryResultAsPs256(string file)
    {
        using JsonDocument document = Vectors.Load(Path.Combine("wycheproof", file));
        (int valid, int invalid, List<string> mismatches) = Run(document, group =>
        {
            // PS256 is exactly this parameter set: SHA-256, MGF1 with SHA-256, a 32-byte salt.
            Assert.Equal("SHA-256", group.Str("sha"));
            Assert.Equal("MGF1", group.Str("mgf"));
            Assert.Equal("SHA-256", group.Str("mgfSha"));
            Assert.Equal(32, group.GetProperty("sLen").GetInt32());
            return RsaJwk(group.GetProperty("publicKey"), "PS256");
        });

        Assert.Empty(mismatches);
        Assert.Equal(63, valid);
        Assert.Equal(45, invalid);
    }

    /// <summary>An RSA public JWK from Wycheproof's hex modulus (which may carry a leading 00) and exponent, for the named algorithm.</summary>
    private static string RsaJwk(JsonElement publicKey, string algorithm)
    {
        byte[] n = Convert.FromHexString(publicKey.Str("modulus"));
        byte[] e = Convert.FromHexString(publicKey.Str("publicExponent"));
        return $$"""{"kty":"RSA","alg":"{{algorithm}}","n":"{{Base64UrlStrict.Encode(n.AsSpan().TrimStart((byte)0))}}","e":"{{Base64UrlStrict.Encode(e.AsSpan().TrimStart((byte)0))}}"}""";
    }

    /// <summary>Wycheproof hex coordinates may carry a leading 00; strip it and left-pad to 32 bytes.</summary>
    private static string Coordinate(string hex)
    {
        byte[] raw = Convert.FromHexString(hex);
        int start = 0;
        while (start < raw.Length - 1 && raw[start] == 0)
        {
            start++;
        }

        byte[] padded = new byte[32];
        raw.AsSpan(start).CopyTo(padded.AsSpan(32 - (raw.Length - start)));
        return Base64UrlStrict.Encode(padded);
    }

    private static (int Valid, int Invalid, List<string> Mismatches) Run(JsonDocument document, Func<JsonElement, string> jwkOf)
    {
        int valid = 0, invalid = 0;
        List<string> mismatches = [];
        int total = 0;
        foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            // Every key in these files imports; one the library refused would count as rejecting its cases.
            Assert.True(SigningKey.TryImportJwk(jwkOf(group), SigningKeyExportPolicies.None, out SigningKey? key));
            using (key)
            {
                foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
                {
                    total++;
                    string result = test.Str("result");
                    byte[] message = Convert.FromHexString(test.Str("msg"));
                    byte[] signature = Convert.FromHexString(test.Str("sig"));
                    bool accepted = key is not null && key.Algorithm.Verify(key, message, signature);
                    switch (result)
                    {
                        case "valid":
                            valid++;
                            if (!accepted)
                            {
                                mismatches.Add($"tcId {test.GetProperty("tcId").GetInt32()} valid but rejected");
                            }

                            break;
                        case "invalid":
                            invalid++;
                            if (accepted)
                            {
                                mismatches.Add($"tcId {test.GetProperty("tcId").GetInt32()} invalid but accepted");
                            }

                            break;
                        default:
                            // "acceptable": a strict verifier may reject; either outcome passes.
                            break;
                    }
                }
            }
        }

        Assert.Equal(document.RootElement.GetProperty("numberOfTests").GetInt32(), total);
        return (valid, invalid, mismatches);
    }
}
