using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dbsc;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore.Dbsc;

/// <summary>
/// Options of Device Bound Session Credentials on the session-cookie scheme (<c>AddDbsc</c>): the key, the bound cookie,
/// the endpoints and the "offer" or "require" policy. Every default is the strictest workable choice.
/// </summary>
/// <remarks>
/// Validated once, when <c>AddDbsc</c> runs, with every problem reported together; the values are copied then, so later
/// changes do nothing.
/// </remarks>
/// <threadsafety>Not thread-safe; used during start-up only.</threadsafety>
[Experimental(Preview.Dbsc)]
public sealed class SessionCoreDbscOptions
{
    /// <summary>
    /// Gets or sets the 32-byte key that authenticates challenges and bound cookies, or <see langword="null"/> for a
    /// random key per process.
    /// </summary>
    /// <value><see langword="null"/>: a key generated when <c>AddDbsc</c> runs, good for one node.</value>
    /// <remarks>
    /// Security: keep the key secret, like a signing key, and configure the same key on every node: a challenge issued
    /// by one node is verified by another, and so is every bound cookie. With a per-process key, a restart invalidates
    /// every bound cookie in flight (bound sessions are refused until their browsers refresh) and a second node refuses
    /// the first node's cookies. The key is copied at registration (the array can be cleared afterwards) and never
    /// written to a log, an exception or <c>ToString()</c>.
    /// </remarks>
    public ReadOnlyMemory<byte>? Key { get; set; }

    /// <summary>Gets or sets the short-lived bound cookie: name, <c>SameSite</c> and <c>Max-Age</c>.</summary>
    /// <value><c>__Host-dbsc</c>, <c>SameSite=Strict</c>, ten minutes (30 seconds to one hour); always <c>Secure</c>, <c>HttpOnly</c>, <c>Path=/</c>.</value>
    /// <remarks>Security: <c>Max-Age</c> is the window a thief who copied the bound cookie gets; keep it short.</remarks>
    public DbscBoundCookieOptions BoundCookie { get; set; } = new();

    /// <summary>Gets or sets how long a registration or refresh challenge is accepted.</summary>
    /// <value>Five minutes (10 seconds to 10 minutes).</value>
    public TimeSpan ChallengeLifetime { get; set; } = DbscChallengeService.DefaultLifetime;

    /// <summary>Gets or sets the registration endpoint that <c>MapSessionCoreDbsc()</c> maps and sign-in offers.</summary>
    /// <value><c>/dbsc/register</c>: an origin-relative path.</value>
    public string RegistrationPath { get; set; } = "/dbsc/register";

    /// <summary>Gets or sets the refresh endpoint that <c>MapSessionCoreDbsc()</c> maps and the session instructions name.</summary>
    /// <value><c>/dbsc/refresh</c>: an origin-relative path.</value>
    public string RefreshPath { get; set; } = "/dbsc/refresh";

    /// <summary>Gets or sets the scope origin written into the session instructions, or <see langword="null"/> for the registration's origin.</summary>
    /// <value><see langword="null"/>.</value>
    public string? Origin { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether sign-in (and regeneration of an unbound session) offers binding with a
    /// <c>Secure-Session-Registration</c> header.
    /// </summary>
    /// <value><see langword="true"/>. Browsers without DBSC ignore the header.</value>
    public bool OfferRegistration { get; set; } = true;

    /// <summary>
    /// Gets or sets the "require binding" policy: sessions for which it answers <see langword="true"/> do not
    /// authenticate until they are bound, and their 401 answers offer registration. When <see langword="null"/>,
    /// binding is offered and required of no session until it registers a key.
    /// </summary>
    /// <value><see langword="null"/> ("offer binding").</value>
    /// <remarks>
    /// Security: choose it per user or privilege level (for example <c>s =&gt; s.AuthenticationLevel &gt;= 2</c>) only for
    /// users whose browsers support DBSC; a browser that cannot register never gets in. Whatever this says, a session
    /// that registered a key stays bound and never authenticates without its bound cookie.
    /// </remarks>
    public Func<Session, bool>? RequireBinding { get; set; }

    /// <summary>Gets or sets the session-cookie scheme whose sessions are bound.</summary>
    /// <value><see cref="SessionCookieDefaults.AuthenticationScheme"/>.</value>
    public string SessionScheme { get; set; } = SessionCookieDefaults.AuthenticationScheme;
}
