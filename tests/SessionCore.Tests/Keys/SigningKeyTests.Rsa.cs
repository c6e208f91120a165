using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tests.Jwt;
using Xunit;

namespace SessionCore.Tests.Keys;

/// <summary>RS256 and PS256 keys: sizes, the JWK form, and what a hostile RSA JWK is refused for.</summary>
public sealed partial class SigningKeyTests
{
    [Fact]
    public void Generate_Rs256WithoutSize_Is3072BitsWith384ByteSignatures()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Rs256);
        byte[] data = [1, 2, 3];

        byte[] signature = key.Algorithm.Sign(key, data);

        Assert.Equal(SigningKey.DefaultRsaKeySize, key.KeySize);
        Assert.Equal(3072, key.KeySize);
        Assert.Equal(384, key.SignatureSize);
        Assert.Equal(384, signature.Length);
        Assert.True(key.Algorithm.Verify(key, data, signature));
    }

    [Theory]
    [MemberData(nameof(Registry.RsaAlgorithms), MemberType = typeof(Registry))]
    public void Generate_RsaMinimumSize_Has256ByteSignatures(string algorithm)
    {
        using SigningKey key = SigningKey.Generate(Registry.Get(algorithm), keySize: SigningKey.MinRsaKeySize);

        Assert.Equal(2048, key.KeySize);
        Assert.Equal(256, key.SignatureSize);
        Assert.Equal(512, key.Algorithm.MaxSignatureSize);
    }

    [Theory]
    [InlineData("RS256", 1024)]
    [InlineData("RS256", 2040)]
    [InlineData("PS256", 2047)]
    [InlineData("PS256", 2052)]
    [InlineData("RS256", 4104)]
    [InlineData("PS256", 8192)]
    [InlineData("RS256", 0)]
    [InlineData("RS256", -2048)]
    [InlineData("ES256", 2048)]
    [InlineData("ES256", 384)]
    [InlineData("EdDSA", 3072)]
    public void Generate_UnsupportedSize_ThrowsArgumentOutOfRange(string algorithm, int keySize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SigningKey.Generate(Registry.Get(algorithm), keySize: keySize));
    }

    [Theory]
    [InlineData("ES256", 64)]
    [InlineData("EdDSA", 64)]
    public void Generate_CurveAlgorithmWith256Bits_IsAccepted(string algorithm, int signatureSize)
    {
        using SigningKey key = SigningKey.Generate(Registry.Get(algorithm), keySize: 256);

        Assert.Equal(256, key.KeySize);
        Assert.Equal(signatureSize, key.SignatureSize);
        Assert.Equal(signatureSize, key.Algorithm.MaxSignatureSize);
    }

    [Theory]
    [MemberData(nameof(Registry.RsaAlgorithms), MemberType = typeof(Registry))]
    public void ExportPublicJwk_Rsa_HasCanonicalModulusAndExponentOnly(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);
        using JsonDocument jwk = JsonDocument.Parse(key.ExportPublicJwk());
        JsonElement root = jwk.RootElement;
        byte[] n = Base64UrlStrict.TryDecode(root.GetProperty("n").GetString())!;

        Assert.Equal(["e", "kty", "n", "kid", "alg", "use"], root.EnumerateObject().Select(m => m.Name));
        Assert.Equal("RSA", root.GetProperty("kty").GetString());
        Assert.Equal("AQAB", root.GetProperty("e").GetString());
        Assert.Equal(algorithm, root.GetProperty("alg").GetString());
        Assert.Equal(256, n.Length);
        Assert.NotEqual(0, n[0]);
    }

    [Fact]
    public void ImportJwk_SameModulusAsRs256AndAsPs256_SameKeyIdDifferentAlgorithms()
    {
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256);
        string publicJwk = rs.ExportPublicJwk();

        using SigningKey ps = SigningKey.ImportJwk(publicJwk.Replace("\"alg\":\"RS256\"", "\"alg\":\"PS256\"", StringComparison.Ordinal));

        // The RFC 7638 thumbprint covers e, kty and n only: one modulus, one key id, so a ring can hold it once.
        Assert.Equal(rs.KeyId, ps.KeyId);
        Assert.Same(SigningAlgorithm.Ps256, ps.Algorithm);
    }

    [Fact]
    public void Verify_Rs256SignatureUnderPs256KeyOfSameModulus_IsFalseAndTheReverseToo()
    {
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport);
        using SigningKey ps = SigningKey.ImportJwk(rs.ExportPrivateJwk().Replace("\"alg\":\"RS256\"", "\"alg\":\"PS256\"", StringComparison.Ordinal));
        byte[] data = Encoding.ASCII.GetBytes("header.payload");
        byte[] pkcs1 = SigningAlgorithm.Rs256.Sign(rs, data);
        byte[] pss = SigningAlgorithm.Ps256.Sign(ps, data);

        Assert.True(SigningAlgorithm.Rs256.Verify(rs, data, pkcs1));
        Assert.True(SigningAlgorithm.Ps256.Verify(ps, data, pss));
        Assert.False(SigningAlgorithm.Ps256.Verify(ps, data, pkcs1));
        Assert.False(SigningAlgorithm.Rs256.Verify(rs, data, pss));
    }

    [Fact]
    public void SignOrVerify_KeyOfTheOtherRsaAlgorithm_ThrowsArgument()
    {
        using SigningKey ps = Registry.NewKey(SigningAlgorithm.Ps256);

        Assert.Throws<ArgumentException>(() => SigningAlgorithm.Rs256.Sign(ps, [1]));
        Assert.Throws<ArgumentException>(() => SigningAlgorithm.Rs256.Verify(ps, [1], new byte[256]));
        Assert.Throws<ArgumentException>(() => SigningAlgorithm.Es256.Verify(ps, [1], new byte[64]));
    }

    [Theory]
    [MemberData(nameof(Registry.RsaAlgorithms), MemberType = typeof(Registry))]
    public void Verify_SignatureOneByteShortOrLong_IsFalse(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);
        byte[] data = [1, 2, 3];
        byte[] signature = key.Algorithm.Sign(key, data);

        Assert.True(key.Algorithm.Verify(key, data, signature));
        Assert.False(key.Algorithm.Verify(key, data, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(key.Algorithm.Verify(key, data, signature.AsSpan(1)));
        Assert.False(key.Algorithm.Verify(key, data, [.. signature, 0]));
        Assert.False(key.Algorithm.Verify(key, data, [0, .. signature]));
        Assert.False(key.Algorithm.Verify(key, data, []));
    }

    [Theory]
    [MemberData(nameof(Registry.RsaAlgorithms), MemberType = typeof(Registry))]
    public void Verify_SignatureNotBelowTheModulus_IsFalse(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);
        byte[] ones = Enumerable.Repeat((byte)0xFF, key.SignatureSize).ToArray();

        Assert.False(key.Algorithm.Verify(key, [1], ones));
        Assert.False(key.Algorithm.Verify(key, [1], new byte[key.SignatureSize]));
    }

    [Theory]
    [MemberData(nameof(Registry.RsaAlgorithms), MemberType = typeof(Registry))]
    public void Sign_BufferOfAnotherSize_ThrowsArgument(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm);

        Assert.Throws<ArgumentException>(() => key.Algorithm.Sign(key, [1], new byte[key.SignatureSize - 1]));
        Assert.Throws<ArgumentException>(() => key.Algorithm.Sign(key, [1], new byte[key.Algorithm.MaxSignatureSize]));
    }

    [Theory]
    [MemberData(nameof(HostileRsaJwks))]
    public void TryImportJwk_HostileRsaKey_IsRefused(string name, string jwk)
    {
        Assert.False(SigningKey.TryImportJwk(jwk, SigningKeyExportPolicies.None, out SigningKey? key), name);
        Assert.Null(key);
        ArgumentException error = Assert.Throws<ArgumentException>(() => SigningKey.ImportJwk(jwk));
        Assert.DoesNotContain(RsaExample.GetProperty("jwk").Str("n")[..16], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryImportJwk_Rfc7515A2PrivateKeyWithAlg_ImportsAndSigns()
    {
        JsonObject jwk = RsaJwk(withPrivate: true);

        Assert.True(SigningKey.TryImportJwk(jwk.ToJsonString(), SigningKeyExportPolicies.AllowPrivateExport, out SigningKey? key));
        using (key)
        {
            Assert.True(key.HasPrivateKey);
            Assert.Equal(2048, key.KeySize);
            using JsonDocument exported = JsonDocument.Parse(key.ExportPrivateJwk());
            foreach (string member in (string[])["n", "e", "d", "p", "q", "dp", "dq", "qi"])
            {
                Assert.Equal(RsaExample.GetProperty("jwk").Str(member), exported.RootElement.Str(member));
            }
        }
    }

    /// <summary>Each case is the RFC 7515 A.2 key (valid as RS256) with one defect, so only that defect can cause the refusal.</summary>
    public static TheoryData<string, string> HostileRsaJwks()
    {
        byte[] n = Base64UrlStrict.TryDecode(RsaExample.GetProperty("jwk").Str("n"))!;
        TheoryData<string, string> cases = new()
        {
            { "n of 1024 bits", Public(n: Odd(128)) },
            { "n of 2040 bits", Public(n: Odd(255)) },
            { "n of 2047 bits", Public(n: [0x7F, .. n[1..]]) },
            { "n of 4104 bits", Public(n: Odd(513)) },
            { "n of 8192 bits", Public(n: Odd(1024)) },
            { "n of 16384 bits", Public(n: Odd(2048)) },
            { "n text of 12000 characters", Public(nText: new string('A', 12000)) },
            { "n with a leading zero byte", Public(n: [0, .. n]) },
            { "n even", Public(n: [.. n[..^1], (byte)(n[^1] & 0xFE)]) },
            { "n empty", Public(nText: string.Empty) },
            { "n padded", Public(nText: RsaExample.GetProperty("jwk").Str("n") + "==") },
            { "n standard base64", Public(nText: Convert.ToBase64String(n)) },
            { "n a number", """{"kty":"RSA","alg":"RS256","e":"AQAB","n":12345}""" },
            { "n missing", """{"kty":"RSA","alg":"RS256","e":"AQAB"}""" },
            { "e = 0", Public(eText: "AA") },
            { "e = 1", Public(eText: "AQ") },
            { "e = 2", Public(eText: "Ag") },
            { "e = 65536", Public(eText: "AQAA") },
            { "e = 65537 with a leading zero byte", Public(eText: "AAEAAQ") },
            { "e of 5 bytes", Public(eText: "AQAAAAE") },
            { "e of 512 bytes", Public(e: Odd(512)) },
            { "e missing", $$"""{"kty":"RSA","alg":"RS256","n":"{{RsaExample.GetProperty("jwk").Str("n")}}"}""" },
            { "alg missing", Public(alg: null) },
            { "alg ES256 on an RSA key", Public(alg: "ES256") },
            { "alg EdDSA on an RSA key", Public(alg: "EdDSA") },
            { "alg RS512", Public(alg: "RS512") },
            { "alg PS384", Public(alg: "PS384") },
            { "alg HS256", Public(alg: "HS256") },
            { "alg none", Public(alg: "none") },
            { "alg rs256 (case)", Public(alg: "rs256") },
            { "use enc", Public(extra: "\"use\":\"enc\"") },
            { "key_ops encrypt", Public(extra: "\"key_ops\":[\"encrypt\"]") },
            { "kid not the thumbprint", Public(extra: "\"kid\":\"2011-04-29\"") },
            { "oth on a public key", Public(extra: "\"oth\":[]") },
            { "kty rsa (case)", Public(kty: "rsa") },
            { "EC key named RS256", """{"kty":"EC","crv":"P-256","alg":"RS256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""" },
            { "OKP key named PS256", """{"kty":"OKP","crv":"Ed25519","alg":"PS256","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""" },
            { "private: d alone", Private(keep: ["d"]) },
            { "private: CRT values without d", Private(keep: ["p", "q", "dp", "dq", "qi"]) },
            { "private: qi missing", Private(keep: ["d", "p", "q", "dp", "dq"]) },
            { "private: with oth", Private(extra: "\"oth\":[]") },
            { "private: p and q swapped", Private(swap: ("p", "q")) },
            { "private: dp and dq swapped", Private(swap: ("dp", "dq")) },
            { "private: qi replaced by dp", Private(replace: ("qi", "dp")) },
            { "private: d replaced by a CRT value", Private(replace: ("d", "dq")) },
            { "private: d with a leading zero byte", Private(leadingZero: "d") },
            { "private: p with a leading zero byte", Private(leadingZero: "p") },
        };
        return cases;
    }

    private static JsonElement RsaExample
    {
        get
        {
            using JsonDocument document = Vectors.Load(System.IO.Path.Combine("rfc", "rfc7515_a2_rs256.json"));
            return document.RootElement.Clone();
        }
    }

    private static JsonObject RsaJwk(bool withPrivate)
    {
        JsonObject jwk = JsonNode.Parse(RsaExample.GetProperty("jwk").GetRawText())!.AsObject();
        jwk["alg"] = "RS256";
        if (!withPrivate)
        {
            foreach (string member in (string[])["d", "p", "q", "dp", "dq", "qi"])
            {
                jwk.Remove(member);
            }
        }

        return jwk;
    }

    private static string Public(byte[]? n = null, string? nText = null, string? eText = null, byte[]? e = null, string? alg = "RS256", string? extra = null, string kty = "RSA")
    {
        JsonObject jwk = RsaJwk(withPrivate: false);
        jwk["kty"] = kty;
        if (n is not null || nText is not null)
        {
            jwk["n"] = nText ?? Base64UrlStrict.Encode(n!);
        }

        if (e is not null || eText is not null)
        {
            jwk["e"] = eText ?? Base64UrlStrict.Encode(e!);
        }

        if (alg is null)
        {
            jwk.Remove("alg");
        }
        else
        {
            jwk["alg"] = alg;
        }

        string text = jwk.ToJsonString();
        return extra is null ? text : text[..^1] + "," + extra + "}";
    }

    private static string Private(string[]? keep = null, string? extra = null, (string A, string B)? swap = null, (string Target, string Source)? replace = null, string? leadingZero = null)
    {
        JsonObject jwk = RsaJwk(withPrivate: true);
        if (keep is not null)
        {
            foreach (string member in (string[])["d", "p", "q", "dp", "dq", "qi"])
            {
                if (!keep.Contains(member))
                {
                    jwk.Remove(member);
                }
            }
        }

        if (swap is (string a, string b))
        {
            (jwk[a], jwk[b]) = ((string)jwk[b]!, (string)jwk[a]!);
        }

        if (replace is (string target, string source))
        {
            jwk[target] = (string)jwk[source]!;
        }

        if (leadingZero is not null)
        {
            jwk[leadingZero] = Base64UrlStrict.Encode([0, .. Base64UrlStrict.TryDecode((string)jwk[leadingZero]!)!]);
        }

        string text = jwk.ToJsonString();
        return extra is null ? text : text[..^1] + "," + extra + "}";
    }

    /// <summary>An odd number of exactly <paramref name="length"/> bytes with the top bit set: the right shape, the wrong size.</summary>
    private static byte[] Odd(int length)
    {
        byte[] value = new byte[length];
        Array.Fill(value, (byte)0xA5);
        value[0] = 0xC3;
        value[^1] |= 1;
        return value;
    }
}
