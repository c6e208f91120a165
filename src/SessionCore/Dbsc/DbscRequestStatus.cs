using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>How a request's session and bound cookie were judged. Only <see cref="Bound"/> and <see cref="Unbound"/> authenticate.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscRequestStatus
{
    /// <summary>The session is bound and the request carries its current bound cookie: authenticated.</summary>
    Bound = 0,

    /// <summary>The session is not bound and the policy does not require it: authenticated; offer registration.</summary>
    Unbound = 1,

    /// <summary>The session is not bound and the policy requires binding: not authenticated; offer registration.</summary>
    BindingRequired = 2,

    /// <summary>The session is bound and the request has no bound cookie: not authenticated.</summary>
    BoundCookieMissing = 3,

    /// <summary>The session is bound and its bound cookie has expired: not authenticated; the browser refreshes.</summary>
    BoundCookieExpired = 4,

    /// <summary>The session is bound and the bound cookie is not one this host issued for this session and key: not authenticated.</summary>
    BoundCookieInvalid = 5,

    /// <summary>The long-lived session token does not open a live session (see <see cref="DbscRequestResult.SessionStatus"/>).</summary>
    SessionNotValid = 6,
}
