namespace SessionCore.Rotation;

/// <summary>
/// The coarse outcome of issuing or redeeming a refresh token. Only <see cref="Issued"/>,
/// <see cref="Rotated"/> and <see cref="GraceRetry"/> hand out a token.
/// </summary>
public enum RefreshTokenStatus
{
    /// <summary>A new family was created for a live session and its first token returned.</summary>
    Issued = 0,

    /// <summary>The presented token was current: it is now spent and its successor is returned.</summary>
    Rotated = 1,

    /// <summary>The presented token was rotated moments ago (inside the grace window): the same successor is returned again and nothing is created.</summary>
    GraceRetry = 2,

    /// <summary>The value is not a token of the expected kind (empty, wrong length, prefix or alphabet). Nothing changed.</summary>
    Malformed = 3,

    /// <summary>The token is well formed but unknown (never issued, or purged). Nothing changed.</summary>
    NotFound = 4,

    /// <summary>
    /// The token was spent outside the grace window, or its family was revoked: the family and its session
    /// are now revoked and a reuse event was raised. Nothing was issued.
    /// </summary>
    Reused = 5,

    /// <summary>The token is past its idle expiry or its family's absolute lifetime. Nothing changed.</summary>
    Expired = 6,

    /// <summary>The session is missing, revoked or expired. Nothing was issued.</summary>
    SessionNotLive = 7,

    /// <summary>
    /// A retry inside the grace window could not be answered (for example it reached a node that does not
    /// hold the sealing key). Nothing was revoked; the client should sign in again.
    /// </summary>
    RetryConflict = 8,

    /// <summary>The store could not answer; nothing was issued (fail closed).</summary>
    StoreUnavailable = 9,

    /// <summary>
    /// The token's family is bound to an OAuth client or a proof-of-possession key, and the redemption came from another
    /// client or without a proof by that key. Nothing changed: the family is not spent and not revoked. Answer as an
    /// invalid grant.
    /// </summary>
    BindingMismatch = 10,
}
