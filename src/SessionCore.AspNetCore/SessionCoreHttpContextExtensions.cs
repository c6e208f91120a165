using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore;

/// <summary>The session of a request: read it, sign in, regenerate, sign out, and the CSRF token for the page.</summary>
public static class SessionCoreHttpContextExtensions
{
    /// <summary>Gets the SessionCore feature of the request, once the session-cookie scheme has run; otherwise <see langword="null"/>.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The feature, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static SessionCoreFeature? GetSessionFeature(this HttpContext context) => Throw.IfNull(context).Features.Get<SessionCoreFeature>();

    /// <summary>Gets the request's validated session, or <see langword="null"/> when the session cookie did not authenticate it.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The session, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static Session? GetSession(this HttpContext context) => context.GetSessionFeature()?.Session;

    /// <summary>
    /// Signs the user in with a fresh session and sets the session cookie; a session cookie the request carried is
    /// revoked, never adopted. The same as <c>HttpContext.SignInAsync(scheme, principal)</c> with a principal of
    /// <c>sub</c>, <c>sc_level</c> and <c>amr</c>, returning the outcome.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="userId">The user id the host has just authenticated.</param>
    /// <param name="authenticationLevel">The authentication level (1 for one factor).</param>
    /// <param name="authenticationMethods">The <c>amr</c> values (RFC 8176), for example <c>pwd</c>, or <see langword="null"/>.</param>
    /// <param name="scheme">The session-cookie scheme.</param>
    /// <returns>The sign-in outcome; on failure no cookie is set and a presented one is deleted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="userId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="authenticationLevel"/> is below 1.</exception>
    /// <remarks>Security: call it only after the user has proved who they are; send the page a new CSRF token (<see cref="GetCsrfToken"/>) afterwards.</remarks>
    public static async Task<SignInResult> SignInSessionAsync(
        this HttpContext context,
        string userId,
        int authenticationLevel = 1,
        IReadOnlyList<string>? authenticationMethods = null,
        string scheme = SessionCookieDefaults.AuthenticationScheme)
    {
        Throw.IfNull(context);
        Throw.IfNullOrWhiteSpace(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(authenticationLevel, 1);
        List<Claim> claims =
        [
            new(SessionCoreClaimTypes.Subject, userId),
            new(SessionCoreClaimTypes.AuthenticationLevel, authenticationLevel.ToString(CultureInfo.InvariantCulture)),
        ];
        foreach (string method in authenticationMethods ?? [])
        {
            claims.Add(new Claim(SessionCoreClaimTypes.AuthenticationMethod, method));
        }

        await context.SignInAsync(scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, SessionCoreClaimTypes.Subject, ClaimTypes.Role))).ConfigureAwait(false);
        return context.GetSessionFeature()?.SignIn ?? Throw.InvalidOperation<SignInResult>(Error.NotSessionCookieScheme);
    }

    /// <summary>
    /// Regenerates the request's session after a privilege change (step-up, re-authentication, role change): a new
    /// token and cookie, the old token revoked in the same store step. One call.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="change">The change (new level, <see cref="SessionChange.Reauthenticated"/>, data), or <see langword="null"/> for a plain rotation.</param>
    /// <param name="scheme">The session-cookie scheme.</param>
    /// <returns>The outcome; on failure nothing changes and no cookie is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="scheme"/> is not a session-cookie scheme.</exception>
    /// <remarks>Security: the CSRF token is bound to the session id, which changes: send the page a new one (<see cref="GetCsrfToken"/>).</remarks>
    public static async Task<SessionRegenerationResult> RegenerateSessionAsync(this HttpContext context, SessionChange? change = null, string scheme = SessionCookieDefaults.AuthenticationScheme)
    {
        Throw.IfNull(context);
        IAuthenticationHandlerProvider handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(context, scheme).ConfigureAwait(false) is not SessionCookieAuthenticationHandler handler)
        {
            return Throw.InvalidOperation<SessionRegenerationResult>(Error.NotSessionCookieScheme);
        }

        return await handler.RegenerateAsync(change).ConfigureAwait(false);
    }

    /// <summary>Revokes the request's session in the store and deletes the cookie; <c>HttpContext.SignOutAsync(scheme)</c> returning the outcome.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The session-cookie scheme.</param>
    /// <returns><see cref="SessionOperationStatus.StoreUnavailable"/> when the store could not revoke it (the cookie is deleted anyway).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static async Task<SessionOperationStatus> SignOutSessionAsync(this HttpContext context, string scheme = SessionCookieDefaults.AuthenticationScheme)
    {
        Throw.IfNull(context);
        await context.SignOutAsync(scheme).ConfigureAwait(false);
        return context.GetSessionFeature()?.SignOut ?? Throw.InvalidOperation<SessionOperationStatus>(Error.NotSessionCookieScheme);
    }

    /// <summary>A CSRF token for the request's session, masked afresh (BREACH); <see langword="null"/> without a session.</summary>
    /// <param name="context">The request, after authentication or sign-in.</param>
    /// <returns>The token to hand to the page, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">CSRF protection is not registered.</exception>
    public static string? GetCsrfToken(this HttpContext context) =>
        context.GetSession() is { } session ? CsrfProtection.From(context).Tokens.CreateToken(session.Id) : null;
}
