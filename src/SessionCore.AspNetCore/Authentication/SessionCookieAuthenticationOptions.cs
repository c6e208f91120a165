using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Authentication;
using SessionCore.Http;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>Options of the session-cookie authentication handler.</summary>
/// <remarks>
/// Validated once at start-up (<see cref="SessionCookieAuthenticationOptionsValidator"/>), every problem reported
/// together.
/// </remarks>
public sealed class SessionCookieAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the session cookie.</summary>
    /// <value>By default <c>__Host-session</c>: <c>Secure</c>, <c>HttpOnly</c>, <c>SameSite=Strict</c>, <c>Path=/</c>, no <c>Domain</c>.</value>
    /// <remarks>Security: keep the <c>__Host-</c> prefix; it stops a sibling subdomain from planting or shadowing the cookie.</remarks>
    public SessionCookieOptions Cookie { get; set; } = new();

    /// <summary>
    /// Gets or sets the long-lived device-id cookie sent to the store at sign-in (new-device detection), or
    /// <see langword="null"/> to send none.
    /// </summary>
    /// <value>By default <c>__Host-device</c>, 400 days, with the session cookie's other attributes.</value>
    public SessionCookieOptions? DeviceCookie { get; set; } = new() { Name = "__Host-device", MaxAge = TimeSpan.FromDays(400) };

    /// <summary>
    /// Gets the <c>acr</c> value for each authentication level; a level without an entry gets no <c>acr</c> claim.
    /// </summary>
    /// <value>Empty by default.</value>
    public IDictionary<int, string> AuthenticationContextClasses { get; } = new Dictionary<int, string>();
}
