namespace SessionCore.Dpop;

/// <summary>The <c>error</c> of a <c>WWW-Authenticate</c> challenge or of a token endpoint error response (RFC 6750 §3.1, RFC 9449 §5, §7.1, §12.2).</summary>
public enum DpopChallengeError
{
    /// <summary>No error parameter: the request carried no credentials (RFC 6750 §3.1), or the failure is the server's own.</summary>
    None = 0,

    /// <summary><c>invalid_request</c>: the request is malformed, for example two ways of sending the token (RFC 9449 figure 19).</summary>
    InvalidRequest = 1,

    /// <summary><c>invalid_token</c>: the access token is invalid, expired, revoked, or not bound to the proof's key.</summary>
    InvalidToken = 2,

    /// <summary><c>invalid_dpop_proof</c>: the DPoP proof failed a check of RFC 9449 §4.3.</summary>
    InvalidDpopProof = 3,

    /// <summary><c>use_dpop_nonce</c>: retry with the nonce from the <c>DPoP-Nonce</c> header (RFC 9449 §8, §9).</summary>
    UseDpopNonce = 4,

    /// <summary><c>insufficient_scope</c>: the token is valid but does not grant this request.</summary>
    InsufficientScope = 5,
}
