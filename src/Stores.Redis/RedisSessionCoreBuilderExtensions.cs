using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Stores;
using SessionCore.Stores.Redis;
using SessionCore.Stores.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis session store.</summary>
public static class RedisSessionCoreBuilderExtensions
{
    /// <summary>
    /// Uses Redis as the session store. The options are validated now, so bad configuration fails at start-up;
    /// the connection opens on first use.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets the connection (<see cref="RedisSessionStoreOptions.Configuration"/> or
    /// <see cref="RedisSessionStoreOptions.ConnectionMultiplexer"/>) and other options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    public static SessionCoreBuilder AddRedisStore(this SessionCoreBuilder builder, Action<RedisSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        RedisSessionStoreOptions options = new();
        configure(options);
        RedisStoreSettings settings = RedisStoreSettings.Create(options);
        builder.Services.RemoveAll<ISessionStore>();
        builder.Services.AddSingleton<ISessionStore>(_ => new RedisSessionStore(settings));
        return builder;
    }

    /// <summary>Uses Redis as the session store, connecting with a StackExchange.Redis configuration string.</summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configuration">For example <c>"localhost:6379"</c>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty.</exception>
    public static SessionCoreBuilder AddRedisStore(this SessionCoreBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRedisStore(builder, o => o.Configuration = configuration);
    }
}
