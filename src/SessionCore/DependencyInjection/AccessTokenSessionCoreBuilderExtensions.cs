using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers access tokens (JWT) on a <see cref="SessionCoreBuilder"/>.</summary>
public static class AccessTokenSessionCoreBuilderExtensions
{
    /// <summary>
    /// Registers the key ring, a singleton <see cref="AccessTokenIssuer"/> and a singleton
    /// <see cref="AccessTokenValidator"/>. The options are validated now, so bad configuration fails at
    /// start-up. Online validation uses the registered <see cref="ISessionStore"/>; a registered
    /// <see cref="TimeProvider"/> is used.
    /// </summary>
    /// <param name="builder">The builder from <c>AddSessionCore</c>.</param>
    /// <param name="keyRing">The signing keys; the caller keeps ownership of the keys.</param>
    /// <param name="configure">Sets at least <see cref="AccessTokenOptions.Issuer"/>, <see cref="AccessTokenOptions.Audience"/> and <see cref="AccessTokenOptions.DefaultClientId"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    public static SessionCoreBuilder AddAccessTokens(this SessionCoreBuilder builder, SigningKeyRing keyRing, Action<AccessTokenOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(keyRing);
        Throw.IfNull(configure);
        AccessTokenOptions options = new();
        configure(options);
        AccessTokenSettings settings = AccessTokenSettings.CreateForIssuer(options);
        builder.Services.TryAddSingleton(keyRing);
        builder.Services.TryAddSingleton(sp => new AccessTokenIssuer(
            keyRing,
            settings,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            TokenSource.System));
        builder.Services.TryAddSingleton(sp => new AccessTokenValidator(
            keyRing,
            settings,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            settings.ValidationMode == AccessTokenValidationMode.Online
                ? sp.GetService<ISessionStore>() ?? Throw.InvalidOperation<ISessionStore>(Error.OnlineNeedsStore)
                : null));
        return builder;
    }
}
