using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionCore.Jwt;
using SessionCore.Keys;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    /// <summary>The issuer the JWT target expects.</summary>
    public const string JwtIssuer = "https://login.example";

    /// <summary>The audience the JWT target expects.</summary>
    public const string JwtAudience = "api://orders";

    // Fixed keys for fuzzing only (made with `sessioncore keys new`): seed tokens signed with them stay valid.
    internal const string Es256PrivateJwk = """{"crv":"P-256","kty":"EC","x":"FGFWep5TiZ2lg-Vp7a8a-6KS-bxICCesMiRXUCWsibs","y":"SFrDGfv6u8jMCvJdKRd8cj1D3M9HoX-NU-5fiqHOwcw","d":"Z4v7Sxmja76bfvDHpQJ_fWEnxIaVEVu_GX_n9XUXdjI","kid":"8xiHmJKnfajk9lUv2m83KyxUJvVgeDwSmhMq9XsCIGo","alg":"ES256","use":"sig"}""";
    internal const string EdDsaPrivateJwk = """{"crv":"Ed25519","kty":"OKP","x":"6FhVt7w8xIMj-kBHxqpDaX6Bpt6bZkp4RvmmTD1CDxA","d":"4kaSwFc5OkYmsjL9g8lsryW3vouyHGBMEAs84W1fyFQ","kid":"Wgo8kaPj07qv3SPFbeE6qiM4UMVA5iEC5w6hwRdYh8U","alg":"EdDSA","use":"sig"}""";

    private static readonly Lazy<JwtFixture> s_jwt = new(() => new JwtFixture());

    internal static JwtFixture Jwt => s_jwt.Value;

    private static IEnumerable<FuzzTarget> JwtTargets() =>
    [
        new("jwt", "AccessTokenValidator.ValidateOffline (UTF-8 bytes and chars) with a fixed ES256 + EdDSA key ring and clock", CompactJwt, JsonInternals),
        new("jwk", "SigningKey.TryImportJwk, then export and re-import of what it accepted", JwkImport, KeyImportInternals),
        new("jwks", "SigningKeyRing.ImportJwks (documented: ArgumentException), then export and re-import", JwksImport, ex => ex.GetType() == typeof(ArgumentException) || KeyImportInternals(ex)),
    ];

    // Exceptions the JWT code throws and catches by design on bad input: System.Text.Json's reader errors
    // (JsonException and its internal subclass), CopyString's buffer ArgumentException and the reader's
    // InvalidOperationException inside StrictJson. Exact types only: a subclass is a different failure.
    private static bool JsonInternals(Exception ex) =>
        ex is JsonException || ex.GetType() == typeof(ArgumentException) || ex.GetType() == typeof(InvalidOperationException);

    // Key import also meets strict UTF-8 transcoding and the platform's refusal of an invalid EC point.
    private static bool KeyImportInternals(Exception ex) =>
        JsonInternals(ex) || ex is EncoderFallbackException || ex is CryptographicException;

    private static void CompactJwt(byte[] input)
    {
        AccessTokenValidator validator = Jwt.Validator;
        AccessTokenValidationResult bytes = validator.ValidateOffline(input.AsSpan());
        AccessTokenValidationResult chars = validator.ValidateOffline(Encoding.UTF8.GetString(input).AsSpan());
        foreach (AccessTokenValidationResult result in (AccessTokenValidationResult[])[bytes, chars])
        {
            InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
            InvariantViolationException.Check(result.IsSuccess == (result.Status == AccessTokenValidationStatus.Valid), "success iff Valid");
            if (result.TryGetValue(out AccessTokenClaims? claims))
            {
                InvariantViolationException.Check(claims.Issuer == JwtIssuer && claims.Audience == JwtAudience && claims.Subject.Length > 0 && claims.TokenId.Length > 0, "a valid token carries the expected iss, aud, sub and jti");
                InvariantViolationException.Check(claims.ExpiresAt > FixedClock.Instance.Now - TimeSpan.FromMinutes(5) && claims.IssuedAt <= FixedClock.Instance.Now + TimeSpan.FromMinutes(5), "a valid token is current");
            }
        }

        // Every legal token is ASCII, where both overloads see the same text.
        if (Array.TrueForAll(input, b => b < 0x80))
        {
            InvariantViolationException.Check(bytes.Status == chars.Status, "byte and char overloads agree on ASCII input");
        }
    }

    private static void JwkImport(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        if (!SigningKey.TryImportJwk(text, SigningKeyExportPolicies.AllowPrivateExport, out SigningKey? key))
        {
            return;
        }

        using (key)
        {
            InvariantViolationException.Check(key.KeyId.Length > 0 && (key.Algorithm == SigningAlgorithm.Es256 || key.Algorithm == SigningAlgorithm.EdDsa || key.Algorithm == SigningAlgorithm.Rs256 || key.Algorithm == SigningAlgorithm.Ps256), "an imported key has an id and a supported algorithm");
            InvariantViolationException.Check(SigningKey.TryImportJwk(key.ExportPublicJwk(), SigningKeyExportPolicies.None, out SigningKey? again), "the exported public JWK imports");
            using (again)
            {
                InvariantViolationException.Check(again.KeyId == key.KeyId && again.Algorithm == key.Algorithm && !again.HasPrivateKey, "the public JWK keeps id and algorithm");
            }

            if (key.HasPrivateKey)
            {
                InvariantViolationException.Check(SigningKey.TryImportJwk(key.ExportPrivateJwk(), SigningKeyExportPolicies.None, out SigningKey? priv), "the exported private JWK imports");
                using (priv)
                {
                    byte[] signature = priv.Algorithm.Sign(priv, "fuzz"u8);
                    InvariantViolationException.Check(key.Algorithm.Verify(key, "fuzz"u8, signature), "the private part belongs to the public part");
                }
            }
        }
    }

    private static void JwksImport(byte[] input)
    {
        SigningKeyRing ring;
        try
        {
            ring = SigningKeyRing.ImportJwks(Encoding.UTF8.GetString(input), FixedClock.Instance);
        }
        catch (ArgumentException ex) when (ex.GetType() == typeof(ArgumentException))
        {
            return;
        }

        try
        {
            InvariantViolationException.Check(ring.ActiveKey is null, "an imported JWKS only verifies");
            SigningKeyRing again = SigningKeyRing.ImportJwks(ring.ExportJwks(), FixedClock.Instance);
            InvariantViolationException.Check(again.Keys.Count == ring.Keys.Count, "the exported JWKS keeps every key");
            // A JWKS member that carries "d" imports with its private part (see docs/fuzzing.md); the
            // exported JWKS never does.
            foreach (SigningKey key in ring.Keys)
            {
                InvariantViolationException.Check(again.TryGetKey(key.KeyId, out SigningKey? exported) && !exported.HasPrivateKey && exported.Algorithm == key.Algorithm, "the exported JWKS has every key, public part only");
            }

            Dispose(again);
        }
        finally
        {
            Dispose(ring);
        }
    }

    private static void Dispose(SigningKeyRing ring)
    {
        foreach (SigningKey key in ring.Keys)
        {
            key.Dispose();
        }
    }

    /// <summary>The ring, issuer and validator of the JWT target, on the fixed clock.</summary>
    internal sealed class JwtFixture
    {
        public JwtFixture()
        {
            Es256 = SigningKey.ImportJwk(Es256PrivateJwk);
            EdDsa = SigningKey.ImportJwk(EdDsaPrivateJwk);
            Ring = new SigningKeyRing(Es256, FixedClock.Instance);
            Ring.AddVerificationKey(EdDsa);
            AccessTokenOptions options = new() { Issuer = JwtIssuer, Audience = JwtAudience, ValidationMode = AccessTokenValidationMode.Offline };
            Validator = new AccessTokenBuilder { KeyRing = Ring, Options = options, TimeProvider = FixedClock.Instance }.BuildValidator();
        }

        public SigningKey Es256 { get; }

        public SigningKey EdDsa { get; }

        public SigningKeyRing Ring { get; }

        public AccessTokenValidator Validator { get; }
    }
}
