namespace SessionCore.Keys;

/// <summary>Why a key-bound proof was read or refused; each consumer maps these to its own public status.</summary>
internal enum ProofJwsStatus
{
    /// <summary>Read, and (after <see cref="ProofJws.Verify"/>) the signature holds.</summary>
    Valid = 0,

    /// <summary>Longer than the policy allows; nothing was parsed.</summary>
    TooLarge,

    /// <summary>Not a compact JWS of canonical base64url and strict JSON objects (segments, padding, white space, duplicate members at any depth, invalid UTF-8, a header member of the wrong JSON type).</summary>
    Malformed,

    /// <summary>The header's <c>typ</c> is missing or not the expected type.</summary>
    WrongType,

    /// <summary>The header's <c>alg</c> is missing or not in the allow-list (<c>none</c>, HS*, anything unlisted).</summary>
    UnsupportedAlgorithm,

    /// <summary>The header carries <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, <c>b64</c> or <c>zip</c>, which are never honoured.</summary>
    ForbiddenHeader,

    /// <summary>The header has no <c>jwk</c> member (embedded-key proofs).</summary>
    MissingKey,

    /// <summary>The header carries a <c>jwk</c> where the proof must be verified with a registered key.</summary>
    UnexpectedKey,

    /// <summary>The <c>jwk</c> is not a supported public key: unknown <c>kty</c> or <c>crv</c>, wrong sizes, non-canonical base64url, not on the curve, <c>use</c> other than <c>sig</c>, bad <c>key_ops</c>.</summary>
    InvalidKey,

    /// <summary>The <c>jwk</c> carries a private or symmetric member (<c>d</c>, <c>p</c>, <c>q</c>, <c>dp</c>, <c>dq</c>, <c>qi</c>, <c>oth</c>, <c>k</c>).</summary>
    PrivateKey,

    /// <summary>The <c>alg</c> does not fit the key type, or the key's own <c>alg</c> names another algorithm.</summary>
    AlgorithmMismatch,

    /// <summary>The signature does not verify with the key (including a wrong length or a DER-encoded ECDSA signature).</summary>
    InvalidSignature,
}
