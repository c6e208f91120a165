using System.Diagnostics.CodeAnalysis;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dbsc;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.AspNetCore;

/// <summary>
/// The session a request is authenticated with, and the outcome of a sign-in or sign-out on it; set by the
/// session-cookie handler in <see cref="Microsoft.AspNetCore.Http.HttpContext.Features"/>.
/// Read it with <see cref="SessionCoreHttpContextExtensions.GetSessionFeature"/>.
/// </summary>
/// <threadsafety>Belongs to one request; not thread-safe.</threadsafety>
public sealed class SessionCoreFeature
{
    internal SessionCoreFeature()
    {
    }

    /// <summary>Gets the validated session of the request, or <see langword="null"/> when it has none.</summary>
    public Session? Session { get; internal set; }

    /// <summary>Gets the session token the request presented (or the one just minted); its <c>ToString()</c> is redacted.</summary>
    /// <remarks>Security: the token is the session's bearer secret. Pass it to SessionCore services only; never log or echo it.</remarks>
    public SessionToken? Token { get; internal set; }

    /// <summary>Gets how the request's session cookie was judged, when one was presented.</summary>
    public SessionValidationStatus? Validation { get; internal set; }

    /// <summary>
    /// Gets how DBSC judged the request's session (bound with its bound cookie, unbound, or refused and why), when
    /// <c>AddDbsc</c> is registered and a live session cookie was presented.
    /// </summary>
    /// <remarks>Only <see cref="DbscRequestStatus.Bound"/> and <see cref="DbscRequestStatus.Unbound"/> authenticate.</remarks>
    [Experimental(Preview.Dbsc)]
    public DbscRequestStatus? DeviceBinding { get; internal set; }

    /// <summary>Gets the outcome of the last sign-in through the handler on this request, if any.</summary>
    public SignInResult? SignIn { get; internal set; }

    /// <summary>Gets the outcome of the last sign-out through the handler on this request, if any.</summary>
    public SessionOperationStatus? SignOut { get; internal set; }

    /// <summary>Returns the type name; the feature carries a secret.</summary>
    /// <returns><c>SessionCoreFeature</c>.</returns>
    public override string ToString() => nameof(SessionCoreFeature);
}
