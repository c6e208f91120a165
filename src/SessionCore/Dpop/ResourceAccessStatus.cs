namespace SessionCore.Dpop;

/// <summary>
/// Why a request to a protected resource was accepted or refused (RFC 9449 §7, RFC 6750 §3). Only <see cref="Valid"/>
/// authenticates. Reasons never carry input; <see cref="ResourceAccessResult.TokenStatus"/> and
/// <see cref="ResourceAccessResult.ProofStatus"/> say which check failed, for server-side logs.
/// </summary>
public enum ResourceAccessStatus
{
    /// <summary>A valid bearer token, or a valid bound token with a valid proof by its key.</summary>
    Valid = 0,

    /// <summary>No <c>Authorization</c> header, or one of another scheme: answer 401 with the challenge and no error (RFC 6750 §3.1).</summary>
    NoCredentials = 1,

    /// <summary>The <c>Authorization</c> header is malformed or too large: <c>invalid_request</c>, 400.</summary>
    InvalidRequest = 2,

    /// <summary>The access token is invalid, expired or revoked: <c>invalid_token</c>, 401.</summary>
    InvalidToken = 3,

    /// <summary>The token is valid but lacks <see cref="ResourceAccessRequest.RequiredScope"/>: <c>insufficient_scope</c>, 403.</summary>
    InsufficientScope = 4,

    /// <summary>A <c>DPoP</c> request whose proof is missing, duplicated or fails a check of RFC 9449 §4.3: <c>invalid_dpop_proof</c>, 401.</summary>
    InvalidProof = 5,

    /// <summary>The proof carries no current server nonce: <c>use_dpop_nonce</c>, 401, with <see cref="ResourceAccessResult.DpopNonce"/> to retry with.</summary>
    NonceRequired = 6,

    /// <summary>The proof was accepted before (RFC 9449 §11.1): <c>invalid_dpop_proof</c>, 401.</summary>
    ProofReplayed = 7,

    /// <summary>The proof is valid but signed by another key than the token's <c>cnf.jkt</c>: <c>invalid_token</c>, 401.</summary>
    KeyMismatch = 8,

    /// <summary>A token bound to a key presented with the <c>Bearer</c> scheme (RFC 9449 §7.2), a downgrade: <c>invalid_token</c>, 401.</summary>
    BearerDowngrade = 9,

    /// <summary>An unbound token presented with the <c>DPoP</c> scheme: <c>invalid_token</c>, 401.</summary>
    TokenNotBound = 10,

    /// <summary>A bearer token where <see cref="DpopOptions.RequireBoundTokens"/> accepts bound tokens only: <c>invalid_token</c>, 401.</summary>
    BoundTokenRequired = 11,

    /// <summary>The store could not answer (online token validation or the replay cache); refused, 503 (fail closed).</summary>
    StoreUnavailable = 12,
}
