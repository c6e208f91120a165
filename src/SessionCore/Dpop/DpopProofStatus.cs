namespace SessionCore.Dpop;

/// <summary>
/// Which check of RFC 9449 §4.3 (and §8, §11.1) a DPoP proof failed, or <see cref="Valid"/>. Reasons name the check
/// and never carry input; they are safe for logs and metrics, and <see cref="DpopChallenge.ErrorFor"/> maps them to
/// the error a client may see.
/// </summary>
public enum DpopProofStatus
{
    /// <summary>Every check passed and the proof id was unused: the proof is accepted.</summary>
    Valid = 0,

    /// <summary>No proof was presented (an empty value).</summary>
    Missing = 1,

    /// <summary>Longer than <see cref="DpopOptions.MaxProofLength"/>; refused before any parsing.</summary>
    TooLarge = 2,

    /// <summary>Not one well-formed JWT (§4.3 check 2): segments, canonical base64url, strict JSON (no duplicate members at any depth), claim types and sizes.</summary>
    Malformed = 3,

    /// <summary>The header's <c>typ</c> is not <c>dpop+jwt</c> (check 4, §11.5).</summary>
    WrongType = 4,

    /// <summary>The header's <c>alg</c> is missing, <c>none</c>, symmetric or not allowed (check 5, §11.6).</summary>
    UnsupportedAlgorithm = 5,

    /// <summary>The header carries <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, <c>b64</c> or <c>zip</c>, which are never honoured.</summary>
    ForbiddenHeader = 6,

    /// <summary>The header has no <c>jwk</c> (§4.2).</summary>
    MissingKey = 7,

    /// <summary>The <c>jwk</c> is not a supported, valid public key (unknown type or curve, wrong sizes, not on the curve, non-canonical encoding, <c>use</c> or <c>key_ops</c> that forbid signatures).</summary>
    InvalidKey = 8,

    /// <summary>The <c>jwk</c> carries a private or symmetric member (check 7).</summary>
    PrivateKey = 9,

    /// <summary>The <c>alg</c> does not fit the key type, or the key's own <c>alg</c> names another algorithm.</summary>
    AlgorithmMismatch = 10,

    /// <summary>The signature does not verify with the <c>jwk</c> (check 6).</summary>
    InvalidSignature = 11,

    /// <summary>A required claim is missing: <c>jti</c>, <c>htm</c>, <c>htu</c>, <c>iat</c>, or <c>ath</c> when an access token is presented (check 3).</summary>
    MissingClaim = 12,

    /// <summary>The <c>htm</c> is not the request's method (check 8).</summary>
    MethodMismatch = 13,

    /// <summary>The <c>htu</c>, normalised, is not the request's target URI without query and fragment (check 9).</summary>
    UriMismatch = 14,

    /// <summary>The <c>iat</c> is older than <see cref="DpopOptions.MaxProofAge"/> (check 11).</summary>
    TooOld = 15,

    /// <summary>The <c>iat</c> lies further in the future than <see cref="DpopOptions.FutureSkew"/> (check 11).</summary>
    IssuedInFuture = 16,

    /// <summary>The <c>ath</c> is not the hash of the presented access token (check 12).</summary>
    AccessTokenHashMismatch = 17,

    /// <summary>The proof's key is not the key the token or refresh family is bound to (<c>cnf.jkt</c>, check 12).</summary>
    KeyMismatch = 18,

    /// <summary>Nonces are required and the proof carries none (§8, §11.3); answer with <c>use_dpop_nonce</c> and the next nonce.</summary>
    NonceRequired = 19,

    /// <summary>The proof's nonce is not one of ours or has expired (check 10); answer with <c>use_dpop_nonce</c> and the next nonce.</summary>
    InvalidNonce = 20,

    /// <summary>A proof with this <c>jti</c> was accepted before within its window (§11.1): a replay.</summary>
    Replayed = 21,

    /// <summary>The replay cache (the store) could not answer; refused (fail closed).</summary>
    StoreUnavailable = 22,
}
