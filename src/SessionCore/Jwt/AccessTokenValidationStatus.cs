namespace SessionCore.Jwt;

/// <summary>Why an access token was accepted or refused. Only <see cref="Valid"/> authenticates. Reasons are coarse on purpose and never carry input.</summary>
public enum AccessTokenValidationStatus
{
    /// <summary>The token is valid.</summary>
    Valid = 0,

    /// <summary>Not a compact JWS of valid base64url and JSON: wrong segment count, bad characters, padding, duplicate members, non-object JSON, a claim of the wrong type (for example a non-string <c>client_id</c> or an <c>amr</c> that is not an array of strings).</summary>
    Malformed = 1,

    /// <summary>Longer than <see cref="AccessTokenOptions.MaxTokenLength"/>.</summary>
    TooLarge = 2,

    /// <summary>The <c>alg</c> is missing or not ES256, EdDSA, RS256 or PS256 (for example HS256 or none).</summary>
    UnsupportedAlgorithm = 3,

    /// <summary>The header uses <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>, <c>b64</c> or <c>zip</c>, which are never honoured.</summary>
    ForbiddenHeader = 4,

    /// <summary>The <c>typ</c> is not <c>at+jwt</c>.</summary>
    WrongType = 5,

    /// <summary>The header has no <c>kid</c>.</summary>
    MissingKeyId = 6,

    /// <summary>No usable key has that <c>kid</c> (unknown, removed, or retired past its retention).</summary>
    UnknownKey = 7,

    /// <summary>The <c>alg</c> differs from the algorithm of the key named by <c>kid</c>.</summary>
    AlgorithmMismatch = 8,

    /// <summary>The signature is not valid (including a DER-encoded ES256 signature, or any signature not exactly the key's signature size).</summary>
    InvalidSignature = 9,

    /// <summary>A required claim is missing (iss, sub, aud, exp, iat, jti; client_id when required; online also sid and sc_epoch).</summary>
    MissingClaim = 10,

    /// <summary>The <c>iss</c> is not the configured issuer.</summary>
    InvalidIssuer = 11,

    /// <summary>The <c>aud</c> does not contain the configured audience.</summary>
    InvalidAudience = 12,

    /// <summary>The token has expired (beyond the clock skew).</summary>
    Expired = 13,

    /// <summary>The <c>nbf</c> lies in the future beyond the clock skew.</summary>
    NotYetValid = 14,

    /// <summary>The <c>iat</c> lies in the future beyond the clock skew, or the lifetime exceeds the allowed maximum.</summary>
    InvalidLifetime = 15,

    /// <summary>Online: the store has no such session.</summary>
    SessionNotFound = 16,

    /// <summary>Online: the session was revoked.</summary>
    SessionRevoked = 17,

    /// <summary>Online: the session has expired.</summary>
    SessionExpired = 18,

    /// <summary>Online: the token's security epoch or subject does not match the session or the user.</summary>
    EpochMismatch = 19,

    /// <summary>Online: the store could not answer; refused (fail closed).</summary>
    StoreUnavailable = 20,

    /// <summary>The <c>client_id</c> is not one of <see cref="AccessTokenOptions.AllowedClientIds"/>.</summary>
    ClientNotAllowed = 21,

    /// <summary>The <c>scope</c> lacks one of <see cref="AccessTokenOptions.RequiredScopes"/> (RFC 6750 <c>insufficient_scope</c>).</summary>
    InsufficientScope = 22,

    /// <summary>
    /// The token is bound to a key (<c>cnf.jkt</c>, RFC 9449) and was presented as a bearer token, without a proof of
    /// possession; validate the request with <see cref="Dpop.ResourceAccessValidator"/> instead.
    /// </summary>
    ProofRequired = 23,
}
