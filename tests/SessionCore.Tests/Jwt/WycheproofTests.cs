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

/// <summary>Wycheproof ECDSA P-256 (P1363) and Ed25519 verification vectors through <see cref="SigningAlgorithm.Verify"/>.</summary>
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
            SigningKey.TryImportJwk(jwkOf(group), SigningKeyExportPolicies.None, out SigningKey? key);
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
