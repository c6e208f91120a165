using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using SessionCore.DependencyInjection;
using SessionCore.Stores;
using SessionCore.Stores.Mongo;
using SessionCore.Stores.Mongo.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MongoDB session store with SessionCore.</summary>
public static class MongoSessionCoreBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="MongoSessionStore"/> as the singleton <see cref="ISessionStore"/>, replacing any store
    /// registered before. The options are validated now. When an <see cref="IMongoClient"/> is registered it is
    /// used; otherwise one is created from <see cref="MongoSessionStoreOptions.ConnectionString"/> and registered.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets the connection string, database and collection name.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name is empty, or no connection string is set and no client is registered.</exception>
    public static SessionCoreBuilder AddMongoStore(this SessionCoreBuilder builder, Action<MongoSessionStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        MongoSessionStoreOptions options = new();
        configure(options);
        MongoSessionStoreOptions snapshot = new()
        {
            ConnectionString = options.ConnectionString,
            DatabaseName = options.DatabaseName,
            SessionsCollectionName = options.SessionsCollectionName,
            SingleUseCollectionName = options.SingleUseCollectionName,
            CreateIndexesOnFirstUse = options.CreateIndexesOnFirstUse,
        };
        if (string.IsNullOrWhiteSpace(snapshot.DatabaseName) || string.IsNullOrWhiteSpace(snapshot.SessionsCollectionName)
            || string.IsNullOrWhiteSpace(snapshot.SingleUseCollectionName))
        {
            throw new ArgumentException(Error.BadName, nameof(configure));
        }

        bool hasClient = builder.Services.Any(d => d.ServiceType == typeof(IMongoClient));
        if (!hasClient && string.IsNullOrWhiteSpace(snapshot.ConnectionString))
        {
            throw new ArgumentException(Error.NoConnectionString, nameof(configure));
        }

        // Parse now, so a malformed connection string fails at start-up.
        MongoUrl? url = hasClient ? null : MongoUrl.Create(snapshot.ConnectionString);
        if (url is not null)
        {
            // The container owns (and disposes) the client it creates.
            builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(url));
        }

        builder.Services.RemoveAll<ISessionStore>();
        builder.Services.AddSingleton(sp => new MongoSessionStore(sp.GetRequiredService<IMongoClient>().GetDatabase(snapshot.DatabaseName), snapshot));
        builder.Services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<MongoSessionStore>());
        return builder;
    }
}
