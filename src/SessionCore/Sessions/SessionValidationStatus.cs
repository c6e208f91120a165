namespace SessionCore.Sessions;

/// <summary>The outcome of validating a presented session token. Only <see cref="Valid"/> authenticates.</summary>
public enum SessionValidationStatus
{
    /// <summary>The token opens a live session.</summary>
    Valid = 0,

    /// <summary>The value is not a session token at all (empty, wrong length, prefix or alphabet).</summary>
    Malformed = 1,

    /// <summary>The token is well formed but the store has no such session.</summary>
    NotFound = 2,

    /// <summary>The session was not used within the idle timeout.</summary>
    ExpiredIdle = 3,

    /// <summary>The session reached its absolute lifetime.</summary>
    ExpiredAbsolute = 4,

    /// <summary>The session was revoked (logout, regeneration, invalidation, eviction).</summary>
    Revoked = 5,

    /// <summary>The store could not answer; the request is not authenticated (fail closed).</summary>
    StoreUnavailable = 6,

    /// <summary>The stored record lies in the future beyond the clock-skew tolerance; refused (fail closed).</summary>
    ClockSkew = 7,

    /// <summary>
    /// The session is live but bound to a device key (DBSC): its token alone does not authenticate. Judge the request
    /// with the DBSC session service, which also requires the current short-lived bound cookie.
    /// </summary>
    KeyBindingRequired = 8,
}
