using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tests.Jwt;
using Xunit;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dpop;

/// <summary>
/// RS256 and PS256 DPoP proofs (RFC 7518 §3.3, §3.5): accepted only when the host allows them, and the RSA
/// <c>jwk</c> held to the same bounds as an RSA signing key (2048 to 4096 bits, canonical <c>n</c> and <c>e</c>,
/// odd exponent of at least 3, no private member). Signed with the platform's RSA, not the library's, so the
/// signer is independent of the verifier.
/// </summary>
public sealed class DpopRsaProofTests : IDisposable
{
    private const DpopSigningAlgorithms WithRsa = DpopSigningAlgorithms.Default | DpopSigningAlgorithms.Rs256 | DpopSigningAlgorithms.Ps256;

    private static readonly Lazy<RSA> s_rsa = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa1024 = new(() => RSA.Create(1024));

    private readonly DpopKit _kit = new();

    public static TheoryData<string> HostileCaseNames => [.. HostileCases().Keys.Order(StringComparer.Ordinal)];

    public void Dispose() => _kit.Dispose();

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Validate_RsaProofAllowed_IsValid(string alg)
    {
        using DpopProofValidator validator = _kit.Validator(o => o.AllowedAlgorithms = WithRsa);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(Proof(alg)), TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(alg, result.Value.Algorithm);
        Assert.Equal(Thumbprint(PublicJwk(s_rsa.Value)), result.Value.KeyThumbprint);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Validate_RsaProofUnderDefaultAlgorithms_IsUnsupportedAlgorithm(string alg)
    {
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await validator.ValidateAsync(Request(Proof(alg)), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.UnsupportedAlgorithm, result.Status);
    }

    [Theory]
    [InlineData("RS256", DpopSigningAlgorithms.Ps256)]
    [InlineData("PS256", DpopSigningAlgorithms.Rs256)]
    public async Task Validate_OtherRsaAlgorithmAllowedOnly_IsUnsupportedAlgorithm(string alg, DpopSigningAlgorithms allowed)
    {
        using DpopProofValidator validator = _kit.Validator(o => o.AllowedAlgorithms = DpopSigningAlgorithms.Es256 | allowed);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(Proof(alg)), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.UnsupportedAlgorithm, result.Status);
    }

    [Theory]
    [MemberData(nameof(HostileCaseNames))]
    public async Task Validate_HostileRsaProof_IsRefusedByItsCheck(string name)
    {
        (DpopProofStatus expected, Func<DpopKit, string> build) = HostileCases()[name];
        using DpopProofValidator validator = _kit.Validator(o => o.AllowedAlgorithms = WithRsa);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(build(_kit)), TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void AlgorithmNames_RsaFlags_ListsThemAfterTheDefaults() =>
        Assert.Equal(["ES256", "EdDSA", "Ed25519", "RS256", "PS256"], DpopChallenge.AlgorithmNames(WithRsa));

    [Fact]
    public void RsaThumbprint_Rfc7638Example_IsTheRfcValue()
    {
        JsonElement vector = Vectors.Rfc("rfc7638_s3_1_thumbprint");
        JsonElement jwk = vector.GetProperty("jwk");
        Span<byte> digest = stackalloc byte[32];

        SessionCore.Keys.PublicJwk.RsaThumbprint(Encoding.ASCII.GetBytes(jwk.GetProperty("n").GetString()!), Encoding.ASCII.GetBytes(jwk.GetProperty("e").GetString()!), digest);

        Assert.Equal(vector.GetProperty("thumbprint_b64u").GetString(), Base64UrlStrict.Encode(digest));
    }

    private static Dictionary<string, (DpopProofStatus Expected, Func<DpopKit, string> Build)> HostileCases()
    {
        RSAParameters p = s_rsa.Value.ExportParameters(false);
        string n = B64(p.Modulus), e = B64(p.Exponent);
        byte[] n4097 = [0x01, .. RandomNumberGenerator.GetBytes(512)];
        n4097[^1] |= 1;
        return new(StringComparer.Ordinal)
        {
            ["modulus-1024-bits"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", PublicJwk(s_rsa1024.Value), s_rsa1024.Value)),
            ["modulus-4097-bits"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(B64(n4097), e))),
            ["modulus-leading-zero-byte"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(B64([0, .. p.Modulus!]), e))),
            ["modulus-even"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(B64([.. p.Modulus![..^1], (byte)(p.Modulus![^1] & 0xFE)]), e))),
            ["modulus-padded-base64url"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(n + "=", e))),
            ["modulus-missing"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", new JsonObject { ["kty"] = "RSA", ["e"] = e })),
            ["exponent-1"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(n, "AQ"))),
            ["exponent-even"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(n, B64([0x01, 0x00, 0x02])))),
            ["exponent-leading-zero-byte"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(n, B64([0x00, 0x01, 0x00, 0x01])))),
            ["exponent-five-bytes"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", Rsa(n, B64([0x01, 0x00, 0x00, 0x00, 0x01])))),
            ["exponent-missing"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", new JsonObject { ["kty"] = "RSA", ["n"] = n })),
            ["rsa-key-with-crv"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", With(PublicJwk(s_rsa.Value), "crv", "P-256"))),
            ["rsa-key-with-x"] = (DpopProofStatus.InvalidKey, k => Proof(k, "RS256", With(PublicJwk(s_rsa.Value), "x", B64(new byte[32])))),
            ["private-d"] = (DpopProofStatus.PrivateKey, k => Proof(k, "RS256", With(PublicJwk(s_rsa.Value), "d", B64(s_rsa.Value.ExportParameters(true).D)))),
            ["private-oth"] = (DpopProofStatus.PrivateKey, k => Proof(k, "PS256", With(PublicJwk(s_rsa.Value), "oth", "x"))),
            ["rs256-with-ec-key"] = (DpopProofStatus.AlgorithmMismatch, k => Proof(k, "RS256", Jwk(k.Es256))),
            ["ps256-with-okp-key"] = (DpopProofStatus.AlgorithmMismatch, k => Proof(k, "PS256", Jwk(k.EdDsa))),
            ["es256-with-rsa-key"] = (DpopProofStatus.AlgorithmMismatch, k => Proof(k, "ES256", PublicJwk(s_rsa.Value))),
            ["jwk-alg-ps256-under-rs256"] = (DpopProofStatus.AlgorithmMismatch, k => Proof(k, "RS256", With(PublicJwk(s_rsa.Value), "alg", "PS256"))),
            ["ps256-signature-under-rs256"] = (DpopProofStatus.InvalidSignature, k => Proof(k, "RS256", PublicJwk(s_rsa.Value), s_rsa.Value, RSASignaturePadding.Pss)),
            ["rs256-signature-under-ps256"] = (DpopProofStatus.InvalidSignature, k => Proof(k, "PS256", PublicJwk(s_rsa.Value), s_rsa.Value, RSASignaturePadding.Pkcs1)),
            ["signature-one-byte-short"] = (DpopProofStatus.InvalidSignature, k => Shorten(Proof(k, "RS256", PublicJwk(s_rsa.Value)))),
            ["signature-one-byte-long"] = (DpopProofStatus.InvalidSignature, k => Lengthen(Proof(k, "PS256", PublicJwk(s_rsa.Value)))),
            ["signature-by-other-key"] = (DpopProofStatus.InvalidSignature, k => Proof(k, "RS256", PublicJwk(s_rsa.Value), s_rsa1024.Value)),
        };
    }

    private static JsonObject Rsa(string n, string e) => new() { ["kty"] = "RSA", ["n"] = n, ["e"] = e };

    private static JsonObject PublicJwk(RSA rsa)
    {
        RSAParameters p = rsa.ExportParameters(false);
        return Rsa(B64(p.Modulus), B64(p.Exponent));
    }

    private static JsonObject With(JsonObject jwk, string name, string value)
    {
        jwk[name] = value;
        return jwk;
    }

    private static string Thumbprint(JsonObject jwk) =>
        B64(SHA256.HashData(Encoding.UTF8.GetBytes("{\"e\":\"" + (string?)jwk["e"] + "\",\"kty\":\"RSA\",\"n\":\"" + (string?)jwk["n"] + "\"}")));

    private string Proof(string alg) => Proof(_kit, alg, PublicJwk(s_rsa.Value));

    private static string Proof(DpopKit kit, string alg, JsonObject jwk, RSA? signer = null, RSASignaturePadding? padding = null)
    {
        JsonObject header = new() { ["typ"] = "dpop+jwt", ["alg"] = alg, ["jwk"] = jwk };
        JsonObject payload = new() { ["jti"] = NewJti(), ["htm"] = "POST", ["htu"] = TokenEndpoint, ["iat"] = kit.Time.GetUtcNow().ToUnixTimeSeconds() };
        string input = B64(header.ToJsonString(Relaxed)) + "." + B64(payload.ToJsonString(Relaxed));
        padding ??= alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        byte[] signature = (signer ?? s_rsa.Value).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, padding);
        return input + "." + B64(signature);
    }

    private static string Shorten(string proof)
    {
        int dot = proof.LastIndexOf('.');
        byte[] signature = Base64UrlStrict.TryDecode(proof.AsSpan(dot + 1))!;
        return proof[..(dot + 1)] + B64(signature.AsSpan(0, signature.Length - 1));
    }

    private static string Lengthen(string proof)
    {
        int dot = proof.LastIndexOf('.');
        return proof[..(dot + 1)] + B64([.. Base64UrlStrict.TryDecode(proof.AsSpan(dot + 1))!, 0]);
    }

    private static DpopProofRequest Request(string proof) => new() { Proof = proof, Method = "POST", TargetUri = TokenEndpoint };
}
