using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.Dpop;
using Xunit;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// The negative corpus of DBSC proofs: each signed with a real key and changed in exactly one way, so each isolates
/// one check, with the exact refusal it must get. Most cases run both as a registration proof (key in the header)
/// and as a refresh proof (registered key).
/// </summary>
public sealed class DbscHostileProofTests : IDisposable
{
    private static readonly Dictionary<string, HostileCase> s_cases = BuildCases();
    private readonly DbscProofKit _kit = new();

    public static TheoryData<string> CaseNames => [.. s_cases.Keys.Order(StringComparer.Ordinal)];

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void Corpus_HasAtLeast60RefusalsAndCoversEveryRefusalStatus()
    {
        Assert.True(s_cases.Count >= 60, s_cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        DbscProofStatus[] covered = [.. s_cases.Values.Select(c => c.Expected).Distinct()];
        Assert.DoesNotContain(DbscProofStatus.Valid, covered);
        Assert.All(Enum.GetValues<DbscProofStatus>().Where(s => s != DbscProofStatus.Valid), s => Assert.Contains(s, covered));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Validate_HostileProof_IsRefusedByItsCheck(string name)
    {
        HostileCase hostile = s_cases[name];

        DbscProofResult result = await hostile.Run(_kit);

        Assert.Equal(hostile.Expected, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Validate_UnchangedControlProof_IsValid(bool refresh)
    {
        DbscProofKit.Spec spec = refresh ? _kit.Refresh() : _kit.Registration();

        DbscProofResult result = await spec.ValidateAsync();

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(_kit.Key.KeyId, result.Value.KeyThumbprint);
        Assert.Equal("ES256", result.Value.Algorithm);
        Assert.DoesNotContain("\"d\"", result.Value.PublicKeyJwk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateRegistration_OlderDraftClaims_AreTolerated()
    {
        DbscProofKit.Spec spec = _kit.Registration();
        spec.Payload["aud"] = "https://example.com/dbsc/register";
        spec.Payload["iat"] = 1;
        spec.Payload["key"] = Jwk(_kit.OtherKey);
        spec.Payload["sub"] = "session";

        DbscProofResult result = await spec.ValidateAsync();

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Fact]
    public async Task ValidateRegistration_MatchingAuthorization_IsValid()
    {
        DbscProofKit.Spec spec = _kit.Registration();
        spec.Authorization = "auth-code-123";
        spec.Payload["authorization"] = "auth-code-123";

        DbscProofResult result = await spec.ValidateAsync();

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Fact]
    public async Task ValidateRefresh_SecondNodeSharingTheStore_RefusesTheSameChallenge()
    {
        // Two validators (two nodes) share the challenge key and the store: a challenge answered on one is spent on both.
        DbscProofKit.Spec spec = _kit.Refresh();
        string proof = spec.Build();
        DbscProofValidator otherNode = new(_kit.Challenges, _kit.Store, _kit.Time);

        DbscProofResult first = await otherNode.ValidateRefreshAsync(proof, _kit.SessionId, _kit.Binding, TestContext.Current.CancellationToken);
        DbscProofResult second = await spec.ValidateAsync(proof);

        Assert.True(first.IsSuccess, first.Status.ToString());
        Assert.Equal(DbscProofStatus.ChallengeReplayed, second.Status);
    }

    private static Dictionary<string, HostileCase> BuildCases()
    {
        CaseTable t = new();

        // Presence, size, compact serialisation, base64url, strict JSON.
        t.Custom("null-proof", DbscProofStatus.Missing, kit => kit.Registration().ValidateAsync(string.Empty));
        t.Both("empty-proof", DbscProofStatus.Missing, s => s.AfterSigning = _ => string.Empty);
        t.Both("over-max-length", DbscProofStatus.TooLarge, s => s.Payload["pad"] = new string('a', DbscProofValidator.MaxProofLength));
        t.Both("two-segments", DbscProofStatus.Malformed, s => s.AfterSigning = p => p[..p.LastIndexOf('.')]);
        t.Both("four-segments", DbscProofStatus.Malformed, s => s.AfterSigning = p => p + ".AAAA");
        t.Both("empty-signature-segment", DbscProofStatus.Malformed, s => s.AfterSigning = p => p[..(p.LastIndexOf('.') + 1)]);
        t.Both("padded-header", DbscProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(p.IndexOf('.'), "=="));
        t.Both("space-inside", DbscProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(10, " "));
        t.Both("non-ascii-character", DbscProofStatus.Malformed, s => s.AfterSigning = p => p.Insert(10, "é"));
        t.Both("standard-base64-alphabet", DbscProofStatus.Malformed, s => s.AfterSigning = p => ReplaceSegment(p, 2, "+/" + p.Split('.')[2][2..]));
        t.Both("non-canonical-signature-bits", DbscProofStatus.Malformed, s => s.AfterSigning = p => ReplaceSegment(p, 2, NonCanonicalLastCharacter(p.Split('.')[2])));
        t.Both("header-not-json", DbscProofStatus.Malformed, s => s.RawHeader = "typ=dbsc+jwt");
        t.Both("header-duplicate-alg", DbscProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed).Insert(1, "\"alg\":\"ES256\","));
        t.Both("header-duplicate-typ-escaped", DbscProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed).Insert(1, "\"t\\u0079p\":\"dbsc+jwt\","));
        t.Reg("header-duplicate-inside-jwk", DbscProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed).Replace("\"x\":", "\"x\":\"AAAA\",\"x\":", StringComparison.Ordinal));
        t.Both("header-trailing-garbage", DbscProofStatus.Malformed, s => s.RawHeader = s.Header.ToJsonString(Relaxed) + "x");
        t.Both("payload-duplicate-jti", DbscProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed).Insert(1, "\"jti\":\"other\","));
        t.Both("payload-duplicate-nested", DbscProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed)[..^1] + ",\"key\":{\"a\":1,\"a\":2}}");
        t.Both("payload-json-array", DbscProofStatus.Malformed, s => s.RawPayload = "[" + s.Payload.ToJsonString(Relaxed) + "]");
        t.Both("payload-invalid-utf8", DbscProofStatus.Malformed, s => s.RawPayloadBytes = [.. Encoding.UTF8.GetBytes(s.Payload.ToJsonString(Relaxed)[..^1] + ",\"sub\":\""), 0xC3, 0x28, .. "\"}"u8]);
        t.Both("payload-too-deep", DbscProofStatus.Malformed, s => s.RawPayload = s.Payload.ToJsonString(Relaxed)[..^1] + ",\"aud\":" + new string('[', 20) + new string(']', 20) + "}");

        // typ.
        t.Both("typ-missing", DbscProofStatus.WrongType, s => s.Header.Remove("typ"));
        t.Both("typ-jwt", DbscProofStatus.WrongType, s => s.Header["typ"] = "JWT");
        t.Both("typ-dpop", DbscProofStatus.WrongType, s => s.Header["typ"] = "dpop+jwt");
        t.Both("typ-number", DbscProofStatus.WrongType, s => s.Header["typ"] = 1);

        // alg and forbidden header parameters.
        t.Both("alg-missing", DbscProofStatus.UnsupportedAlgorithm, s => s.Header.Remove("alg"));
        t.Both("alg-none", DbscProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "none");
        t.Both("alg-hs256", DbscProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "HS256");
        t.Both("alg-es384", DbscProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "ES384");
        t.Both("alg-eddsa", DbscProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "EdDSA");
        t.Both("alg-lower-case", DbscProofStatus.UnsupportedAlgorithm, s => s.Header["alg"] = "es256");
        t.Both("crit", DbscProofStatus.ForbiddenHeader, s => s.Header["crit"] = new JsonArray("exp"));
        t.Both("jku", DbscProofStatus.ForbiddenHeader, s => s.Header["jku"] = "https://attacker.example/jwks");
        t.Both("x5c", DbscProofStatus.ForbiddenHeader, s => s.Header["x5c"] = new JsonArray("MIIB"));
        t.Both("b64-false", DbscProofStatus.ForbiddenHeader, s => s.Header["b64"] = false);

        // The key: embedded at registration, registered at refresh.
        t.Reg("jwk-missing", DbscProofStatus.MissingKey, s => s.Header.Remove("jwk"));
        t.Ref("jwk-present-at-refresh", DbscProofStatus.UnexpectedKey, s => s.Header["jwk"] = Jwk(s.Kit.Key));
        t.Ref("jwk-of-other-key-at-refresh", DbscProofStatus.UnexpectedKey, s =>
        {
            s.Header["jwk"] = Jwk(s.Kit.OtherKey);
            s.Signer = s.Kit.OtherKey;
        });
        t.Reg("jwk-string", DbscProofStatus.InvalidKey, s => s.Header["jwk"] = s.Header["jwk"]!.ToJsonString());
        t.Reg("jwk-null", DbscProofStatus.InvalidKey, s => s.Header["jwk"] = null);
        t.Reg("jwk-with-private-d", DbscProofStatus.PrivateKey, s => s.Header["jwk"]!["d"] = JsonNode.Parse(s.Kit.Key.ExportPrivateJwk())!["d"]!.DeepClone());
        t.Reg("jwk-symmetric-oct", DbscProofStatus.PrivateKey, s => s.Header["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = B64(RandomNumberGenerator.GetBytes(32)) });
        t.Reg("jwk-kty-missing", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!.AsObject().Remove("kty"));
        t.Reg("jwk-crv-p384", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!["crv"] = "P-384");
        t.Reg("jwk-x-short", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = s.Header["jwk"]!["x"]!.GetValue<string>()[..42]);
        t.Reg("jwk-x-non-canonical", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!["x"] = NonCanonicalLastCharacter(s.Header["jwk"]!["x"]!.GetValue<string>()));
        t.Reg("jwk-y-missing", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!.AsObject().Remove("y"));
        t.Reg("jwk-point-not-on-curve", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!["y"] = B64(RandomNumberGenerator.GetBytes(32)));
        t.Reg("jwk-use-enc", DbscProofStatus.InvalidKey, s => s.Header["jwk"]!["use"] = "enc");
        t.Reg("jwk-okp-key-for-es256", DbscProofStatus.AlgorithmMismatch, s => s.Header["jwk"] = Jwk(s.Kit.EdKey));
        t.Reg("jwk-alg-other", DbscProofStatus.AlgorithmMismatch, s => s.Header["jwk"]!["alg"] = "ES384");
        t.Ref("registered-key-is-eddsa", DbscProofStatus.AlgorithmMismatch, s => s.Binding = new SessionKeyBinding(s.Kit.EdKey.KeyId, s.Kit.EdKey.ExportPublicJwk(), Now));
        t.Ref("registered-jwk-unreadable", DbscProofStatus.RegisteredKeyUnusable, s => s.Binding = s.Binding with { PublicKeyJwk = "{\"kty\":\"EC\"}" });
        t.Ref("registered-thumbprint-of-other-key", DbscProofStatus.RegisteredKeyUnusable, s => s.Binding = s.Binding with { Thumbprint = s.Kit.OtherKey.KeyId });
        t.Ref("registered-thumbprint-not-base64url", DbscProofStatus.RegisteredKeyUnusable, s => s.Binding = s.Binding with { Thumbprint = new string('*', 43) });
        t.Ref("registered-jwk-private", DbscProofStatus.RegisteredKeyUnusable, s => s.Binding = s.Binding with { PublicKeyJwk = s.Kit.Key.ExportPrivateJwk() });

        // The signature.
        t.Both("signed-by-another-key", DbscProofStatus.InvalidSignature, s => s.Signer = s.Kit.OtherKey);
        t.Reg("jwk-swapped-for-another-key", DbscProofStatus.InvalidSignature, s => s.Header["jwk"] = Jwk(s.Kit.OtherKey));
        t.Ref("refresh-by-a-thief-key", DbscProofStatus.InvalidSignature, s => s.Signer = s.Kit.OtherKey);
        t.Both("signature-one-byte-short", DbscProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => sig[..^1]));
        t.Both("signature-zero", DbscProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => new byte[sig.Length]));
        t.Both("signature-bit-flipped", DbscProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSignature(p, sig => { sig[5] ^= 0x10; return sig; }));
        t.Both("payload-changed-after-signing", DbscProofStatus.InvalidSignature, s => s.AfterSigning = p => ReplaceSegment(p, 1, B64("{\"jti\":\"" + s.Kit.Challenges.Issue(s.Kit.SessionId, s.IsRefresh ? DbscChallengePurpose.Refresh : DbscChallengePurpose.Registration) + "\"}")));

        // The challenge (jti) and authorization.
        t.Both("jti-missing", DbscProofStatus.MissingChallenge, s => s.Payload.Remove("jti"));
        t.Both("jti-empty", DbscProofStatus.MissingChallenge, s => s.Payload["jti"] = string.Empty);
        t.Both("jti-number", DbscProofStatus.Malformed, s => s.Payload["jti"] = 12345);
        t.Both("jti-null", DbscProofStatus.Malformed, s => s.Payload["jti"] = null);
        t.Both("jti-escaped", DbscProofStatus.Malformed, s => s.RawPayload = "{\"jti\":\"" + s.Payload["jti"]!.GetValue<string>().Insert(3, "\\u0041") + "\"}");
        t.Both("jti-too-long", DbscProofStatus.Malformed, s => s.Payload["jti"] = new string('c', 1025));
        t.Both("jti-not-a-challenge", DbscProofStatus.ChallengeMalformed, s => s.Payload["jti"] = "challenge");
        t.Both("jti-truncated", DbscProofStatus.ChallengeMalformed, s => s.Payload["jti"] = s.Payload["jti"]!.GetValue<string>()[..^1]);
        t.Both("jti-tag-altered", DbscProofStatus.ChallengeForged, s => s.Payload["jti"] = FlipMiddle(s.Payload["jti"]!.GetValue<string>()));
        t.Both("jti-of-other-session", DbscProofStatus.ChallengeForged, s => s.SessionId = s.Kit.OtherSessionId);
        t.Reg("jti-issued-for-refresh", DbscProofStatus.ChallengeForged, s => s.Payload["jti"] = s.Kit.Challenges.Issue(s.Kit.SessionId, DbscChallengePurpose.Refresh));
        t.Ref("jti-issued-for-registration", DbscProofStatus.ChallengeForged, s => s.Payload["jti"] = s.Kit.Challenges.Issue(s.Kit.SessionId, DbscChallengePurpose.Registration));
        t.Both("jti-from-another-host", DbscProofStatus.ChallengeForged, s =>
        {
            using DbscChallengeService other = new(RandomNumberGenerator.GetBytes(32), s.Kit.Time);
            s.Payload["jti"] = other.Issue(s.Kit.SessionId, s.IsRefresh ? DbscChallengePurpose.Refresh : DbscChallengePurpose.Registration);
        });
        t.Custom("challenge-expired", DbscProofStatus.ChallengeExpired, async kit =>
        {
            DbscProofKit.Spec spec = kit.Refresh();
            string proof = spec.Build();
            kit.Time.Advance(DbscChallengeService.DefaultLifetime);
            return await spec.ValidateAsync(proof);
        });
        t.Custom("challenge-from-the-future", DbscProofStatus.ChallengeFromTheFuture, async kit =>
        {
            // Another node whose clock runs two minutes ahead issued the challenge.
            using DbscChallengeService ahead = new(kit.ChallengeKey, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now + TimeSpan.FromMinutes(2)));
            DbscProofKit.Spec spec = kit.Registration();
            spec.Payload["jti"] = ahead.Issue(kit.SessionId, DbscChallengePurpose.Registration);
            return await spec.ValidateAsync();
        });
        t.Custom("replay-same-proof", DbscProofStatus.ChallengeReplayed, async kit =>
        {
            DbscProofKit.Spec spec = kit.Refresh();
            string proof = spec.Build();
            await spec.ValidateAsync(proof);
            return await spec.ValidateAsync(proof);
        });
        t.Custom("replay-same-challenge-new-signature", DbscProofStatus.ChallengeReplayed, async kit =>
        {
            DbscProofKit.Spec spec = kit.Registration();
            await spec.ValidateAsync();
            spec.Payload["sub"] = "again";
            return await spec.ValidateAsync();
        });
        t.Custom("authorization-missing", DbscProofStatus.AuthorizationMismatch, kit =>
        {
            DbscProofKit.Spec spec = kit.Registration();
            spec.Authorization = "code";
            return spec.ValidateAsync();
        });
        t.Custom("authorization-different", DbscProofStatus.AuthorizationMismatch, kit =>
        {
            DbscProofKit.Spec spec = kit.Registration();
            spec.Authorization = "code";
            spec.Payload["authorization"] = "cod3";
            return spec.ValidateAsync();
        });
        t.Custom("authorization-number", DbscProofStatus.Malformed, kit =>
        {
            DbscProofKit.Spec spec = kit.Registration();
            spec.Authorization = "1";
            spec.Payload["authorization"] = 1;
            return spec.ValidateAsync();
        });
        t.Custom("store-unavailable", DbscProofStatus.StoreUnavailable, async kit =>
        {
            using DbscProofKit failing = new(new FailingSingleUseStore(new SessionStoreException("down", new InvalidOperationException())));
            return await failing.Refresh().ValidateAsync();
        });
        t.Custom("store-unexpected-exception", DbscProofStatus.StoreUnavailable, async kit =>
        {
            using DbscProofKit failing = new(new FailingSingleUseStore(new NullReferenceException()));
            return await failing.Registration().ValidateAsync();
        });

        return t.Cases;
    }

    private static string FlipMiddle(string text)
    {
        char[] chars = text.ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string ReplaceSegment(string proof, int index, string segment)
    {
        string[] parts = proof.Split('.');
        parts[index] = segment;
        return string.Join('.', parts);
    }

    private static string ReplaceSignature(string proof, Func<byte[], byte[]> change) =>
        ReplaceSegment(proof, 2, B64(change(SessionCore.Internal.Base64UrlStrict.TryDecode(proof.Split('.')[2])!)));

    private static string NonCanonicalLastCharacter(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.IndexOf(text[^1], StringComparison.Ordinal);
        return text[..^1] + alphabet[value | 1];
    }

    private sealed record HostileCase(DbscProofStatus Expected, Func<DbscProofKit, ValueTask<DbscProofResult>> Run);

    private sealed class CaseTable
    {
        public Dictionary<string, HostileCase> Cases { get; } = new(StringComparer.Ordinal);

        public void Both(string name, DbscProofStatus expected, Action<DbscProofKit.Spec> change)
        {
            Reg(name + "/registration", expected, change);
            Ref(name + "/refresh", expected, change);
        }

        public void Reg(string name, DbscProofStatus expected, Action<DbscProofKit.Spec> change) =>
            Cases.Add(name, new HostileCase(expected, kit => Changed(kit.Registration(), change)));

        public void Ref(string name, DbscProofStatus expected, Action<DbscProofKit.Spec> change) =>
            Cases.Add(name, new HostileCase(expected, kit => Changed(kit.Refresh(), change)));

        public void Custom(string name, DbscProofStatus expected, Func<DbscProofKit, ValueTask<DbscProofResult>> run) =>
            Cases.Add(name, new HostileCase(expected, run));

        private static ValueTask<DbscProofResult> Changed(DbscProofKit.Spec spec, Action<DbscProofKit.Spec> change)
        {
            change(spec);
            return spec.ValidateAsync();
        }
    }
}
