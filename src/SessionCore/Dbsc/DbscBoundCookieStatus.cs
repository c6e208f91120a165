using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>Why a bound cookie was or was not accepted. The reason never echoes input.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscBoundCookieStatus
{
    /// <summary>Issued by this host, unexpired, and (when checked) for the expected session and key.</summary>
    Valid = 0,

    /// <summary>No bound cookie was sent.</summary>
    Missing = 1,

    /// <summary>The value does not have the shape of a bound cookie.</summary>
    Malformed = 2,

    /// <summary>The cookie name occurs more than once in the <c>Cookie</c> header; refused as ambiguous.</summary>
    Ambiguous = 3,

    /// <summary>The authentication tag does not match: not issued by this host, or altered.</summary>
    Forged = 4,

    /// <summary>The cookie is past its expiry (plus the tolerated clock difference between nodes).</summary>
    Expired = 5,

    /// <summary>The cookie claims an expiry further away than <see cref="DbscBoundCookieOptions.MaxAge"/> allows (for example after the option was lowered).</summary>
    TooLongLived = 6,

    /// <summary>A genuine bound cookie of another session: a likely sign that cookies were copied between browsers.</summary>
    WrongSession = 7,

    /// <summary>A genuine bound cookie of this session, issued for a key it is no longer bound to.</summary>
    WrongKey = 8,
}
