using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionCore.Sessions;
using SessionCore.Stores.Mongo.Internal;
using SessionCore.Tokens;
using M = SessionCore.Stores.Mongo.Internal.MongoMapper;

namespace SessionCore.Stores.Mongo;

/// <summary>
/// A session store on MongoDB (standalone or replica set) that needs no multi-document transaction.
/// </summary>
/// <remarks>
/// <para>
/// Security (atomicity): all of a user's sessions and refresh families live in one document of the sessions
/// collection, keyed by a SHA-256 of the user id and carrying a version. Every primitive reads that document,
/// applies the reference semantics to it in memory, and writes it back with a filter on <c>_id</c> and the
/// version it read (plus, for a refresh redemption, the presented hash still being current). MongoDB applies a
/// single-document update atomically, so of two writers that read the same version only one matches; the other
/// re-reads and decides again. The concurrent-session limit, revoke-all, regenerate and the refresh
/// compare-and-swap are therefore each decided by one conditional write; no decision spans two documents.
/// The security epoch is one <c>$inc</c> with upsert in the second collection.
/// </para>
/// <para>
/// Expiry: a TTL index deletes a user document once everything in it is past its absolute expiry, and
/// <see cref="PurgeExpiredAsync"/> prunes expired records inside live documents. The manager checks expiry on
/// every read, so the TTL monitor's delay never extends a session.
/// </para>
/// <para>Driver failures surface as <see cref="SessionStoreException"/> with a message free of data.</para>
/// </remarks>
/// <threadsafety>Safe to share between threads and between processes on any number of machines.</threadsafety>
public sealed partial class MongoSessionStore : ISessionStore
{
    private const int MaxAttempts = 200;

    private static readonly TimeSpan WritePruneLag = TimeSpan.FromDays(1);

    private readonly IMongoCollection<BsonDocument> _sessions;
    private readonly IMongoCollection<BsonDocument> _users;
    private readonly bool _createIndexes;
    private Task? _indexes;

    /// <summary>Initializes a new instance of the <see cref="MongoSessionStore"/> class.</summary>
    /// <param name="database">The database holding the two collections.</param>
    /// <param name="options">Collection names and index creation, or <see langword="null"/> for the defaults; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A collection name is empty.</exception>
    public MongoSessionStore(IMongoDatabase database, MongoSessionStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= new MongoSessionStoreOptions();
        if (string.IsNullOrWhiteSpace(options.SessionsCollectionName) || string.IsNullOrWhiteSpace(options.UsersCollectionName))
        {
            throw new ArgumentException(Error.BadName, nameof(options));
        }

        // Majority writes and reads: a decision acknowledged by the primary survives a fail-over.
        _sessions = database.GetCollection<BsonDocument>(options.SessionsCollectionName)
            .WithWriteConcern(WriteConcern.WMajority).WithReadConcern(ReadConcern.Majority).WithReadPreference(ReadPreference.Primary);
        _users = database.GetCollection<BsonDocument>(options.UsersCollectionName)
            .WithWriteConcern(WriteConcern.WMajority).WithReadConcern(ReadConcern.Majority).WithReadPreference(ReadPreference.Primary);
        _createIndexes = options.CreateIndexesOnFirstUse;
        _singleUse = SingleUseCollection(database, options);
    }

    /// <summary>
    /// Creates the store's indexes if they do not exist: the TTL index, the purge index, and the multikey
    /// indexes that find a document by session id, refresh token hash and family id; and the TTL index of the
    /// single-use collection. Safe to call repeatedly.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the indexes exist.</returns>
    /// <exception cref="SessionStoreException">The database could not be reached or refused.</exception>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _sessions.Indexes.CreateManyAsync(SessionIndexes(), cancellationToken).ConfigureAwait(false);
            await _singleUse.Indexes.CreateManyAsync(SingleUseIndexes(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            throw new SessionStoreException(Error.StoreFailed, ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return UpdateAsync(
            ByUser(session.UserId),
            session.UserId,
            set =>
            {
                SessionCreateResult result = set!.Create(session, limit, now);
                return (result.Created, result);
            },
            cancellationToken,
            pruneAt: now);
    }

    /// <inheritdoc/>
    public async ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        if (id.IsEmpty)
        {
            return null;
        }

        UserSessions? set = await LoadAsync(BySession(id), cancellationToken).ConfigureAwait(false);
        return set?.FindSession(id);
    }

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default) =>
        id.IsEmpty
            ? ValueTask.FromResult(false)
            : UpdateAsync(BySession(id), null, set => Decide(set is not null && set.Touch(id, expectedVersion, lastSeenAt, idleExpiresAt)), cancellationToken, pruneAt: lastSeenAt);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="replacement"/> belongs to another user than the session it replaces.</exception>
    public ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (currentId.IsEmpty)
        {
            return ValueTask.FromResult(SessionRegenerateStatus.NotFound);
        }

        return UpdateAsync(
            BySession(currentId),
            null,
            set =>
            {
                if (set is null)
                {
                    return (false, SessionRegenerateStatus.NotFound);
                }

                if (!string.Equals(set.UserId, replacement.UserId, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(Error.ReplacementOtherUser);
                }

                SessionRegenerateStatus status = set.Regenerate(currentId, expectedVersion, replacement, now);
                return (status == SessionRegenerateStatus.Regenerated, status);
            },
            cancellationToken,
            pruneAt: now);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        id.IsEmpty
            ? ValueTask.FromResult(false)
            : UpdateAsync(BySession(id), null, set => Decide(set is not null && set.Revoke(id, reason, now)), cancellationToken, pruneAt: now);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return UpdateAsync<IReadOnlyList<SessionId>>(
            ByUser(userId),
            null,
            set =>
            {
                if (set is null || !string.Equals(set.UserId, userId, StringComparison.Ordinal))
                {
                    return (false, Array.Empty<SessionId>());
                }

                List<SessionId> revoked = set.RevokeAll(except, reason, now);
                return (revoked.Count > 0, revoked);
            },
            cancellationToken,
            pruneAt: now);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        UserSessions? set = await LoadAsync(ByUser(userId), cancellationToken).ConfigureAwait(false);
        return set is null || !string.Equals(set.UserId, userId, StringComparison.Ordinal) ? [] : set.Live(now);
    }

    /// <inheritdoc/>
    public ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(family);
        return family.SessionId.IsEmpty
            ? ValueTask.FromResult(false)
            : UpdateAsync(BySession(family.SessionId), null, set => Decide(set is not null && set.CreateFamily(family, now)), cancellationToken, pruneAt: now);
    }

    /// <inheritdoc/>
    public async ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        UserSessions? set = await LoadAsync(ByToken(tokenHash), cancellationToken).ConfigureAwait(false);
        return set?.FindFamilyByToken(tokenHash);
    }

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        return UpdateAsync(
            ByToken(redemption.PresentedTokenHash),
            null,
            set =>
            {
                if (set is null)
                {
                    return (false, RefreshRedeemResult.NotFound);
                }

                RefreshRedeemResult result = set.Redeem(redemption);
                return (result.Status == RefreshRedeemStatus.Rotated, result);
            },
            cancellationToken,
            redemption.PresentedTokenHash,
            redemption.Now);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        return UpdateAsync(ByFamily(familyId), null, set => Decide(set is not null && set.RevokeFamily(familyId, reason, now)), cancellationToken, pruneAt: now);
    }

    /// <inheritdoc/>
    public async ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        BsonDocument? doc = await RunAsync(
            () => _users.Find(UserFilter(userId)).FirstOrDefaultAsync(cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return doc is null ? new UserSecurityState(userId, 0, []) : M.ToUserState(doc);
    }

    /// <inheritdoc/>
    public async ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        FindOneAndUpdateOptions<BsonDocument> options = new() { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                BsonDocument doc = await RunAsync(
                    () => _users.FindOneAndUpdateAsync(UserFilter(userId), EpochIncrement(userId), options, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return doc[M.SecurityEpoch].ToInt64();
            }
            catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException) && attempt < 3)
            {
                // Two first-ever upserts raced; the other inserted the document, so the retry increments it.
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            BsonDocument? doc = await RunAsync(() => _users.Find(UserFilter(userId)).FirstOrDefaultAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            long version = doc?.GetValue(M.Version, 0L).ToInt64() ?? 0;
            UserSecurityState current = doc is null ? new UserSecurityState(userId, 0, []) : M.ToUserState(doc);
            IReadOnlyList<KnownDevice> devices = current.WithDevice(device, maxDevices, out bool isNew).KnownDevices;
            BsonArray array = [];
            foreach (KnownDevice d in devices)
            {
                array.Add(M.ToDocument(d));
            }

            if (await TryWriteDevicesAsync(userId, version, array, cancellationToken).ConfigureAwait(false))
            {
                return isNew;
            }

            await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        throw new SessionStoreException(Error.Contention);
    }

    /// <inheritdoc/>
    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        List<BsonDocument> docs = await RunAsync(
            () => _sessions.Find(PurgeFilter(now)).Project(Builders<BsonDocument>.Projection.Include(M.Id)).ToListAsync(cancellationToken),
            cancellationToken).ConfigureAwait(false);
        List<BsonValue> keys = docs.ConvertAll(d => d[M.Id]);
        int removed = 0;
        foreach (BsonValue key in keys)
        {
            removed += await UpdateAsync(
                Builders<BsonDocument>.Filter.Eq(M.Id, key),
                null,
                set =>
                {
                    int count = set?.Purge(now) ?? 0;
                    return (count > 0, count);
                },
                cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    internal static IEnumerable<CreateIndexModel<BsonDocument>> SessionIndexes()
    {
        IndexKeysDefinitionBuilder<BsonDocument> keys = Builders<BsonDocument>.IndexKeys;
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.Sessions + "." + M.Id), new CreateIndexOptions { Name = "session_id" });
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.Families + "." + M.TokenHashes), new CreateIndexOptions { Name = "refresh_token_hash" });
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.Families + "." + M.Id), new CreateIndexOptions { Name = "refresh_family_id" });
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.NextPurge), new CreateIndexOptions { Name = "next_purge" });
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.ExpiresAt), new CreateIndexOptions { Name = "ttl", ExpireAfter = TimeSpan.Zero });
    }

    internal static FilterDefinition<BsonDocument> ByUser(string userId) => Builders<BsonDocument>.Filter.Eq(M.Id, M.UserKeyOf(userId));

    internal static FilterDefinition<BsonDocument> BySession(SessionId id) => Builders<BsonDocument>.Filter.Eq(M.Sessions + "." + M.Id, id.ToString());

    internal static FilterDefinition<BsonDocument> ByToken(string tokenHash) => Builders<BsonDocument>.Filter.Eq(M.Families + "." + M.TokenHashes, tokenHash);

    internal static FilterDefinition<BsonDocument> ByFamily(string familyId) => Builders<BsonDocument>.Filter.Eq(M.Families + "." + M.Id, familyId);

    internal static FilterDefinition<BsonDocument> PurgeFilter(DateTimeOffset now) => Builders<BsonDocument>.Filter.Lte(M.NextPurge, now.UtcTicks);

    /// <summary>The compare-and-swap filter: the document as read, and for a redemption the presented hash still current.</summary>
    internal static FilterDefinition<BsonDocument> SwapFilter(BsonValue key, long version, string? currentTokenHash)
    {
        FilterDefinitionBuilder<BsonDocument> f = Builders<BsonDocument>.Filter;
        FilterDefinition<BsonDocument> filter = f.Eq(M.Id, key) & f.Eq(M.Version, version);
        return currentTokenHash is null
            ? filter
            : filter & f.ElemMatch(M.Families, f.Eq(M.CurrentTokenHash, currentTokenHash) & f.Eq(M.RevokedAt, BsonNull.Value));
    }

    internal static FilterDefinition<BsonDocument> UserFilter(string userId) => Builders<BsonDocument>.Filter.Eq(M.Id, M.UserKeyOf(userId));

    internal static UpdateDefinition<BsonDocument> EpochIncrement(string userId)
    {
        UpdateDefinitionBuilder<BsonDocument> u = Builders<BsonDocument>.Update;
        return u.Inc(M.SecurityEpoch, 1L).SetOnInsert(M.UserId, userId).SetOnInsert(M.KnownDevices, new BsonArray()).SetOnInsert(M.Version, 0L);
    }

    internal static UpdateDefinition<BsonDocument> DevicesUpdate(BsonArray devices)
    {
        UpdateDefinitionBuilder<BsonDocument> u = Builders<BsonDocument>.Update;
        return u.Set(M.KnownDevices, devices).Inc(M.Version, 1L);
    }

    private static (bool Write, bool Result) Decide(bool changed) => (changed, changed);

    // The driver's failures become SessionStoreException; our own InvalidOperationException (a duplicate
    // identifier: a caller bug) and cancellation pass through unchanged.
    private static bool IsDriverFailure(Exception ex) =>
        ex is not OperationCanceledException && ex is not SessionStoreException && ex.GetType() != typeof(InvalidOperationException);

    private static bool IsDuplicateKey(Exception? ex) =>
        ex is MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey }
        || ex is MongoCommandException { Code: 11000 };

    private static async ValueTask BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        // Losers of a compare-and-swap retry at once, then yield progressively; no randomness is needed
        // because every round has a winner.
        if (attempt < 8)
        {
            await Task.Yield();
        }
        else
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(attempt, 50)), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            throw new SessionStoreException(Error.StoreFailed, ex);
        }
    }

    private async ValueTask EnsureIndexesOnceAsync(CancellationToken cancellationToken)
    {
        if (!_createIndexes)
        {
            return;
        }

        Task? indexes = Volatile.Read(ref _indexes);
        if (indexes is null || indexes.IsFaulted || indexes.IsCanceled)
        {
            Task created = EnsureIndexesAsync(CancellationToken.None);
            indexes = Interlocked.CompareExchange(ref _indexes, created, indexes) == indexes ? created : Volatile.Read(ref _indexes)!;
        }

        await indexes.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<UserSessions?> LoadAsync(FilterDefinition<BsonDocument> locate, CancellationToken cancellationToken)
    {
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        BsonDocument? doc = await RunAsync(() => _sessions.Find(locate).FirstOrDefaultAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return doc is null ? null : M.ToUserSessions(doc);
    }

    /// <summary>
    /// The one write path for sessions and families: read the document <paramref name="locate"/> names, let
    /// <paramref name="decide"/> change a fresh copy, and swap it in only if the version is still the one read.
    /// </summary>
    private async ValueTask<T> UpdateAsync<T>(
        FilterDefinition<BsonDocument> locate,
        string? newUserId,
        Func<UserSessions?, (bool Write, T Result)> decide,
        CancellationToken cancellationToken,
        string? currentTokenHash = null,
        DateTimeOffset? pruneAt = null)
    {
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            BsonDocument? doc = await RunAsync(() => _sessions.Find(locate).FirstOrDefaultAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            UserSessions? set = doc is not null ? M.ToUserSessions(doc) : newUserId is not null ? UserSessions.New(newUserId) : null;
            if (doc is not null && newUserId is not null && !string.Equals(set!.UserId, newUserId, StringComparison.Ordinal))
            {
                throw new SessionStoreException(Error.CorruptRecord);
            }

            (bool write, T result) = decide(set);
            if (!write)
            {
                return result;
            }

            // Every write also drops what expired more than a day ago, so the document of a user who keeps
            // signing in stays bounded (the TTL index only deletes a document once nothing in it is live);
            // the day leaves recent expiries, and their counts, to PurgeExpiredAsync.
            if (pruneAt is { } now && now.UtcTicks - WritePruneLag.Ticks > DateTimeOffset.MinValue.UtcTicks)
            {
                set!.Purge(now - WritePruneLag);
            }

            if (await TrySwapAsync(set!, doc, currentTokenHash, cancellationToken).ConfigureAwait(false))
            {
                return result;
            }

            await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        throw new SessionStoreException(Error.Contention);
    }

    private async ValueTask<bool> TrySwapAsync(UserSessions set, BsonDocument? read, string? currentTokenHash, CancellationToken cancellationToken)
    {
        if (read is null)
        {
            try
            {
                await RunAsync(
                    async () =>
                    {
                        await _sessions.InsertOneAsync(M.ToDocument(set), cancellationToken: cancellationToken).ConfigureAwait(false);
                        return true;
                    },
                    cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException))
            {
                return false;
            }
        }

        FilterDefinition<BsonDocument> swap = SwapFilter(read[M.Id], set.Version, currentTokenHash);
        if (set.IsEmpty)
        {
            DeleteResult deleted = await RunAsync(() => _sessions.DeleteOneAsync(swap, cancellationToken), cancellationToken).ConfigureAwait(false);
            return deleted.DeletedCount == 1;
        }

        ReplaceOneResult replaced = await RunAsync(() => _sessions.ReplaceOneAsync(swap, M.ToDocument(set), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return replaced.MatchedCount == 1;
    }

    private async ValueTask<bool> TryWriteDevicesAsync(string userId, long version, BsonArray devices, CancellationToken cancellationToken)
    {
        if (version == 0)
        {
            // No document, or one created by the epoch upsert at version 0: insert or swap from 0.
            try
            {
                UpdateResult result = await RunAsync(
                    () => _users.UpdateOneAsync(
                        UserFilter(userId) & (Builders<BsonDocument>.Filter.Eq(M.Version, 0L) | Builders<BsonDocument>.Filter.Exists(M.Version, false)),
                        DevicesUpdate(devices).SetOnInsert(M.UserId, userId).SetOnInsert(M.SecurityEpoch, 0L),
                        new UpdateOptions { IsUpsert = true },
                        cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return result.MatchedCount == 1 || result.UpsertedId is not null;
            }
            catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException))
            {
                return false;
            }
        }

        UpdateResult updated = await RunAsync(
            () => _users.UpdateOneAsync(UserFilter(userId) & Builders<BsonDocument>.Filter.Eq(M.Version, version), DevicesUpdate(devices), cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return updated.MatchedCount == 1;
    }
}
