using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Keys;
using SessionCore.Stores;
using Xunit;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dpop;

/// <summary>
/// The negative corpus: hostile proofs, each signed with a real key and changed in exactly one way, so each isolates
/// one check of RFC 9449 §4.3 (or §8, §11.1), each with the exact refusal it must get. Most cases run for an ES256
/// and an Ed25519 key.
/// </summary>
public sealed class DpopHostileProofTests : IDisposable
{
    private static readonly Dictionary<string, HostileCase> s_cases = BuildCases();
    private readonly DpopKit _kit = new();

    public static TheoryData<string> CaseNames => [.. s_cases.Keys.Order(StringComparer.Ordinal)];

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void Corpus_HasAtLeast120RefusalsAndCoversEveryRefusalStatus()
    {
        Assert.True(s_cases.Count >= 120, s_cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(s_cases.Values, c => c.Expected == DpopProofStatus.Valid);
        DpopProofStatus[] covered = [.. s_cases.Values.Select(c => c.Expected).Distinct()];
        Assert.All(Enum.GetValues<DpopProofStatus>().Where(s => s != DpopProofStatus.Valid), s => Assert.Contains(s, covered));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Validate_HostileProof_IsRefusedByItsCheck(string name)
    {
        HostileCase hostile = s_cases[name];

        DpopProofValidationResult result = await hostile.Run(_kit, hostile.Algorithm == "ES256" ? _kit.Es256 : _kit.EdDsa);

        Assert.Equal(hostile.Expected, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    [InlineData("Ed25519")]
    public async Task Validate_UnchangedControlProof_IsValid(string alg)
    {
        // The positive control: the same construction, with nothing changed, is accepted.
        ProofSpec spec = _kit.Spec(alg == "ES256" ? _kit.Es256 : _kit.EdDsa);
        spec.Header["alg"] = alg;
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(spec.Key.KeyId, result.Value.KeyThumbprint);
        Assert.Equal(alg, result.Value.Algorithm);
    }

    private static Dictionary<string, HostileCase> BuildCases()
    {
        CaseTable t = new();

        // Check 1-2: presence, size, compact serialisation, base64url.
        t.Both("empty-proof", DpopProofStatus.Missing, s => s.AfterSigning = _ => string.Empty);
        t.Custom("null-proof", "ES256", DpopProofStatus.Missing, async (kit, key) =>
        {
            ProofSpec spec = kit.Spec(key);
            using DpopProofValidator validator = kit.Validator();
            return await validator.ValidateAsync(new DpopProofRequest { Proof = null, Method = spec.Method, TargetUri = spec.TargetUri }, TestContext.Current.CancellationToken);
        });
        t.Both("over-max-length", DpopProofStatus.TooLarge, s => s.Payload["pad"] = new string('a', 4000));
        t.Both("over-configured-length", DpopProofStatus.TooLarge, s => s.Payload["pad"] = new string('a', 700), o => o.MaxProofLength = 512);
        t.Both("two-segments", DpopProofStatus.Malformed, s => s.AfterSigning = p => p[..p.LastIndexOf('.')]);
        t.Both("four-segments", DpopProofStatus.Malformed, s => s.AfterSigning = p => p + ".AAAA");
        t.Both("empty-header-segment", DpopProofStatus.Malformed, s => s.AfterSigning = p => p[p.IndexOf('.')..]);
        t.Both("empty-signature-segment", DpopProofStatus.Malformed, s => s.AfterSigning = p => p[..(p.LastIndexOf('.') + 1)]);
        t.Both("padded-header", DpopProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(p.IndexOf('.'), "=="));
        t.Both("space-inside", DpopProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(10, " "));
        t.Both("non-ascii-character", DpopProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(10, "é"));
        t.Both("standard-base64-alphabet", DpopProofStatus.Malformed, s => s.AfterSigning = p => ReplaceSegment(p, 2, "+/" + p.Split('.')[2][2..]));
        t.Both("non-canonical-signature-bits", DpopProofStatus.Malformed, s => s.AfterSigning = NonCanonicalLastCharacter);
        t.Both("header-not-json", DpopProofStatus.Malformed, s => s.RawHeader = "typ=dpop+jwt");
        t.Both("header-json-array", DpopProofStatus.Malformed, s => s.RawHeader = "[" + s.Header.ToJsonString(Relaxed) + "]");
        t.Both("header-duplicate-alg", DpopProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed).Insert(1, "\"alg\":\"" + s.Header["alg"] + "\","));
        t.Both("header-duplicate-inside-jwk", DpopProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed).Replace("\"x\":", "\"x\":\"AAAA\",\"x\":", StringComparison.Ordinal));
        t.Both("header-trailing-comma", DpopProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed)[..^1] + ",}");
        t.Both("header-trailing-garbage", DpopProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed) + "x");
        t.Both("payload-duplicate-jti", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Insert(1, "\"jti\":\"other\","));
        t.Both("payload-duplicate-escaped-name", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Insert(1, "\"j\\u0074i\":\"other\","));
        t.Both("payload-duplicate-nested", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed)[..^1] + ",\"ext\":{\"a\":1,\"a\":2}}");
        t.Both("payload-json-string", DpopProofStatus.Malformed, s => s.RawPayload = "\"jti\"");
        t.Both("payload-two-objects", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed) + "{}");
        t.Both("payload-comment", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Insert(1, "/*c*/"));
        t.Both("payload-invalid-utf8", DpopProofStatus.Malformed, s => s.RawPayloadBytes = [.. Encoding.UTF8.GetBytes(s.Payload.ToJsonString(Relaxed)[..^1] + ",\"x\":\""), 0xC3, 0x28, .. "\"}"u8]);
        t.Both("payload-too-deep", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed)[..^1] + ",\"x\":" + new string('[', 20) + new string(']', 20) + "}");

        // Check 4: typ.
        t.Both("typ-missing", DpopProofStatus.WrongType, s => s.Header.Remove("typ"));
        t.Both("typ-jwt", DpopProofStatus.WrongType, s => s.Header["typ"] = "JWT");
        t.Both("typ-access-token", DpopProofStatus.WrongType, s => s.Header["typ"] = "at+jwt");
        t.Both("typ-number", DpopProofStatus.WrongType, s => s.Header["typ"] = 1);
        t.Both("typ-trailing-space", DpopProofStatus.WrongType, s => s.Header["typ"] = "dpop+jwt ");

        // Check 5: alg, and the forbidden header parameters.
        t.Both("alg-missing", DpopProofStatus.UnsupportedAlgorithm, s => s.Header.Remove("alg"));
        t.Both("alg-none", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "none");
        t.Both("alg-hs256", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "HS256");
        t.Both("alg-rs256", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "RS256");
        t.Both("alg-es384", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "ES384");
        t.Both("alg-lower-case", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = s.Header["alg"]!.GetValue<string>().ToLowerInvariant());
        t.Both("alg-number", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = 256);
        t.Both("alg-array", DpopProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = new JsonArray(s.Header["alg"]!.GetValue<string>()));
        t.Both("alg-not-in-allow-list", DpopProofStatus.UnsupportedAlgorithm, _ => { }, onlyOther: true);
        t.Both("crit", DpopProofStatus.ForbiddenHeader, s => s.Header["crit"] = new JsonArray("exp"));
        t.Both("jku", DpopProofStatus.ForbiddenHeader, s => s.Header["jku"] = "https://attacker.example/jwks");
        t.Both("x5u", DpopProofStatus.ForbiddenHeader, s => s.Header["x5u"] = "https://attacker.example/cert");
        t.Both("x5c", DpopProofStatus.ForbiddenHeader, s => s.Header["x5c"] = new JsonArray("MIIB"));
        t.Both("b64-false", DpopProofStatus.ForbiddenHeader, s => s.Header["b64"] = false);
        t.Both("zip", DpopProofStatus.ForbiddenHeader, s => s.Header["zip"] = "DEF");

        // Checks 6-7: the key.
        t.Both("jwk-missing", DpopProofStatus.MissingKey, s => s.Header.Remove("jwk"));
        t.Both("jwk-string", DpopProofStatus.InvalidKey, s => s.Header["jwk"] = s.Header["jwk"]!.ToJsonString());
        t.Both("jwk-null", DpopProofStatus.InvalidKey, s => s.Header["jwk"] = null);
        t.Both("jwk-with-private-d", DpopProofStatus.PrivateKey, s => s.Header["jwk"] = Minimal(PrivateJwk(s.Key), "d"));
        t.Both("jwk-with-escaped-d", DpopProofStatus.PrivateKey, s => s.RawHeader = s.Header.ToJsonString(Relaxed)[..^2] + ",\"\\u0064\":\"AAAA\"}}");
        t.Both("jwk-with-rsa-private-p", DpopProofStatus.PrivateKey, s => s.Header["jwk"]!["p"] = "AAAA");
        t.Both("jwk-with-rsa-private-qi", DpopProofStatus.PrivateKey, s => s.Header["jwk"]!["qi"] = "AAAA");
        t.Both("jwk-symmetric-oct", DpopProofStatus.PrivateKey, s => s.Header["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = B64(RandomNumberGenerator.GetBytes(32)) });
        t.Both("jwk-kty-missing", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!.AsObject().Remove("kty"));
        t.Both("jwk-kty-rsa", DpopProofStatus.AlgorithmMismatch, s => s.Header["jwk"] = new JsonObject { ["kty"] = "RSA", ["n"] = B64(RandomNumberGenerator.GetBytes(256)), ["e"] = "AQAB" });
        t.Both("jwk-kty-lower-case", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["kty"] = s.Header["jwk"]!["kty"]!.GetValue<string>().ToLowerInvariant());
        t.Both("jwk-crv-missing", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!.AsObject().Remove("crv"));
        t.Both("jwk-crv-other", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["crv"] = s.Key.Algorithm == SigningAlgorithm.Es256 ? "P-384" : "X25519");
        t.Both("jwk-x-short", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = s.Header["jwk"]!["x"]!.GetValue<string>()[..42]);
        t.Both("jwk-x-long", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = s.Header["jwk"]!["x"]!.GetValue<string>() + "AAAA");
        t.Both("jwk-x-non-canonical", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = NonCanonicalLastCharacter(s.Header["jwk"]!["x"]!.GetValue<string>()));
        t.Both("jwk-x-padded", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = s.Header["jwk"]!["x"]!.GetValue<string>() + "=");
        t.Both("jwk-x-number", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = 1);
        t.Both("jwk-use-enc", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["use"] = "enc");
        t.Both("jwk-key-ops-encrypt", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["key_ops"] = new JsonArray("verify", "encrypt"));
        t.Both("jwk-key-ops-string", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["key_ops"] = "verify");
        t.Both("jwk-kid-number", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["kid"] = 7);
        t.Es("jwk-y-missing", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!.AsObject().Remove("y"));
        t.Es("jwk-point-not-on-curve", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["y"] = B64(RandomNumberGenerator.GetBytes(32)));
        t.Es("jwk-point-at-zero", DpopProofStatus.InvalidKey, s =>
        {
            s.Header["jwk"]!["x"] = B64(new byte[32]);
            s.Header["jwk"]!["y"] = B64(new byte[32]);
        });
        t.Ed("jwk-okp-with-y", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["y"] = s.Header["jwk"]!["x"]!.GetValue<string>());
        t.Both("alg-for-other-key-type", DpopProofStatus.AlgorithmMismatch, s => s.Header["alg"] = s.Key.Algorithm == SigningAlgorithm.Es256 ? "EdDSA" : "ES256");
        t.Ed("alg-ed25519-name-for-ec-key", DpopProofStatus.AlgorithmMismatch, s =>
        {
            s.Header["jwk"] = Jwk(s.Signer = OtherKey(s, es: true));
            s.Header["alg"] = "Ed25519";
        });
        t.Both("jwk-alg-other", DpopProofStatus.AlgorithmMismatch, s => s.Header["jwk"]!["alg"] = s.Key.Algorithm == SigningAlgorithm.Es256 ? "ES384" : "ES256");
        t.Both("jwk-alg-number", DpopProofStatus.InvalidKey, s => s.Header["jwk"]!["alg"] = 1);

        // Check 6: the signature.
        t.Both("signed-by-another-key", DpopProofStatus.InvalidSignature, s => s.Signer = OtherKey(s, es: s.Key.Algorithm == SigningAlgorithm.Es256));
        t.Both("signature-one-byte-short", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => sig[..^1]));
        t.Both("signature-one-byte-long", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => [.. sig, 0]));
        t.Both("signature-zero", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => new byte[sig.Length]));
        t.Both("signature-bit-flipped", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => { sig[5] ^= 0x10; return sig; }));
        t.Both("payload-changed-after-signing", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSegment(p, 1, B64(s.Payload.ToJsonString(Relaxed).Replace("POST", "GETS", StringComparison.Ordinal))));
        t.Both("header-changed-after-signing", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSegment(p, 0, B64(s.Header.ToJsonString(Relaxed)[..^1] + ",\"kid\":\"k\"}")));
        t.Ed("alg-renamed-after-signing", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p =>
        {
            JsonObject renamed = s.Header.DeepClone().AsObject();
            renamed["alg"] = "Ed25519";
            return ReplaceSegment(p, 0, B64(renamed.ToJsonString(Relaxed)));
        });
        t.Es("signature-der-encoded", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, ToDer));
        t.Es("signature-last-bit-flipped", DpopProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => { sig[63] ^= 1; return sig; }));

        // Check 3: required claims, types and sizes.
        t.Both("jti-missing", DpopProofStatus.MissingClaim, s => s.Payload.Remove("jti"));
        t.Both("htm-missing", DpopProofStatus.MissingClaim, s => s.Payload.Remove("htm"));
        t.Both("htu-missing", DpopProofStatus.MissingClaim, s => s.Payload.Remove("htu"));
        t.Both("iat-missing", DpopProofStatus.MissingClaim, s => s.Payload.Remove("iat"));
        t.Both("ath-missing-with-token", DpopProofStatus.MissingClaim, s => s.ForResource().Payload.Remove("ath"));
        t.Both("jti-empty", DpopProofStatus.Malformed, s => s.Payload["jti"] = string.Empty);
        t.Both("jti-number", DpopProofStatus.Malformed, s => s.Payload["jti"] = 12345);
        t.Both("jti-too-long", DpopProofStatus.Malformed, s => s.Payload["jti"] = new string('j', 257));
        t.Both("jti-null", DpopProofStatus.Malformed, s => s.Payload["jti"] = null);
        t.Both("htm-number", DpopProofStatus.Malformed, s => s.Payload["htm"] = 1);
        t.Both("htu-object", DpopProofStatus.Malformed, s => s.Payload["htu"] = new JsonObject { ["href"] = TokenEndpoint });
        t.Both("htu-too-long", DpopProofStatus.Malformed, s => s.Payload["htu"] = TokenEndpoint + "/" + new string('a', 2048));
        t.Both("iat-string", DpopProofStatus.Malformed, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        t.Both("iat-fraction", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Replace(s.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), s.Now.ToUnixTimeSeconds() + ".5", StringComparison.Ordinal));
        t.Both("iat-negative", DpopProofStatus.Malformed, s => s.Payload["iat"] = -1);
        t.Both("iat-beyond-year-9999", DpopProofStatus.Malformed, s => s.Payload["iat"] = 253402300800L);
        t.Both("iat-exponent", DpopProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Replace(s.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "1.9e9", StringComparison.Ordinal));
        t.Both("ath-number", DpopProofStatus.Malformed, s => s.ForResource().Payload["ath"] = 1);
        t.Both("ath-too-long", DpopProofStatus.Malformed, s => s.ForResource().Payload["ath"] = new string('a', 87));
        t.Both("nonce-number", DpopProofStatus.Malformed, s => s.Payload["nonce"] = 1, o => o.RequireNonce = true);

        // Check 8: htm.
        t.Both("htm-other-method", DpopProofStatus.MethodMismatch, s => s.Payload["htm"] = "GET");
        t.Both("htm-lower-case", DpopProofStatus.MethodMismatch, s => s.Payload["htm"] = "post");
        t.Both("htm-trailing-space", DpopProofStatus.MethodMismatch, s => s.Payload["htm"] = "POST ");
        t.Both("request-method-differs", DpopProofStatus.MethodMismatch, s => s.Method = "PUT");

        // Check 9: htu after normalisation.
        t.Both("htu-other-path", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/authorize");
        t.Both("htu-other-host", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://attacker.example/token");
        t.Both("htu-host-suffix", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com.attacker.example/token");
        t.Both("htu-http-scheme", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "http://server.example.com/token");
        t.Both("htu-other-port", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com:8443/token");
        t.Both("htu-port-80-on-https", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com:80/token");
        t.Both("htu-trailing-slash", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = TokenEndpoint + "/");
        t.Both("htu-path-case", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/TOKEN");
        t.Both("htu-relative", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "/token");
        t.Both("htu-userinfo", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://user@server.example.com/token");
        t.Both("htu-dot-segments-to-other-path", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/token/../authorize");
        t.Both("htu-encoded-slash", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/to%2Fken");
        t.Both("htu-non-ascii", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/tökén");
        t.Both("htu-backslash", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com\\token");
        t.Both("htu-ftp", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "ftp://server.example.com/token");
        t.Both("htu-bad-percent", DpopProofStatus.UriMismatch, s => s.Payload["htu"] = "https://server.example.com/tok%zzen");
        t.Both("request-uri-differs", DpopProofStatus.UriMismatch, s => s.TargetUri = "https://server.example.com/par");
        t.Both("request-uri-invalid", DpopProofStatus.UriMismatch, s => s.TargetUri = "not a uri");

        // Check 11: the iat window.
        t.Both("iat-61-seconds-ago", DpopProofStatus.TooOld, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() - 61);
        t.Both("iat-a-day-ago", DpopProofStatus.TooOld, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() - 86400);
        t.Both("iat-zero", DpopProofStatus.TooOld, s => s.Payload["iat"] = 0);
        t.Both("iat-outside-shorter-window", DpopProofStatus.TooOld, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() - 11, o => o.MaxProofAge = TimeSpan.FromSeconds(10));
        t.Both("iat-6-seconds-ahead", DpopProofStatus.IssuedInFuture, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() + 6);
        t.Both("iat-a-year-ahead", DpopProofStatus.IssuedInFuture, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() + (365 * 86400));
        t.Both("iat-ahead-with-no-skew", DpopProofStatus.IssuedInFuture, s => s.Payload["iat"] = s.Now.ToUnixTimeSeconds() + 1, o => o.FutureSkew = TimeSpan.Zero);

        // Check 12: ath and the key binding.
        t.Both("ath-of-another-token", DpopProofStatus.AccessTokenHashMismatch, s => s.ForResource().Payload["ath"] = Ath(AccessToken + "x"));
        t.Both("ath-padded", DpopProofStatus.AccessTokenHashMismatch, s => s.ForResource().Payload["ath"] = Ath(AccessToken) + "=");
        t.Both("ath-hex", DpopProofStatus.AccessTokenHashMismatch, s => s.ForResource().Payload["ath"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(AccessToken))));
        t.Both("ath-standard-base64", DpopProofStatus.AccessTokenHashMismatch, s => s.ForResource().Payload["ath"] = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(AccessToken))));
        t.Both("ath-token-presented-differs", DpopProofStatus.AccessTokenHashMismatch, s => s.ForResource().AccessToken = AccessToken[..^1]);
        t.Both("key-not-the-bound-key", DpopProofStatus.KeyMismatch, s => s.ExpectedKeyThumbprint = OtherKey(s, es: s.Key.Algorithm == SigningAlgorithm.Es256).KeyId);
        t.Both("key-thumbprint-other-case", DpopProofStatus.KeyMismatch, s => s.ExpectedKeyThumbprint = OtherCase(s.Key.KeyId));
        t.Both("key-thumbprint-empty", DpopProofStatus.KeyMismatch, s => s.ExpectedKeyThumbprint = string.Empty);

        // Check 10, §8, §11.3: nonces.
        t.Both("nonce-missing", DpopProofStatus.NonceRequired, _ => { }, o => o.RequireNonce = true);
        t.Both("nonce-random", DpopProofStatus.InvalidNonce, s => s.Payload["nonce"] = B64(RandomNumberGenerator.GetBytes(25)), o => o.RequireNonce = true);
        t.Both("nonce-empty", DpopProofStatus.Malformed, s => s.Payload["nonce"] = string.Empty, o => o.RequireNonce = true);
        t.Custom("nonce-from-another-scope", "ES256", DpopProofStatus.InvalidNonce, (kit, key) => NonceFromAsync(kit, key, o => o.ReplayScope = "https://other.example", TimeSpan.Zero));
        t.Custom("nonce-from-another-key", "EdDSA", DpopProofStatus.InvalidNonce, (kit, key) => NonceFromAsync(kit, key, o => o.NonceKey = RandomNumberGenerator.GetBytes(32), TimeSpan.Zero));
        t.Custom("nonce-two-lifetimes-old", "ES256", DpopProofStatus.InvalidNonce, (kit, key) => NonceFromAsync(kit, key, null, TimeSpan.FromMinutes(-10.5)));
        t.Custom("nonce-from-a-later-bucket", "EdDSA", DpopProofStatus.InvalidNonce, (kit, key) => NonceFromAsync(kit, key, null, TimeSpan.FromMinutes(5.5)));
        t.Custom("nonce-tampered", "ES256", DpopProofStatus.InvalidNonce, (kit, key) => NonceFromAsync(kit, key, null, TimeSpan.Zero, n => NonceTamper(n)));

        // §11.1: replay.
        t.Custom("replay-same-proof", "ES256", DpopProofStatus.Replayed, ReplayAsync((spec, first) => first));
        t.Custom("replay-same-proof-eddsa", "EdDSA", DpopProofStatus.Replayed, ReplayAsync((spec, first) => first));
        t.Custom("replay-same-jti-new-signature", "ES256", DpopProofStatus.Replayed, ReplayAsync((spec, first) => spec.Build()));
        t.Custom("replay-same-jti-escaped", "EdDSA", DpopProofStatus.Replayed, ReplayAsync((spec, first) =>
        {
            string jti = spec.Payload["jti"]!.GetValue<string>();
            string escaped = "\\u" + ((int)jti[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + jti[1..];
            spec.RawPayload = spec.Payload.ToJsonString(Relaxed).Replace("\"" + jti + "\"", "\"" + escaped + "\"", StringComparison.Ordinal);
            return spec.Build();
        }));
        t.Custom("replay-same-jti-later-iat", "ES256", DpopProofStatus.Replayed, ReplayAsync((spec, first) =>
        {
            spec.Payload["iat"] = spec.Now.ToUnixTimeSeconds() + 3;
            return spec.Build();
        }));

        // The replay cache must answer.
        t.Custom("store-unavailable", "ES256", DpopProofStatus.StoreUnavailable, async (kit, key) =>
        {
            using DpopProofValidator validator = kit.Validator(store: new FailingSingleUseStore(new SessionStoreException("connection refused")));
            return await kit.Spec(key).ValidateAsync(validator);
        });
        t.Custom("store-unexpected-exception", "EdDSA", DpopProofStatus.StoreUnavailable, async (kit, key) =>
        {
            using DpopProofValidator validator = kit.Validator(store: new FailingSingleUseStore(new InvalidOperationException("boom")));
            return await kit.Spec(key).ValidateAsync(validator);
        });
        return t.Cases;
    }

    private static async ValueTask<DpopProofValidationResult> NonceFromAsync(DpopKit kit, SigningKey key, Action<DpopOptions>? issuer, TimeSpan issuedAtOffset, Func<string, string>? change = null)
    {
        // A nonce made by another validator (other scope or key) or at another time, presented to this one.
        string nonce;
        using (DpopProofValidator other = kit.Validator(
            o =>
            {
                o.RequireNonce = true;
                issuer?.Invoke(o);
            },
            time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(kit.Time.GetUtcNow() + issuedAtOffset)))
        {
            nonce = other.CreateNonce();
        }

        ProofSpec spec = kit.Spec(key);
        spec.Payload["nonce"] = change is null ? nonce : change(nonce);
        using DpopProofValidator validator = kit.Validator(o => o.RequireNonce = true);
        return await spec.ValidateAsync(validator);
    }

    private static string OtherCase(string text)
    {
        string upper = text.ToUpperInvariant();
        return string.Equals(upper, text, StringComparison.Ordinal) ? text.ToLowerInvariant() : upper;
    }

    private static string NonceTamper(string nonce) => nonce[..^2] + (nonce[^2] == 'A' ? 'B' : 'A') + nonce[^1];

    private static Func<DpopKit, SigningKey, ValueTask<DpopProofValidationResult>> ReplayAsync(Func<ProofSpec, string, string> second) => async (kit, key) =>
    {
        using DpopProofValidator validator = kit.Validator();
        ProofSpec spec = kit.Spec(key);
        string first = spec.Build();
        DpopProofValidationResult accepted = await validator.ValidateAsync(spec.Request(first), TestContext.Current.CancellationToken);
        Assert.True(accepted.IsSuccess, accepted.Status.ToString());
        kit.Time.Advance(TimeSpan.FromSeconds(2));
        return await validator.ValidateAsync(spec.Request(second(spec, first)), TestContext.Current.CancellationToken);
    };

    private static SigningKey OtherKey(ProofSpec spec, bool es) => es ? spec.Kit.OtherEs256 : spec.Kit.OtherEdDsa;

    private static JsonObject Minimal(JsonObject jwk, string extra)
    {
        JsonObject minimal = new() { ["kty"] = jwk["kty"]!.DeepClone(), ["crv"] = jwk["crv"]!.DeepClone(), ["x"] = jwk["x"]!.DeepClone() };
        if (jwk["y"] is { } y)
        {
            minimal["y"] = y.DeepClone();
        }

        minimal[extra] = jwk[extra]!.DeepClone();
        return minimal;
    }

    private static string ReplaceSegment(string proof, int index, string segment)
    {
        string[] parts = proof.Split('.');
        parts[index] = segment;
        return string.Join('.', parts);
    }

    private static string ReplaceSignature(string proof, Func<byte[], byte[]> change) =>
        ReplaceSegment(proof, 2, B64(change(Base64Url(proof.Split('.')[2]))));

    private static byte[] Base64Url(string text) => SessionCore.Internal.Base64UrlStrict.TryDecode(text)!;

    /// <summary>Sets unused low bits in the last character of a base64url text whose length leaves some.</summary>
    private static string NonCanonicalLastCharacter(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.IndexOf(text[^1], StringComparison.Ordinal);
        return text[..^1] + alphabet[value | 1];
    }

    /// <summary>The ASN.1 DER form of an IEEE P1363 ECDSA signature, which is not a JWS signature.</summary>
    private static byte[] ToDer(byte[] p1363)
    {
        static byte[] Integer(ReadOnlySpan<byte> value)
        {
            value = value.TrimStart((byte)0);
            byte[] body = value.Length > 0 && value[0] >= 0x80 ? [0, .. value] : [.. value];
            return [0x02, (byte)body.Length, .. body];
        }

        byte[] r = Integer(p1363.AsSpan(0, 32));
        byte[] s = Integer(p1363.AsSpan(32, 32));
        return [0x30, (byte)(r.Length + s.Length), .. r, .. s];
    }

    private sealed record HostileCase(string Algorithm, DpopProofStatus Expected, Func<DpopKit, SigningKey, ValueTask<DpopProofValidationResult>> Run);

    private sealed class CaseTable
    {
        public Dictionary<string, HostileCase> Cases { get; } = new(StringComparer.Ordinal);

        public void Both(string name, DpopProofStatus expected, Action<ProofSpec> change, Action<DpopOptions>? options = null, bool onlyOther = false)
        {
            if (onlyOther)
            {
                // Each key's algorithm left out of the validator's allow-list.
                Add("es256/" + name, "ES256", expected, change, o => o.AllowedAlgorithms = DpopSigningAlgorithms.EdDsa | DpopSigningAlgorithms.Ed25519);
                Add("eddsa/" + name, "EdDSA", expected, change, o => o.AllowedAlgorithms = DpopSigningAlgorithms.Es256 | DpopSigningAlgorithms.Ed25519);
                return;
            }

            Es(name, expected, change, options);
            Ed(name, expected, change, options);
        }

        public void Es(string name, DpopProofStatus expected, Action<ProofSpec> change, Action<DpopOptions>? options = null) =>
            Add("es256/" + name, "ES256", expected, change, options);

        public void Ed(string name, DpopProofStatus expected, Action<ProofSpec> change, Action<DpopOptions>? options = null) =>
            Add("eddsa/" + name, "EdDSA", expected, change, options);

        public void Custom(string name, string algorithm, DpopProofStatus expected, Func<DpopKit, SigningKey, ValueTask<DpopProofValidationResult>> run) =>
            Cases.Add((algorithm == "ES256" ? "es256/" : "eddsa/") + name, new HostileCase(algorithm, expected, run));

        private void Add(string name, string algorithm, DpopProofStatus expected, Action<ProofSpec> change, Action<DpopOptions>? options) =>
            Cases.Add(name, new HostileCase(algorithm, expected, async (kit, key) =>
            {
                ProofSpec spec = kit.Spec(key);
                change(spec);
                using DpopProofValidator validator = kit.Validator(options);
                return await spec.ValidateAsync(validator);
            }));
    }
}
