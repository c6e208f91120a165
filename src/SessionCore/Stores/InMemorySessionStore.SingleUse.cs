using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Internal;

namespace SessionCore.Stores;

public sealed partial class InMemorySessionStore
{
    /// <summary>The default of <see cref="MaxSingleUseEntries"/>.</summary>
    public const int DefaultMaxSingleUseEntries = 100_000;

    // The single-use entries have their own lock: the replay check of every DPoP request should not queue
    // behind session writes. The heap orders entries by expiry, so each call first drops what has expired:
    // every entry is pushed once and popped once, an amortised O(log n) per use.
    private readonly Lock _singleUseGate = new();
    private readonly Dictionary<SingleUseKey, long> _singleUse = [];
    private readonly PriorityQueue<SingleUseKey, long> _singleUseExpiries = new();
    private readonly int _maxSingleUseEntries = DefaultMaxSingleUseEntries;

    /// <summary>Gets the most live single-use entries held; at the cap, <see cref="TryUseOnceAsync"/> throws until entries expire.</summary>
    /// <value><see cref="DefaultMaxSingleUseEntries"/> (about 10 MB); between 1 and 10 000 000.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of bounds.</exception>
    /// <remarks>
    /// Security: the cap bounds memory against a flood of valid proofs under fresh keys (anyone can make a key). At
    /// the cap the store fails closed: new values are refused (as "store unavailable"), never accepted unrecorded.
    /// </remarks>
    public int MaxSingleUseEntries
    {
        get => _maxSingleUseEntries;
        init => _maxSingleUseEntries = Throw.IfOutOfRange(value, 1, 10_000_000);
    }

    /// <summary>Gets the number of live single-use entries held (expired ones are dropped on the next use).</summary>
    public int SingleUseCount
    {
        get
        {
            lock (_singleUseGate)
            {
                return _singleUse.Count;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="SessionStoreException">The store holds <see cref="MaxSingleUseEntries"/> live entries.</exception>
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

        cancellationToken.ThrowIfCancellationRequested();
        long nowTicks = now.UtcTicks;
        lock (_singleUseGate)
        {
            DropExpiredSingleUseLocked(nowTicks);
            if (_singleUse.TryGetValue(key, out long liveUntil) && liveUntil > nowTicks)
            {
                return ValueTask.FromResult(false);
            }

            if (_singleUse.Count >= _maxSingleUseEntries)
            {
                throw new SessionStoreException(Error.SingleUseCapacityReached);
            }

            _singleUse[key] = expiresAt.UtcTicks;
            _singleUseExpiries.Enqueue(key, expiresAt.UtcTicks);
            return ValueTask.FromResult(true);
        }
    }

    private void DropExpiredSingleUseLocked(long nowTicks)
    {
        while (_singleUseExpiries.TryPeek(out SingleUseKey key, out long expiry) && expiry <= nowTicks)
        {
            _singleUseExpiries.Dequeue();

            // Defensive: only the entry's current expiry removes it, should a key ever have a second heap item.
            if (_singleUse.TryGetValue(key, out long current) && current == expiry)
            {
                _singleUse.Remove(key);
            }
        }
    }
}
