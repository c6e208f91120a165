using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionCore.Stores.Mongo.Internal;

namespace SessionCore.Stores.Mongo;

/// <summary>The single-use primitive: one document per entry in its own collection, under a unique <c>_id</c> and a TTL index.</summary>
public sealed partial class MongoSessionStore
{
    private const string SingleUseExpiresAt = "exp";
    private const string SingleUseDeleteAt = "del";

    // The TTL monitor deletes an entry this long after its expiry, in the server's clock: long enough that no node
    // whose clock runs behind still needs it, short enough to keep the collection small.
    private static readonly TimeSpan SingleUseDeleteLag = TimeSpan.FromMinutes(5);

    private readonly IMongoCollection<BsonDocument> _singleUse;

    /// <inheritdoc/>
    /// <remarks>
    /// One conditional upsert: match the key's document only if it has expired, set the new expiry; when the key's
    /// document is live the filter matches nothing, the upsert collides with it on the unique <c>_id</c>, and the
    /// duplicate-key error is the answer "seen". MongoDB applies a single-document write atomically, so of any
    /// number of concurrent uses exactly one inserts or updates. A TTL index deletes entries five minutes after
    /// their expiry.
    /// </remarks>
    public async ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException(Error.SingleUseKeyEmpty, nameof(key));
        }

        if (expiresAt <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), Error.SingleUseExpiryNotAfterNow);
        }

        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            UpdateResult result = await RunAsync(
                () => _singleUse.UpdateOneAsync(SingleUseFilter(key, now), SingleUseUpdate(expiresAt), new UpdateOptions { IsUpsert = true }, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return result.MatchedCount == 1 || result.UpsertedId is not null;
        }
        catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException))
        {
            return false;
        }
    }

    internal static IEnumerable<CreateIndexModel<BsonDocument>> SingleUseIndexes()
    {
        yield return new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(SingleUseDeleteAt),
            new CreateIndexOptions { Name = "single_use_ttl", ExpireAfter = TimeSpan.Zero });
    }

    /// <summary>The entry of <paramref name="key"/>, only while it is expired at <paramref name="now"/>.</summary>
    internal static FilterDefinition<BsonDocument> SingleUseFilter(SingleUseKey key, DateTimeOffset now)
    {
        FilterDefinitionBuilder<BsonDocument> f = Builders<BsonDocument>.Filter;
        return f.Eq("_id", key.ToString()) & f.Lte(SingleUseExpiresAt, now.UtcTicks);
    }

    internal static UpdateDefinition<BsonDocument> SingleUseUpdate(DateTimeOffset expiresAt)
    {
        UpdateDefinitionBuilder<BsonDocument> u = Builders<BsonDocument>.Update;
        DateTime deleteAt = expiresAt.UtcDateTime <= DateTime.MaxValue - SingleUseDeleteLag ? expiresAt.UtcDateTime + SingleUseDeleteLag : DateTime.MaxValue;
        return u.Set(SingleUseExpiresAt, expiresAt.UtcTicks).Set(SingleUseDeleteAt, new BsonDateTime(deleteAt));
    }

    private static IMongoCollection<BsonDocument> SingleUseCollection(IMongoDatabase database, MongoSessionStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SingleUseCollectionName))
        {
            throw new ArgumentException(Error.BadName, nameof(options));
        }

        // Majority writes: an entry acknowledged before a fail-over must still refuse the value after it.
        return database.GetCollection<BsonDocument>(options.SingleUseCollectionName)
            .WithWriteConcern(WriteConcern.WMajority).WithReadConcern(ReadConcern.Majority).WithReadPreference(ReadPreference.Primary);
    }
}
