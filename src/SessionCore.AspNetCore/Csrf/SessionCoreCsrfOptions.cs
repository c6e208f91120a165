using System;
using SessionCore.AspNetCore.Authentication;

namespace SessionCore.AspNetCore.Csrf;

/// <summary>Options of the CSRF and origin checks (<c>AddCsrfProtection</c>).</summary>
public sealed class SessionCoreCsrfOptions
{
    /// <summary>Gets or sets the origin the application's pages are served from, for example <c>https://app.example.com</c>.</summary>
    /// <value>Required; no default.</value>
    /// <remarks>Security: an unsafe request that rides on the session cookie must come from this origin (Fetch Metadata, then <c>Origin</c>).</remarks>
    public string? ExpectedOrigin { get; set; }

    /// <summary>Gets or sets the request header that carries the masked CSRF token.</summary>
    /// <value><c>X-CSRF-Token</c>.</value>
    public string HeaderName { get; set; } = "X-CSRF-Token";

    /// <summary>
    /// Gets or sets the 32 to 64 byte key of the CSRF tokens, or <see langword="null"/> for a random key per
    /// process (a restart then only asks pages to fetch a new token). Several nodes behind one load balancer share a key.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Security: keep the key secret, like a signing key; the options are copied at registration, and the array can be cleared afterwards.</remarks>
    public ReadOnlyMemory<byte>? Key { get; set; }

    /// <summary>Gets or sets the session-cookie scheme whose session the CSRF token is bound to.</summary>
    /// <value><see cref="SessionCookieDefaults.AuthenticationScheme"/>.</value>
    public string SessionScheme { get; set; } = SessionCookieDefaults.AuthenticationScheme;
}
