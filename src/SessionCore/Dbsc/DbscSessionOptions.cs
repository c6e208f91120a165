using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Sessions;

namespace SessionCore.Dbsc;

/// <summary>Where a host serves DBSC and which sessions must be bound. Every default is the strictest workable choice.</summary>
/// <threadsafety>Not thread-safe; configure before creating a <see cref="DbscSessionService"/>, which validates and copies the values.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscSessionOptions
{
    /// <summary>Gets or sets the registration endpoint written into <c>Secure-Session-Registration</c>.</summary>
    /// <value><c>/dbsc/register</c>: an origin-relative path or an absolute https URL.</value>
    public string RegistrationPath { get; set; } = "/dbsc/register";

    /// <summary>Gets or sets the refresh endpoint written into the session instructions.</summary>
    /// <value><c>/dbsc/refresh</c>: an origin-relative path or an absolute https URL.</value>
    public string RefreshPath { get; set; } = "/dbsc/refresh";

    /// <summary>Gets or sets the scope origin written into the instructions, or <see langword="null"/> for the registration's origin.</summary>
    /// <value><see langword="null"/>.</value>
    public string? Origin { get; set; }

    /// <summary>
    /// Gets or sets the "require binding" policy: sessions for which it answers <see langword="true"/> do not authenticate
    /// until they are bound (<see cref="DbscRequestStatus.BindingRequired"/>). When <see langword="null"/>, binding is
    /// offered to every session and required of none until it registers a key.
    /// </summary>
    /// <value><see langword="null"/> ("offer binding").</value>
    /// <remarks>
    /// Security: choose it per user or privilege level (for example
    /// <c>s =&gt; s.AuthenticationLevel &gt;= 2</c>) only for users whose browsers support DBSC; a browser that cannot
    /// register never gets in. Whatever this says, a session that registered a key stays bound.
    /// </remarks>
    public Func<Session, bool>? RequireBinding { get; set; }
}
