using System;

namespace SessionCore.Http;

/// <summary>Attributes of the session cookie. Every default is the strictest workable choice.</summary>
/// <threadsafety>Not thread-safe; configure before creating a <see cref="SessionCookieBuilder"/>, which copies the values.</threadsafety>
public sealed class SessionCookieOptions
{
    /// <summary>The longest <see cref="MaxAge"/> accepted: 400 days, the cap browsers apply (RFC 6265bis).</summary>
    public static readonly TimeSpan MaxAgeLimit = TimeSpan.FromDays(400);

    /// <summary>Gets or sets the cookie name.</summary>
    /// <value><c>__Host-session</c>; an RFC 9110 token of at most 256 characters.</value>
    /// <remarks>Security: the <c>__Host-</c> prefix makes browsers refuse the cookie unless it is Secure, host-only and <c>Path=/</c>, so a sibling subdomain cannot plant ("toss") it.</remarks>
    public string Name { get; set; } = "__Host-session";

    /// <summary>Gets or sets the <c>SameSite</c> attribute.</summary>
    /// <value><see cref="CookieSameSite.Strict"/>.</value>
    public CookieSameSite SameSite { get; set; } = CookieSameSite.Strict;

    /// <summary>Gets or sets a value indicating whether the <c>Secure</c> attribute is written.</summary>
    /// <value><see langword="true"/>. Turning it off is refused for <c>__Host-</c>/<c>__Secure-</c> names and <see cref="CookieSameSite.None"/>.</value>
    public bool Secure { get; set; } = true;

    /// <summary>Gets or sets the <c>Path</c> attribute.</summary>
    /// <value><c>/</c>.</value>
    public string Path { get; set; } = "/";

    /// <summary>Gets or sets the <c>Domain</c> attribute, or <see langword="null"/> for a host-only cookie.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Security: a domain makes the cookie visible to (and settable by) every subdomain.</remarks>
    public string? Domain { get; set; }

    /// <summary>Gets or sets the longest <c>Max-Age</c> ever written.</summary>
    /// <value>30 days; between 1 second and 400 days. A session cookie's <c>Max-Age</c> is further capped at the session's remaining absolute lifetime.</value>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);
}
