using System;
using System.Threading;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Stores.LiteDb.Internal;
using M = SessionCore.Stores.LiteDb.Internal.LiteDbMapper;

namespace SessionCore.Stores.LiteDb;

/// <summary>The single-use primitive: one small collection of (key, expiry) documents.</summary>
public sealed partial class LiteDbSessionStore
{
    private const string SingleUseName = "single_use";
    private const string SingleUseExpiresAt = "exp";

    // Every this many recorded uses, expired entries are deleted in the same transaction, so the collection
    // stays bounded even when no purge timer runs.
    private const int SingleUsePurgeEvery = 1024;

    private ILiteCollection<BsonDocument>? _singleUse;
    private int _singleUseWrites;

    /// <inheritdoc/>
    /// <remarks>
    /// One read and at most one upsert of a document keyed by the key's hex form, under the store's lock and in one
    /// transaction. Expired entries are deleted by <see cref="PurgeExpiredAsync"/> (not counted in its result) and
    /// every 1024 recorded uses.
    /// </remarks>
    public ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException(Error.SingleUseKeyEmpty, nameof(key));
        }

        if (expiresAt <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), Error.SingleUseExpiryNotAfterNow);
        }

        ILiteCollection<BsonDocument> entries = SingleUseCollection();
        return Write(cancellationToken, () =>
        {
            string id = SingleUseId(key);
            if (entries.FindById(id) is { } existing)
            {
                BsonValue liveUntil = existing[SingleUseExpiresAt];
                if (!liveUntil.IsInt64)
                {
                    throw new SessionStoreException(Error.CorruptRecord);
                }

                if (liveUntil.AsInt64 > now.UtcTicks)
                {
                    return false;
                }
            }

            if (++_singleUseWrites % SingleUsePurgeEvery == 0)
            {
                PurgeSingleUseLocked(now);
            }

            entries.Upsert(new BsonDocument { [M.Id] = id, [SingleUseExpiresAt] = expiresAt.UtcTicks });
            return true;
        });
    }

    // Upper-case hex: one spelling per key under any collation the file was created with.
    private static string SingleUseId(SingleUseKey key)
    {
        Span<byte> bytes = stackalloc byte[SingleUseKey.Size];
        key.CopyTo(bytes);
        return Convert.ToHexString(bytes);
    }

    // Created on first use, outside any transaction (LiteDB builds indexes in its own), so files written by
    // earlier versions gain the collection only when it is needed.
    private ILiteCollection<BsonDocument> SingleUseCollection()
    {
        if (Volatile.Read(ref _singleUse) is { } existing)
        {
            return existing;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_singleUse is null)
            {
                try
                {
                    ILiteCollection<BsonDocument> collection = _db.GetCollection(SingleUseName, BsonAutoId.ObjectId);
                    collection.EnsureIndex(SingleUseExpiresAt, "$." + SingleUseExpiresAt, false);
                    Volatile.Write(ref _singleUse, collection);
                }
                catch (Exception ex) when (IsDriverFailure(ex))
                {
                    throw new SessionStoreException(Error.StoreFailed, ex);
                }
            }

            return _singleUse!;
        }
    }

    // Runs under _gate inside a transaction. The collection may not exist yet (a purge before any use), in
    // which case LiteDB deletes nothing.
    private void PurgeSingleUseLocked(DateTimeOffset now) =>
        _db.GetCollection(SingleUseName, BsonAutoId.ObjectId).DeleteMany(Query.LTE(SingleUseExpiresAt, new BsonValue(now.UtcTicks)));
}
