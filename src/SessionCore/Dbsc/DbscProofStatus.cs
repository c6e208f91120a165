using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>Why a DBSC proof (<c>Secure-Session-Response</c>) was or was not accepted. The reason never echoes input.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscProofStatus
{
    /// <summary>The proof is signed by the expected key over an unused challenge issued for this session and purpose.</summary>
    Valid = 0,

    /// <summary>No proof was presented.</summary>
    Missing = 1,

    /// <summary>The proof is longer than <see cref="DbscProofValidator.MaxProofLength"/>; nothing was parsed.</summary>
    TooLarge = 2,

    /// <summary>Not a compact JWS of canonical base64url and strict JSON objects (segments, padding, white space, duplicate members, invalid UTF-8), or a claim of the wrong JSON type.</summary>
    Malformed = 3,

    /// <summary>The header's <c>typ</c> is missing or not <c>dbsc+jwt</c>.</summary>
    WrongType = 4,

    /// <summary>The header's <c>alg</c> is missing or not offered (<c>none</c>, HS*, anything unlisted).</summary>
    UnsupportedAlgorithm = 5,

    /// <summary>The header carries <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, <c>b64</c> or <c>zip</c>, which are never honoured.</summary>
    ForbiddenHeader = 6,

    /// <summary>A registration proof without a <c>jwk</c> header member.</summary>
    MissingKey = 7,

    /// <summary>A refresh proof that carries a <c>jwk</c>: a refresh is verified with the registered key only.</summary>
    UnexpectedKey = 8,

    /// <summary>The <c>jwk</c> is not a supported public key (type, curve, sizes, encoding, not on the curve, <c>use</c>, <c>key_ops</c>).</summary>
    InvalidKey = 9,

    /// <summary>The <c>jwk</c> carries a private or symmetric member.</summary>
    PrivateKey = 10,

    /// <summary>The <c>alg</c> does not fit the key (the embedded one, or the one registered for the session).</summary>
    AlgorithmMismatch = 11,

    /// <summary>The signature does not verify with the key.</summary>
    InvalidSignature = 12,

    /// <summary>The session's registered key cannot be read back, or is not the key its thumbprint names; refused (fail closed).</summary>
    RegisteredKeyUnusable = 13,

    /// <summary>The payload has no <c>jti</c> (the challenge).</summary>
    MissingChallenge = 14,

    /// <summary>The <c>jti</c> does not have the shape of a challenge.</summary>
    ChallengeMalformed = 15,

    /// <summary>The <c>jti</c> was not issued by this host for this session and purpose.</summary>
    ChallengeForged = 16,

    /// <summary>The challenge is older than its lifetime.</summary>
    ChallengeExpired = 17,

    /// <summary>The challenge claims an issue time beyond the tolerated clock difference.</summary>
    ChallengeFromTheFuture = 18,

    /// <summary>The challenge was answered before (single use across every node sharing the store).</summary>
    ChallengeReplayed = 19,

    /// <summary>The registration offered an <c>authorization</c> value and the proof's differs or lacks it.</summary>
    AuthorizationMismatch = 20,

    /// <summary>The single-use record could not be written; refused (fail closed).</summary>
    StoreUnavailable = 21,
}
