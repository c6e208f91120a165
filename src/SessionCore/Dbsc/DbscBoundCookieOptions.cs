using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Http;

namespace SessionCore.Dbsc;

/// <summary>Attributes of the short-lived bound cookie. Every default is the strictest workable choice.</summary>
/// <threadsafety>Not thread-safe; configure before creating a <see cref="DbscBoundCookieService"/>, which copies the values.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscBoundCookieOptions
{
    /// <summary>Gets the shortest accepted <see cref="MaxAge"/>: 30 seconds.</summary>
    public static TimeSpan MinMaxAge => TimeSpan.FromSeconds(30);

    /// <summary>Gets the longest accepted <see cref="MaxAge"/>: one hour.</summary>
    public static TimeSpan MaxMaxAge => TimeSpan.FromHours(1);

    /// <summary>Gets or sets the cookie name.</summary>
    /// <value><c>__Host-dbsc</c>; must start with <c>__Host-</c>.</value>
    /// <remarks>Security: the <c>__Host-</c> prefix makes browsers refuse the cookie unless it is Secure, host-only and <c>Path=/</c>.</remarks>
    public string Name { get; set; } = "__Host-dbsc";

    /// <summary>Gets or sets the <c>SameSite</c> attribute; use the same as the session cookie's.</summary>
    /// <value><see cref="CookieSameSite.Strict"/>.</value>
    public CookieSameSite SameSite { get; set; } = CookieSameSite.Strict;

    /// <summary>Gets or sets the lifetime of a bound cookie, and so how often a browser proves possession of its key.</summary>
    /// <value>10 minutes; between 30 seconds and one hour. Always capped at the session's remaining lifetime.</value>
    /// <remarks>Security: a stolen bound cookie works until it expires; this is the window a thief gets without the key.</remarks>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);
}
