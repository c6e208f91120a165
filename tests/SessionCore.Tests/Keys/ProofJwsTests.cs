using System;
using System.Text;
using System.Text.Json.Nodes;
using SessionCore.Keys;
using SessionCore.Tests.Dpop;
using Xunit;

namespace SessionCore.Tests.Keys;

/// <summary>The shared reader of key-bound proofs, apart from DPoP's claims: modes, key cache and thumbprints.</summary>
public sealed class ProofJwsTests : IDisposable
{
    private static readonly ProofJwsPolicy s_policy = new("dpop+jwt", [ProofAlgorithm.Es256, ProofAlgorithm.EdDsa, ProofAlgorithm.Ed25519], 4096);
    private readonly DpopKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Theory]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    [InlineData("Ed25519")]
    public void ReadEmbedded_ValidProof_VerifiesAndGivesTheKeysThumbprint(string alg)
    {
        SigningKey key = alg == "ES256" ? _kit.Es256 : _kit.EdDsa;
        string proof = DpopKit.Sign(key, Header(key, alg).ToJsonString(), "{\"a\":1}");

        ProofJwsStatus status = Read(proof, out string? thumbprint, out string? algorithm);

        Assert.Equal(ProofJwsStatus.Valid, status);
        Assert.Equal(key.KeyId, thumbprint);
        Assert.Equal(alg, algorithm);
    }

    [Fact]
    public void Thumbprint_FromMemberText_EqualsTheSigningKeyThumbprint()
    {
        byte[] digest = new byte[32];
        foreach (SigningKey key in new[] { _kit.Es256, _kit.EdDsa, _kit.OtherEs256, _kit.OtherEdDsa })
        {
            JsonObject jwk = DpopKit.Jwk(key);
            bool ec = (string?)jwk["kty"] == "EC";

            PublicJwk.Thumbprint(ec ? ProofKeyType.EcP256 : ProofKeyType.OkpEd25519, Encoding.ASCII.GetBytes((string)jwk["x"]!), ec ? Encoding.ASCII.GetBytes((string)jwk["y"]!) : default, digest);

            Assert.Equal(key.KeyId, DpopKit.B64(digest));
        }
    }

    [Fact]
    public void TryImport_EscapedMembersAndOptionalOnes_GiveTheSameKey()
    {
        JsonObject jwk = DpopKit.Jwk(_kit.Es256);
        string escaped = "{\"k\\u0074y\":\"E\\u0043\",\"crv\":\"P-256\",\"x\":" + Escape((string)jwk["x"]!) + ",\"y\":\"" + jwk["y"] + "\",\"alg\":\"ES256\",\"use\":\"sig\",\"key_ops\":[\"verify\"],\"kid\":\"anything\",\"ext\":true}";

        ProofJwsStatus status = PublicJwk.TryImport(Encoding.UTF8.GetBytes(escaped), ProofAlgorithm.Es256, null, out SigningKey? key);

        Assert.Equal(ProofJwsStatus.Valid, status);
        Assert.Equal(_kit.Es256.KeyId, key!.KeyId);
        Assert.False(key.HasPrivateKey);
    }

    [Fact]
    public void TryImport_WithCache_ReturnsTheSameKeyObject()
    {
        ProofKeyCache cache = new(16);
        byte[] jwk = Encoding.UTF8.GetBytes(DpopKit.Jwk(_kit.Es256).ToJsonString());

        PublicJwk.TryImport(jwk, ProofAlgorithm.Es256, cache, out SigningKey? first);
        PublicJwk.TryImport(jwk, ProofAlgorithm.Es256, cache, out SigningKey? second);
        PublicJwk.TryImport(jwk, ProofAlgorithm.Es256, null, out SigningKey? uncached);

        Assert.Same(first, second);
        Assert.NotSame(first, uncached);
        Assert.Equal(first!.KeyId, uncached!.KeyId);
    }

    [Fact]
    public void TryImport_EdDsaAndEd25519_ShareOneCachedKey()
    {
        ProofKeyCache cache = new(16);
        byte[] jwk = Encoding.UTF8.GetBytes(DpopKit.Jwk(_kit.EdDsa).ToJsonString());

        PublicJwk.TryImport(jwk, ProofAlgorithm.EdDsa, cache, out SigningKey? first);
        PublicJwk.TryImport(jwk, ProofAlgorithm.Ed25519, cache, out SigningKey? second);

        Assert.Same(first, second);
    }

    [Fact]
    public void TryParse_SameHeaderAgain_IsRecognisedInTheCacheAndStillVerified()
    {
        ProofKeyCache cache = new(16);
        string header = Header(_kit.Es256, "ES256").ToJsonString();
        string first = DpopKit.Sign(_kit.Es256, header, "{\"n\":1}");
        string second = DpopKit.Sign(_kit.Es256, header, "{\"n\":2}");
        string forged = DpopKit.Sign(_kit.OtherEs256, header, "{\"n\":3}");

        Assert.Equal((ProofJwsStatus.Valid, false), ReadCached(first, cache));
        Assert.Equal((ProofJwsStatus.Valid, true), ReadCached(second, cache));

        // A cached header says which key to use, not that the signature holds.
        Assert.Equal((ProofJwsStatus.InvalidSignature, true), ReadCached(forged, cache));
    }

    [Fact]
    public void TryParse_HeaderDifferingInOneByte_IsReadAgain()
    {
        ProofKeyCache cache = new(16);
        JsonObject header = Header(_kit.Es256, "ES256");
        Assert.Equal((ProofJwsStatus.Valid, false), ReadCached(DpopKit.Sign(_kit.Es256, header.ToJsonString(), "{}"), cache));
        header["typ"] = "JWT";

        Assert.Equal((ProofJwsStatus.WrongType, false), ReadCached(DpopKit.Sign(_kit.Es256, header.ToJsonString(), "{}"), cache));
    }

    [Fact]
    public void TryParse_HeaderWhoseKeyFailed_IsNotCached()
    {
        ProofKeyCache cache = new(16);
        JsonObject header = Header(_kit.Es256, "ES256");
        header["jwk"]!["y"] = DpopKit.B64(new byte[32]);
        string proof = DpopKit.Sign(_kit.Es256, header.ToJsonString(), "{}");

        Assert.Equal((ProofJwsStatus.InvalidKey, false), ReadCached(proof, cache));
        Assert.Equal((ProofJwsStatus.InvalidKey, false), ReadCached(proof, cache));
    }

    [Fact]
    public void Cache_DisposedKey_IsNotReturned()
    {
        ProofKeyCache cache = new(1);
        byte[] digest = new byte[32];
        SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        cache.Add(digest, key);
        Assert.Same(key, cache.Find(digest, SigningAlgorithm.Es256));
        Assert.Null(cache.Find(digest, SigningAlgorithm.EdDsa));

        key.Dispose();

        Assert.Null(cache.Find(digest, SigningAlgorithm.Es256));
    }

    [Fact]
    public void Cache_OneSlot_NewerKeyReplacesOlder()
    {
        ProofKeyCache cache = new(1);
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[31] = 1;
        cache.Add(a, _kit.Es256);
        cache.Add(b, _kit.OtherEs256);

        Assert.Null(cache.Find(a, SigningAlgorithm.Es256));
        Assert.Same(_kit.OtherEs256, cache.Find(b, SigningAlgorithm.Es256));
    }

    [Fact]
    public void RegisteredKey_ProofWithoutJwk_VerifiesWithTheRegisteredKey()
    {
        JsonObject header = new() { ["typ"] = "dpop+jwt", ["alg"] = "ES256" };
        string proof = DpopKit.Sign(_kit.Es256, header.ToJsonString(), "{\"a\":1}");
        using SigningKey registered = SigningKey.ImportJwk(_kit.Es256.ExportPublicJwk());

        Assert.Equal(ProofJwsStatus.Valid, ReadRegistered(proof, registered));
        Assert.Equal(ProofJwsStatus.InvalidSignature, ReadRegistered(proof, _kit.OtherEs256));
        Assert.Equal(ProofJwsStatus.AlgorithmMismatch, ReadRegistered(proof, _kit.EdDsa));
    }

    [Fact]
    public void RegisteredKey_ProofBringingItsOwnJwk_IsUnexpectedKey()
    {
        string proof = DpopKit.Sign(_kit.Es256, Header(_kit.Es256, "ES256").ToJsonString(), "{\"a\":1}");

        Assert.Equal(ProofJwsStatus.UnexpectedKey, ReadRegistered(proof, _kit.Es256));
    }

    [Fact]
    public void TryParse_OtherType_IsWrongTypeButApplicationPrefixAndCaseAreAccepted()
    {
        foreach ((string typ, ProofJwsStatus expected) in new[]
        {
            ("dpop+jwt", ProofJwsStatus.Valid),
            ("DPoP+JWT", ProofJwsStatus.Valid),
            ("application/dpop+jwt", ProofJwsStatus.Valid),
            ("dbsc+jwt", ProofJwsStatus.WrongType),
            ("application/dpop+jwt; x=1", ProofJwsStatus.WrongType),
        })
        {
            JsonObject header = Header(_kit.Es256, "ES256");
            header["typ"] = typ;
            Assert.Equal(expected, Read(DpopKit.Sign(_kit.Es256, header.ToJsonString(), "{}"), out _, out _));
        }
    }

    [Fact]
    public void Policy_OtherTypeAndAllowList_AreHonoured()
    {
        ProofJwsPolicy dbsc = new("dbsc+jwt", [ProofAlgorithm.Es256], 2048);
        JsonObject header = new() { ["typ"] = "dbsc+jwt", ["alg"] = "EdDSA", ["jwk"] = DpopKit.Jwk(_kit.EdDsa) };
        byte[] token = Encoding.ASCII.GetBytes(DpopKit.Sign(_kit.EdDsa, header.ToJsonString(), "{}"));
        byte[] buffer = new byte[ProofJws.GetBufferSize(token.Length)];

        Assert.Equal(ProofJwsStatus.UnsupportedAlgorithm, ProofJws.TryParse(token, dbsc, buffer, null, out _));
    }

    private static string Escape(string value)
    {
        StringBuilder escaped = new("\"");
        foreach (char c in value)
        {
            escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return escaped.Append('"').ToString();
    }

    private static JsonObject Header(SigningKey key, string alg) => new() { ["typ"] = "dpop+jwt", ["alg"] = alg, ["jwk"] = DpopKit.Jwk(key) };

    private static ProofJwsStatus Read(string proof, out string? thumbprint, out string? algorithm)
    {
        thumbprint = null;
        algorithm = null;
        byte[] token = Encoding.ASCII.GetBytes(proof);
        byte[] buffer = new byte[ProofJws.GetBufferSize(token.Length)];
        ProofJwsStatus status = ProofJws.TryParse(token, s_policy, buffer, null, out ProofJws jws);
        if (status != ProofJwsStatus.Valid)
        {
            return status;
        }

        algorithm = jws.Algorithm.Name;
        status = jws.TryGetEmbeddedKey(out SigningKey? key);
        if (status != ProofJwsStatus.Valid)
        {
            return status;
        }

        thumbprint = key!.KeyId;
        return jws.Verify(key);
    }

    private static (ProofJwsStatus Status, bool FromCache) ReadCached(string proof, ProofKeyCache cache)
    {
        byte[] token = Encoding.ASCII.GetBytes(proof);
        byte[] buffer = new byte[ProofJws.GetBufferSize(token.Length)];
        ProofJwsStatus status = ProofJws.TryParse(token, s_policy, buffer, cache, out ProofJws jws);
        if (status != ProofJwsStatus.Valid)
        {
            return (status, false);
        }

        bool fromCache = jws.IsHeaderFromCache;
        status = jws.TryGetEmbeddedKey(out SigningKey? key);
        return (status == ProofJwsStatus.Valid ? jws.Verify(key!) : status, fromCache);
    }

    private static ProofJwsStatus ReadRegistered(string proof, SigningKey registered)
    {
        byte[] token = Encoding.ASCII.GetBytes(proof);
        byte[] buffer = new byte[ProofJws.GetBufferSize(token.Length)];
        ProofJwsStatus status = ProofJws.TryParse(token, s_policy, buffer, null, out ProofJws jws);
        if (status == ProofJwsStatus.Valid)
        {
            status = jws.CheckRegisteredKey(registered);
        }

        return status == ProofJwsStatus.Valid ? jws.Verify(registered) : status;
    }
}
