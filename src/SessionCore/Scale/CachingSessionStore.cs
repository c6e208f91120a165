using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Scale;

/// <summary>
/// A node-local cache in front of any <see cref="ISessionStore"/>: validations that open, and users' security epochs, are
/// answered from memory for at most the staleness bound T (<see cref="NodeCacheOptions.Staleness"/>) after the store read
/// them; every write goes to the store, is applied to the local cache at once and is announced to every other node through
/// an <see cref="ISessionInvalidationBus"/>.
/// </summary>
/// <remarks>
/// <para>
/// Security: a cached answer is never older than T, counted from before the store read it. Every invalidation the bus
/// delivers drops the affected entries at once, so while the bus is connected a revocation takes effect on every node
/// within the bus's propagation latency. When the bus reports its subscription lost, the cache is dropped and every
/// validation reads the store until the subscription is back; when the store cannot be reached either, validation fails
/// closed as it does without a cache. A read that raced with an invalidation is not cached.
/// </para>
/// <para>
/// Only a verdict of <see cref="SessionValidationStatus.Valid"/> is cached, and a cached session is judged again on every
/// hit (<see cref="Session.Classify"/> against the caller's rules and time). Anything else — expiry, a due sliding renewal
/// (so that renewals reach the store exactly as without a cache), another verdict — goes to the store. Entries are keyed
/// by session id (a hash of the token), never by token.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton. It does not own the inner store or the bus.</threadsafety>
public sealed class CachingSessionStore : ISessionStore, IDisposable
{
    private static readonly KeyValuePair<string, object?> s_missAbsent = new("reason", "absent");
    private static readonly KeyValuePair<string, object?> s_missStale = new("reason", "stale");
    private static readonly KeyValuePair<string, object?> s_missUntrusted = new("reason", "disconnected");
    private static readonly KeyValuePair<string, object?> s_missJudged = new("reason", "not_valid");
    private static readonly KeyValuePair<string, object?> s_missRenewal = new("reason", "renewal_due");

    private readonly ISessionStore _inner;
    private readonly ISessionInvalidationBus _bus;
    private readonly TimeProvider _time;
    private readonly TimeSpan _staleness;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<SessionId, SessionEntry> _sessions = new();
    private readonly ConcurrentDictionary<string, EpochEntry> _epochs = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private long _sequence;
    private long _generation;
    private int _connected;
    private int _sessionCount;
    private int _epochCount;
    private long _lastSweep;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="CachingSessionStore"/> class and subscribes it to the bus.</summary>
    /// <param name="inner">The store every write and every miss goes to.</param>
    /// <param name="bus">The invalidation channel shared by every node.</param>
    /// <param name="options">The options (validated and copied), or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for the staleness bound, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="bus"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of bounds.</exception>
    public CachingSessionStore(ISessionStore inner, ISessionInvalidationBus bus, NodeCacheOptions? options = null, TimeProvider? timeProvider = null)
    {
        _inner = Throw.IfNull(inner);
        _bus = Throw.IfNull(bus);
        options ??= new NodeCacheOptions();
        if (options.Staleness <= TimeSpan.Zero || options.Staleness > NodeCacheOptions.MaxStaleness)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.StalenessOutOfRange);
        }

        if (options.Capacity < 1 || options.Capacity > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.CapacityOutOfRange);
        }

        _staleness = options.Staleness;
        _capacity = options.Capacity;
        _time = timeProvider ?? TimeProvider.System;
        _lastSweep = _time.GetTimestamp();
        _subscription = bus.Subscribe(new Handler(this));
    }

    /// <summary>Gets the staleness bound T in force.</summary>
    public TimeSpan Staleness => _staleness;

    /// <summary>Gets a value indicating whether the bus is delivering, so that the cache may answer.</summary>
    public bool IsServingFromCache => Volatile.Read(ref _connected) == 1 && !_disposed;

    /// <summary>Gets how many sessions the cache holds now (for diagnostics).</summary>
    public int Count => Volatile.Read(ref _sessionCount);

    /// <summary>Ends the subscription and drops the cache; the inner store and the bus stay open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _subscription.Dispose();
        Interlocked.Exchange(ref _connected, 0);
        DropAll();
    }

    /// <inheritdoc/>
    public async ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default)
    {
        SessionCreateResult result = await _inner.CreateAsync(creation, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            if (result.PresentedRevoked is Session presented)
            {
                await ChangedAsync(SessionInvalidation.ForSession(presented.Id, creation.Now), cancellationToken).ConfigureAwait(false);
            }

            foreach (SessionId evicted in result.Evicted)
            {
                await ChangedAsync(SessionInvalidation.ForSession(evicted, creation.Now), cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) => _inner.FindAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(rules);
        if (TryHit(id, rules, now, touch, out Session? cached))
        {
            return new ValueTask<SessionCheck>(new SessionCheck(SessionValidationStatus.Valid, cached));
        }

        return ValidateFromStoreAsync(id, rules, now, touch, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default)
    {
        SessionRegenerateResult result = await _inner.RegenerateAsync(regeneration, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            await ChangedAsync(SessionInvalidation.ForSession(regeneration.CurrentId, regeneration.Now), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Session? revoked = await _inner.RevokeAsync(id, userId, reason, now, cancellationToken).ConfigureAwait(false);
        if (revoked is not null)
        {
            await ChangedAsync(SessionInvalidation.ForSession(id, now), cancellationToken).ConfigureAwait(false);
        }

        return revoked;
    }

    /// <inheritdoc/>
    public async ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default)
    {
        UserRevocationResult result = await _inner.RevokeUserSessionsAsync(revocation, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(SessionInvalidation.ForUser(revocation.UserId, result.SecurityEpoch, revocation.Now), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _inner.ListUserSessionsAsync(userId, rules, now, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        SessionBindResult result = await _inner.BindKeyAsync(id, binding, rules, now, cancellationToken).ConfigureAwait(false);
        if (result.Status == SessionBindStatus.Bound)
        {
            await ChangedAsync(SessionInvalidation.ForSession(id, now), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc/>
    public ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default) =>
        _inner.CreateRefreshFamilyAsync(creation, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        _inner.FindRefreshFamilyByTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        RefreshRedeemResult result = await _inner.RedeemRefreshTokenAsync(redemption, cancellationToken).ConfigureAwait(false);
        if (result.Status is RefreshRedeemStatus.Reused or RefreshRedeemStatus.FamilyRevoked && result.Family is RefreshFamily family)
        {
            await ChangedAsync(SessionInvalidation.ForSession(family.SessionId, redemption.Now), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        RefreshFamily? revoked = await _inner.RevokeRefreshFamilyAsync(tokenHash, reason, now, cancellationToken).ConfigureAwait(false);
        if (revoked is not null)
        {
            await ChangedAsync(SessionInvalidation.ForSession(revoked.SessionId, now), cancellationToken).ConfigureAwait(false);
        }

        return revoked;
    }

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) =>
        _inner.GetUserSecurityStateAsync(userId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(userId);
        if (IsServingFromCache && _epochs.TryGetValue(userId, out EpochEntry? entry))
        {
            if (IsFresh(entry.Generation, entry.ReadAt))
            {
                SessionCoreTelemetry.NodeCacheHits.Add(1);
                return new ValueTask<long>(entry.Epoch);
            }

            Forget(_epochs, userId, entry, ref _epochCount);
            Miss(s_missStale);
        }
        else
        {
            Miss(IsServingFromCache ? s_missAbsent : s_missUntrusted);
        }

        return EpochFromStoreAsync(userId, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) =>
        _inner.RememberDeviceAsync(userId, device, maxDevices, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        DateTimeOffset instant = await _inner.RevokeEverySessionAsync(now, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(SessionInvalidation.ForEverything(instant), cancellationToken).ConfigureAwait(false);
        return instant;
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => _inner.PurgeExpiredAsync(now, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Never cached: a single use is decided by the store, atomically across every node.</remarks>
    public ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _inner.TryUseOnceAsync(key, expiresAt, now, cancellationToken);

    private static void Miss(KeyValuePair<string, object?> reason)
    {
        if (SessionCoreTelemetry.NodeCacheMisses.Enabled)
        {
            SessionCoreTelemetry.NodeCacheMisses.Add(1, reason);
        }
    }

    private static void Forget<TKey, TEntry>(ConcurrentDictionary<TKey, TEntry> map, TKey key, TEntry entry, ref int count)
        where TKey : notnull
    {
        if (map.TryRemove(new KeyValuePair<TKey, TEntry>(key, entry)))
        {
            Interlocked.Decrement(ref count);
        }
    }

    private bool TryHit(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, out Session? session)
    {
        session = null;
        if (!IsServingFromCache)
        {
            Miss(s_missUntrusted);
            return false;
        }

        if (!_sessions.TryGetValue(id, out SessionEntry? entry))
        {
            Miss(s_missAbsent);
            return false;
        }

        if (!IsFresh(entry.Generation, entry.ReadAt))
        {
            Forget(_sessions, id, entry, ref _sessionCount);
            Miss(s_missStale);
            return false;
        }

        // Judged again: the cache only ever answers "valid", and only while the record itself still opens.
        Session cached = entry.Session;
        if (cached.Classify(rules, cached.SecurityEpoch, null, now) != SessionValidationStatus.Valid)
        {
            Miss(s_missJudged);
            return false;
        }

        // A due renewal is the store's to write, exactly when it would be without a cache.
        if (touch && now - cached.LastSeenAt >= rules.RenewalInterval)
        {
            Miss(s_missRenewal);
            return false;
        }

        SessionCoreTelemetry.NodeCacheHits.Add(1);
        session = cached;
        return true;
    }

    private bool IsFresh(long generation, long readAt) =>
        generation == Volatile.Read(ref _generation) && _time.GetElapsedTime(readAt) < _staleness;

    private async ValueTask<SessionCheck> ValidateFromStoreAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken)
    {
        long sequence = Volatile.Read(ref _sequence);
        long generation = Volatile.Read(ref _generation);
        long readAt = _time.GetTimestamp();
        SessionCheck check = await _inner.ValidateAsync(id, rules, now, touch, cancellationToken).ConfigureAwait(false);
        if (check.IsValid)
        {
            Remember(id, new SessionEntry(check.Session!, SessionInvalidation.HashUserId(check.Session!.UserId), generation, readAt), sequence);
        }
        else if (_sessions.TryRemove(id, out _))
        {
            Interlocked.Decrement(ref _sessionCount);
        }

        return check;
    }

    private async ValueTask<long> EpochFromStoreAsync(string userId, CancellationToken cancellationToken)
    {
        long sequence = Volatile.Read(ref _sequence);
        long generation = Volatile.Read(ref _generation);
        long readAt = _time.GetTimestamp();
        long epoch = await _inner.GetSecurityEpochAsync(userId, cancellationToken).ConfigureAwait(false);
        if (IsServingFromCache && Volatile.Read(ref _sequence) == sequence && HasRoom(ref _epochCount))
        {
            EpochEntry entry = new(epoch, SessionInvalidation.HashUserId(userId), generation, readAt);
            Store(_epochs, userId, entry, ref _epochCount);
            if (Volatile.Read(ref _sequence) != sequence)
            {
                Forget(_epochs, userId, entry, ref _epochCount);
            }
        }

        return epoch;
    }

    private void Remember(SessionId id, SessionEntry entry, long sequence)
    {
        // Not cached when an invalidation or a connection change happened during the read: the read may predate it.
        if (!IsServingFromCache || Volatile.Read(ref _sequence) != sequence || !HasRoom(ref _sessionCount))
        {
            return;
        }

        Store(_sessions, id, entry, ref _sessionCount);

        // An invalidation applied between the check above and the insert bumped the sequence first; undo the insert.
        if (Volatile.Read(ref _sequence) != sequence)
        {
            Forget(_sessions, id, entry, ref _sessionCount);
        }
    }

    private static void Store<TKey, TEntry>(ConcurrentDictionary<TKey, TEntry> map, TKey key, TEntry entry, ref int count)
        where TKey : notnull
    {
        if (map.TryAdd(key, entry))
        {
            Interlocked.Increment(ref count);
        }
        else
        {
            map[key] = entry;
        }
    }

    private bool HasRoom(ref int count)
    {
        if (Volatile.Read(ref count) < _capacity)
        {
            return true;
        }

        // Full: sweep what is past the bound, at most once per half bound, and cache nothing new while nothing is.
        long last = Volatile.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last) >= _staleness / 2 && Interlocked.CompareExchange(ref _lastSweep, _time.GetTimestamp(), last) == last)
        {
            foreach (KeyValuePair<SessionId, SessionEntry> pair in _sessions)
            {
                if (!IsFresh(pair.Value.Generation, pair.Value.ReadAt))
                {
                    Forget(_sessions, pair.Key, pair.Value, ref _sessionCount);
                }
            }

            foreach (KeyValuePair<string, EpochEntry> pair in _epochs)
            {
                if (!IsFresh(pair.Value.Generation, pair.Value.ReadAt))
                {
                    Forget(_epochs, pair.Key, pair.Value, ref _epochCount);
                }
            }
        }

        return Volatile.Read(ref count) < _capacity;
    }

    /// <summary>Applies a change this node made at once, and announces it unless the store announced it in the same step.</summary>
    private async ValueTask ChangedAsync(SessionInvalidation invalidation, CancellationToken cancellationToken)
    {
        Apply(invalidation, local: true);
        SessionCoreTelemetry.InvalidationsPublished.Add(1);
        if (!_bus.PublishesStoreChanges)
        {
            // The change is made; a bus that cannot take the announcement leaves the other nodes to their staleness bound.
            try
            {
                await _bus.PublishAsync(invalidation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SessionCoreTelemetry.StoreFailures.Add(1);
            }
        }
    }

    private void Apply(SessionInvalidation invalidation, bool local)
    {
        // The sequence moves before anything is dropped, so a concurrent read cannot re-insert what this drops.
        Interlocked.Increment(ref _sequence);
        switch (invalidation.Kind)
        {
            case SessionInvalidationKind.Session:
                if (_sessions.TryRemove(invalidation.SessionId, out _))
                {
                    Interlocked.Decrement(ref _sessionCount);
                }

                break;
            case SessionInvalidationKind.User:
                string hash = invalidation.UserHash!;
                foreach (KeyValuePair<SessionId, SessionEntry> pair in _sessions)
                {
                    if (string.Equals(pair.Value.UserHash, hash, StringComparison.Ordinal))
                    {
                        Forget(_sessions, pair.Key, pair.Value, ref _sessionCount);
                    }
                }

                foreach (KeyValuePair<string, EpochEntry> pair in _epochs)
                {
                    if (string.Equals(pair.Value.UserHash, hash, StringComparison.Ordinal))
                    {
                        Forget(_epochs, pair.Key, pair.Value, ref _epochCount);
                    }
                }

                break;
            default:
                DropAll();
                break;
        }

        if (!local)
        {
            if (SessionCoreTelemetry.InvalidationsApplied.Enabled)
            {
                SessionCoreTelemetry.InvalidationsApplied.Add(1, new KeyValuePair<string, object?>("kind", invalidation.Kind.ToString()));
            }

            if (SessionCoreTelemetry.InvalidationPropagation.Enabled)
            {
                double milliseconds = (_time.GetUtcNow() - invalidation.ChangedAt).TotalMilliseconds;
                SessionCoreTelemetry.InvalidationPropagation.Record(milliseconds < 0 ? 0 : milliseconds);
            }
        }
    }

    private void DropAll()
    {
        Interlocked.Increment(ref _sequence);
        Interlocked.Increment(ref _generation);
        foreach (KeyValuePair<SessionId, SessionEntry> pair in _sessions)
        {
            Forget(_sessions, pair.Key, pair.Value, ref _sessionCount);
        }

        foreach (KeyValuePair<string, EpochEntry> pair in _epochs)
        {
            Forget(_epochs, pair.Key, pair.Value, ref _epochCount);
        }
    }

    private void OnConnectionChanged(bool connected)
    {
        if (connected)
        {
            Interlocked.Increment(ref _sequence);
            Interlocked.Exchange(ref _connected, _disposed ? 0 : 1);
            return;
        }

        // Stop trusting first, then drop: from here on every read goes to the store.
        if (Interlocked.Exchange(ref _connected, 0) == 1)
        {
            SessionCoreTelemetry.InvalidationBusLost.Add(1);
        }

        DropAll();
    }

    private sealed record SessionEntry(Session Session, string UserHash, long Generation, long ReadAt);

    private sealed record EpochEntry(long Epoch, string UserHash, long Generation, long ReadAt);

    private sealed class Handler(CachingSessionStore cache) : ISessionInvalidationHandler
    {
        public void OnInvalidation(SessionInvalidation invalidation)
        {
            Throw.IfNull(invalidation);
            cache.Apply(invalidation, local: false);
        }

        public void OnConnectionChanged(bool connected) => cache.OnConnectionChanged(connected);
    }
}
