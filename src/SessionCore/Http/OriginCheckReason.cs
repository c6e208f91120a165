namespace SessionCore.Http;

/// <summary>The coarse reason of an <see cref="OriginCheckResult"/>.</summary>
public enum OriginCheckReason
{
    /// <summary>Allowed: the method is safe (<c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>, <c>TRACE</c>) and must not change state.</summary>
    SafeMethod = 0,

    /// <summary>Allowed: <c>Sec-Fetch-Site: same-origin</c>, or an <c>Origin</c> equal to the expected origin.</summary>
    SameOrigin = 1,

    /// <summary>Allowed: <c>Sec-Fetch-Site: none</c> (a user-initiated navigation, such as a bookmark).</summary>
    UserInitiated = 2,

    /// <summary>Allowed by configuration: neither header is present (a non-browser client).</summary>
    NoBrowserHeaders = 3,

    /// <summary>Denied: <c>Sec-Fetch-Site: cross-site</c>.</summary>
    CrossSite = 4,

    /// <summary>Denied: <c>Sec-Fetch-Site: same-site</c> (a sibling subdomain is another origin).</summary>
    SameSite = 5,

    /// <summary>Denied: the <c>Origin</c> header names another origin, or is <c>null</c>.</summary>
    OriginMismatch = 6,

    /// <summary>Denied: neither <c>Sec-Fetch-Site</c> nor <c>Origin</c> is present.</summary>
    MissingHeaders = 7,

    /// <summary>Denied: <c>Sec-Fetch-Site</c> has an unknown value.</summary>
    InvalidHeader = 8,
}
