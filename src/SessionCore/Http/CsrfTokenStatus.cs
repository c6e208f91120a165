namespace SessionCore.Http;

/// <summary>The outcome of verifying a presented CSRF token. Only <see cref="Valid"/> permits the request.</summary>
public enum CsrfTokenStatus
{
    /// <summary>The token belongs to the session.</summary>
    Valid = 0,

    /// <summary>No token was presented.</summary>
    Missing = 1,

    /// <summary>The value is not a masked CSRF token (wrong length or alphabet).</summary>
    Malformed = 2,

    /// <summary>A well-formed token that does not belong to this session (another session, another key, or altered).</summary>
    Mismatch = 3,
}
