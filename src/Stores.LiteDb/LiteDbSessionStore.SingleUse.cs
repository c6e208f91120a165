using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.LiteDb.Internal;

namespace SessionCore.Stores.LiteDb;

/// <summary>The single-use primitive: one small collection of (key, expiry) documents.</summary>
public sealed partial class LiteDbSessionStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// One lookup and at most one upsert of a document keyed by the key's hex form, under the store's lock and in one
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

        return Run((key, expiresAt, now), static (r, a) => r.TryUseOnce(a.key, a.expiresAt, a.now), cancellationToken);
    }
}
