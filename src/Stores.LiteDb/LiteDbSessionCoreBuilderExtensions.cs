using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the LiteDB session store with SessionCore.</summary>
public static class LiteDbSessionCoreBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="LiteDbSessionStore"/> as the singleton <see cref="ISessionStore"/>, replacing any store
    /// registered before. The options are validated now, so a bad configuration fails at start-up; the file is
    /// opened when the store is first resolved, and closed when the container is disposed. A registered
    /// <see cref="TimeProvider"/> drives the periodic purge.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets the file path or connection string, and the purge interval.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete, contradictory or out of range.</exception>
    public static SessionCoreBuilder AddLiteDbStore(this SessionCoreBuilder builder, Action<LiteDbSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        LiteDbSessionStoreOptions options = new();
        configure(options);
        LiteDbSessionStoreOptions snapshot = new()
        {
            FilePath = options.FilePath,
            ConnectionString = options.ConnectionString,
            PurgeInterval = options.PurgeInterval,
        };
        _ = LiteDbSessionStore.Validate(snapshot);
        builder.Services.RemoveAll<ISessionStore>();
        builder.Services.AddSingleton(sp => new LiteDbSessionStore(snapshot, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<LiteDbSessionStore>());
        return builder;
    }
}
