using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Location.MaxMind;
using SessionCore.Location.MaxMind.Internal;
using SessionCore.Risk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MaxMind location provider.</summary>
public static class MaxMindSessionCoreBuilderExtensions
{
    /// <summary>
    /// Uses MaxMind DB files as the <see cref="ILocationProvider"/> of the sign-in risk check. The options are validated
    /// and the files opened and verified now, so a missing or broken file fails at start-up. The provider itself is
    /// created (and the files opened again) on first use, with a registered <see cref="TimeProvider"/> if there is one,
    /// and disposed with the container.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets <see cref="MaxMindLocationOptions.CityDatabasePath"/> and/or <see cref="MaxMindLocationOptions.AsnDatabasePath"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No path is set, a path is blank, or the interval is out of bounds.</exception>
    /// <exception cref="MaxMindDatabaseException">A file is missing, unreadable, truncated, corrupt or of the wrong kind.</exception>
    public static SessionCoreBuilder AddMaxMindLocation(this SessionCoreBuilder builder, Action<MaxMindLocationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        MaxMindLocationOptions options = new();
        configure(options);
        MaxMindSettings.Create(options);
        MaxMindLocationOptions snapshot = new()
        {
            CityDatabasePath = options.CityDatabasePath,
            AsnDatabasePath = options.AsnDatabasePath,
            ReloadCheckInterval = options.ReloadCheckInterval,
        };

        // Open and verify now, so a broken file stops the host from starting rather than its first sign-in.
        using (new MaxMindLocationProvider(new MaxMindLocationOptions
        {
            CityDatabasePath = snapshot.CityDatabasePath,
            AsnDatabasePath = snapshot.AsnDatabasePath,
            ReloadCheckInterval = TimeSpan.Zero,
        }))
        {
        }

        builder.Services.RemoveAll<ILocationProvider>();
        builder.Services.AddSingleton(sp => new MaxMindLocationProvider(snapshot, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<ILocationProvider>(sp => sp.GetRequiredService<MaxMindLocationProvider>());
        return builder;
    }
}
