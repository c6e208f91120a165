using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers refresh-token rotation on a <see cref="SessionCoreBuilder"/>.</summary>
public static class RefreshTokenSessionCoreBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="RefreshTokenService"/> over the registered <see cref="SessionManager"/>.
    /// The options are validated now, so bad configuration fails at start-up. When access tokens are
    /// registered too (<c>AddAccessTokens</c>), every refresh result carries a fresh access token.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of bounds or contradicts another, or the sealing key is unusable.</exception>
    public static SessionCoreBuilder AddRefreshTokens(this SessionCoreBuilder builder, Action<RefreshTokenOptions>? configure = null)
    {
        Throw.IfNull(builder);
        RefreshTokenOptions options = new();
        configure?.Invoke(options);
        RefreshTokenSettings settings = RefreshTokenSettings.Create(options);
        builder.Services.TryAddSingleton(sp => new RefreshTokenService(sp.GetRequiredService<SessionManager>(), settings, sp.GetService<AccessTokenIssuer>()));
        return builder;
    }
}
