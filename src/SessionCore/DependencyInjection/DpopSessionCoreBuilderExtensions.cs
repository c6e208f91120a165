using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Dpop;
using SessionCore.Internal;
using SessionCore.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers DPoP proof validation (RFC 9449) on a <see cref="SessionCoreBuilder"/>.</summary>
public static class DpopSessionCoreBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="DpopProofValidator"/> whose replay cache is the registered
    /// <see cref="ISessionStore"/>; a registered <see cref="TimeProvider"/> is used. The options are validated now,
    /// so bad configuration fails at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets at least <see cref="DpopOptions.ReplayScope"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    /// <remarks>Security: with several nodes, configure the same <see cref="DpopOptions.NonceKey"/> on each and use a shared store.</remarks>
    public static SessionCoreBuilder AddDpop(this SessionCoreBuilder builder, Action<DpopOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        DpopOptions options = new();
        configure(options);
        DpopSettings settings = DpopSettings.Create(options);
        builder.Services.TryAddSingleton(sp => new DpopProofValidator(
            settings,
            sp.GetService<ISessionStore>() ?? Throw.InvalidOperation<ISessionStore>(Error.DpopStoreMissing),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }
}
