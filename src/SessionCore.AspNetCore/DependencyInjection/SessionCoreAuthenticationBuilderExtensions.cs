using System;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Authorization;
using SessionCore.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SessionCore authentication schemes to ASP.NET Core authentication.</summary>
public static class SessionCoreAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the session-cookie scheme (<see cref="SessionCookieDefaults.AuthenticationScheme"/>), which validates the
    /// SessionCore session cookie and signs in and out through <c>HttpContext.SignInAsync</c> / <c>SignOutAsync</c>.
    /// Needs <c>services.AddSessionCore(...)</c> with a store. The options are validated at start-up.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, Action<SessionCookieAuthenticationOptions>? configure = null) =>
        builder.AddSessionCookie(SessionCookieDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a session-cookie scheme under the given name; see <see cref="AddSessionCookie(AuthenticationBuilder, Action{SessionCookieAuthenticationOptions}?)"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="authenticationScheme"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="authenticationScheme"/> is empty.</exception>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionCookieAuthenticationOptions>? configure)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhiteSpace(authenticationScheme);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionCookieAuthenticationOptions>, SessionCookieAuthenticationOptionsValidator>());
        AddAuthorizationHandler(builder.Services);
        builder.Services.AddOptions<SessionCookieAuthenticationOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<SessionCookieAuthenticationOptions, SessionCookieAuthenticationHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Adds the access-token scheme (<see cref="SessionCoreBearerDefaults.AuthenticationScheme"/>): RFC 6750 Bearer
    /// tokens from the <c>Authorization</c> header, validated by the <c>AccessTokenValidator</c> that
    /// <c>AddAccessTokens</c> registers; with <see cref="SessionCoreBearerOptions.AcceptDpop"/> also RFC 9449 DPoP-bound
    /// tokens with their proofs (needs <c>AddDpop</c>). The options are validated at start-up.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AuthenticationBuilder AddSessionCoreBearer(this AuthenticationBuilder builder, Action<SessionCoreBearerOptions>? configure = null) =>
        builder.AddSessionCoreBearer(SessionCoreBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds an access-token scheme under the given name; see <see cref="AddSessionCoreBearer(AuthenticationBuilder, Action{SessionCoreBearerOptions}?)"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="authenticationScheme"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="authenticationScheme"/> is empty.</exception>
    public static AuthenticationBuilder AddSessionCoreBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionCoreBearerOptions>? configure)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhiteSpace(authenticationScheme);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionCoreBearerOptions>, SessionCoreBearerOptionsValidator>());
        AddAuthorizationHandler(builder.Services);
        builder.Services.AddOptions<SessionCoreBearerOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<SessionCoreBearerOptions, SessionCoreBearerHandler>(authenticationScheme, configure);
    }

    private static void AddAuthorizationHandler(IServiceCollection services)
    {
        // Authorization services too, so RequireAuthorization works (and a WebApplication adds its middleware) without another call.
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, SessionFreshnessAuthorizationHandler>());
    }
}
