using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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
/// A session store on MongoDB (standalone or replica set) that needs no multi-document transaction. It holds no rule:
/// each operation loads one user's document and lets <see cref="StoreDecisions"/> decide over it.
/// </summary>
/// <remarks>
/// <para>
/// Security (atomicity): everything the store keeps for a user (sessions, refresh families, security epoch, known
/// devices) lives in one document, keyed by a SHA-256 of the user id and carrying a version. Every operation finds that
/// document (by user, or through the multikey indexes by session id or refresh token hash), decides over it in memory
/// and writes it back with a filter on <c>_id</c> and the version it read. MongoDB applies a single-document write
/// atomically, so of two writers that read the same version only one matches; the other reads again and decides again.
/// The global revocation instant is a document of its own in the same collection, read in the same query (one round
/// trip) as the user's document.
/// </para>
/// <para>
/// Expiry: a TTL index deletes a document once nothing in it can be used (unless it carries a security epoch or known
/// devices), writes drop records that expired more than a day ago, and <see cref="PurgeExpiredAsync"/> drops the rest.
/// </para>
/// <para>
/// Failures: caller cancellation is thrown as <see cref="OperationCanceledException"/>, caller misuse as
/// <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> (an identifier or token hash that exists
/// already; nothing is written); every other failure (the driver, the server, a record of the wrong shape, endless
/// contention) as <see cref="SessionStoreException"/> wrapping it, with a message free of data.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads and between processes on any number of machines.</threadsafety>
public sealed partial class MongoSessionStore : ISessionStore
{
    private const int MaxAttempts = 200;
    private const string RevokedBeforeKey = "revoked_before";

    private static readonly TimeSpan WritePruneLag = TimeSpan.FromDays(1);

    private readonly IMongoCollection<BsonDocument> _sessions;
    private readonly bool _createIndexes;
    private Task? _indexes;

    /// <summary>Initializes a new instance of the <see cref="MongoSessionStore"/> class.</summary>
    /// <param name="database">The database holding the collection.</param>
    /// <param name="options">The collection name and index creation, or <see langword="null"/> for the defaults; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The collection name is empty.</exception>
    public MongoSessionStore(IMongoDatabase database, MongoSessionStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= new MongoSessionStoreOptions();
        if (string.IsNullOrWhiteSpace(options.SessionsCollectionName))
        {
            throw new ArgumentException(Error.BadName, nameof(options));
        }

        // Majority writes and reads: a decision acknowledged by the primary survives a fail-over.
        _sessions = database.GetCollection<BsonDocument>(options.SessionsCollectionName)
            .WithWriteConcern(WriteConcern.WMajority).WithReadConcern(ReadConcern.Majority).WithReadPreference(ReadPreference.Primary);
        _createIndexes = options.CreateIndexesOnFirstUse;
        _singleUse = SingleUseCollection(database, options);
    }

    /// <summary>
    /// Gets or sets a wrapper around the records each decision sees, for tests that inject a fault between the writes of
    /// one operation; reachable through InternalsVisibleTo only.
    /// </summary>
    internal Func<IStoreRecords, IStoreRecords>? RecordsInterceptor { get; set; }

    /// <summary>
    /// Creates the store's indexes if they do not exist: the unique multikey indexes that find a document by session id
    /// and by refresh token hash, the purge index and the TTL index, and the TTL index of the single-use collection.
    /// Safe to call repeatedly.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the indexes exist.</returns>
    /// <exception cref="SessionStoreException">The database could not be reached or refused.</exception>
    public Task EnsureIndexesAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await _sessions.Indexes.CreateManyAsync(SessionIndexes(), cancellationToken).ConfigureAwait(false);
            await _singleUse.Indexes.CreateManyAsync(SingleUseIndexes(), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(Arg(creation).Session.UserId), creation.Session.UserId, (_, r) => StoreDecisions.Create(r, creation), creation.Now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(id), null, (_, r) => r.FindSession(id), null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(id), null, (_, r) => StoreDecisions.Validate(r, id, rules, now, touch), now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(Arg(regeneration).CurrentId), null, (_, r) => StoreDecisions.Regenerate(r, regeneration), regeneration.Now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(id), null, (_, r) => StoreDecisions.Revoke(r, id, userId, reason, now), now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(Arg(revocation).UserId), revocation.UserId, (_, r) => StoreDecisions.RevokeUserSessions(r, revocation), revocation.Now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(userId), null, (_, r) => StoreDecisions.ListUserSessions(r, userId, rules, now), null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(id), null, (_, r) => StoreDecisions.BindKey(r, id, binding, rules, now), now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default) =>
        UpdateAsync(BySession(Arg(creation).SessionId), null, (_, r) => StoreDecisions.CreateRefreshFamily(r, creation), creation.Now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByToken(tokenHash), null, (_, r) => r.FindFamily(tokenHash), null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByToken(Arg(redemption).PresentedTokenHash), null, (_, r) => StoreDecisions.Redeem(r, redemption), redemption.Now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByToken(tokenHash), null, (_, r) => StoreDecisions.RevokeRefreshFamily(r, tokenHash, reason, now), now, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(userId), null, (_, r) => r.FindUser(userId), null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(userId), null, (_, r) => r.FindSecurityEpoch(userId), null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) =>
        UpdateAsync(ByUser(userId), userId, (_, r) => StoreDecisions.RememberDevice(r, userId, device, maxDevices), Arg(device).LastSeenAt, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        FindOneAndUpdateOptions<BsonDocument> options = new() { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                BsonDocument doc = await RunAsync(
                    () => _sessions.FindOneAndUpdateAsync(ById(RevokedBeforeKey), Builders<BsonDocument>.Update.Max(M.Instant, now.UtcTicks), options, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return Guard(() => M.FromTicks(doc[M.Instant]));
            }
            catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException) && attempt < 3)
            {
                // Two first-ever upserts raced; the other inserted the document, so the retry updates it.
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        List<BsonDocument> docs = await RunAsync(
            () => _sessions.Find(PurgeFilter(now)).Project(Builders<BsonDocument>.Projection.Include(M.Id)).ToListAsync(cancellationToken),
            cancellationToken).ConfigureAwait(false);
        int removed = 0;
        foreach (BsonDocument doc in docs)
        {
            removed += await UpdateAsync(ById(doc[M.Id]), null, (u, _) => u.Purge(now), null, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    internal static IEnumerable<CreateIndexModel<BsonDocument>> SessionIndexes()
    {
        // Unique across documents, so an identifier or token hash in another user's document is refused by the server;
        // partial, so documents without sessions or families do not collide on a missing key.
        IndexKeysDefinitionBuilder<BsonDocument> keys = Builders<BsonDocument>.IndexKeys;
        yield return Unique(M.Sessions + "." + M.Id, "session_id");
        yield return Unique(M.Families + "." + M.TokenHashes, "refresh_token_hash");
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.NextPurge), new CreateIndexOptions { Name = "next_purge" });
        yield return new CreateIndexModel<BsonDocument>(keys.Ascending(M.ExpiresAt), new CreateIndexOptions { Name = "ttl", ExpireAfter = TimeSpan.Zero });

        static CreateIndexModel<BsonDocument> Unique(string path, string name) => new(
            Builders<BsonDocument>.IndexKeys.Ascending(path),
            new CreateIndexOptions<BsonDocument> { Name = name, Unique = true, PartialFilterExpression = Builders<BsonDocument>.Filter.Exists(path) });
    }

    internal static FilterDefinition<BsonDocument> ById(BsonValue key) => Builders<BsonDocument>.Filter.Eq(M.Id, key);

    internal static FilterDefinition<BsonDocument> ByUser(string userId) => ById(M.UserKeyOf(userId ?? throw new ArgumentNullException(nameof(userId))));

    // The $exists condition is the partial indexes' filter: a query must state it for the planner to use them.
    internal static FilterDefinition<BsonDocument> BySession(SessionId id) => ByIndexed(M.Sessions + "." + M.Id, id.ToString());

    internal static FilterDefinition<BsonDocument> ByToken(RefreshTokenHash tokenHash) => ByIndexed(M.Families + "." + M.TokenHashes, tokenHash.ToString());

    internal static FilterDefinition<BsonDocument> PurgeFilter(DateTimeOffset now) => Builders<BsonDocument>.Filter.Lte(M.NextPurge, now.UtcTicks);

    /// <summary>The compare-and-swap filter: the document as it was read.</summary>
    internal static FilterDefinition<BsonDocument> SwapFilter(BsonValue key, long version) => ById(key) & Builders<BsonDocument>.Filter.Eq(M.Version, version);

    /// <summary>A user's document together with the global revocation instant: two index lookups, one round trip.</summary>
    internal static FilterDefinition<BsonDocument> WithRevokedBefore(FilterDefinition<BsonDocument> locate) => locate | ById(RevokedBeforeKey);

    private static FilterDefinition<BsonDocument> ByIndexed(string path, string value) =>
        new BsonDocument(path, new BsonDocument { { "$eq", value }, { "$exists", true } });

    // Caller misuse, cancellation, our own refusals and store exceptions pass through; everything else is a store failure.
    private static bool IsDriverFailure(Exception ex) =>
        ex is not (OperationCanceledException or ArgumentException or SessionStoreException) && !IsRefusal(ex);

    private static bool IsRefusal(Exception ex) => ex is InvalidOperationException { Message: Error.DuplicateKey };

    private static bool IsDuplicateKey(Exception? ex) =>
        ex is MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey } || ex is MongoCommandException { Code: 11000 };

    private static T Guard<T>(Func<T> map)
    {
        try
        {
            return map();
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            throw new SessionStoreException(Error.StoreFailed, ex);
        }
    }

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

    private static T Arg<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class => value ?? throw new ArgumentNullException(name);

    private static Task<bool> RunAsync(Func<Task> call, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

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

    private async Task EnsureIndexesOnceAsync(CancellationToken cancellationToken)
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

    // The one path for every operation: read the document `locate` names (with the global revocation instant), let
    // `decide` change a copy (through the records view the decisions see), and swap it in only if the version is still the one read. `owner` is the user whose
    // document is created when none is found (null: none is created).
    private async ValueTask<T> UpdateAsync<T>(FilterDefinition<BsonDocument> locate, string? owner, Func<UserRecords, IStoreRecords, T> decide, DateTimeOffset? pruneAt, CancellationToken cancellationToken)
    {
        await EnsureIndexesOnceAsync(cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            List<BsonDocument> docs = await RunAsync(() => _sessions.Find(WithRevokedBefore(locate)).ToListAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            BsonDocument? read = docs.Find(d => d[M.Id] != RevokedBeforeKey);
            (UserRecords records, T result) = Guard(() =>
            {
                DateTimeOffset? revokedBefore = docs.Find(d => d[M.Id] == RevokedBeforeKey) is { } global ? M.FromTicks(global[M.Instant]) : null;
                UserRecords records = read is not null ? M.ToRecords(read, revokedBefore) : UserRecords.New(owner, revokedBefore);
                return (records, decide(records, RecordsInterceptor?.Invoke(records) ?? records));
            });
            if (!records.Changed)
            {
                return result;
            }

            // Every write also drops what expired more than a day ago, so the document of a user who keeps signing in
            // stays bounded (the TTL index only deletes a document once nothing in it is live).
            if (pruneAt is { } now && now.UtcTicks - WritePruneLag.Ticks > DateTimeOffset.MinValue.UtcTicks)
            {
                records.Purge(now - WritePruneLag);
            }

            if (await TrySwapAsync(records, read, cancellationToken).ConfigureAwait(false))
            {
                return result;
            }

            await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        throw new SessionStoreException(Error.Contention);
    }

    private async ValueTask<bool> TrySwapAsync(UserRecords records, BsonDocument? read, CancellationToken cancellationToken)
    {
        try
        {
            if (read is null)
            {
                if (records.IsEmpty)
                {
                    return true;
                }

                await RunAsync(() => _sessions.InsertOneAsync(Guard(() => M.ToDocument(records)), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                return true;
            }

            FilterDefinition<BsonDocument> swap = SwapFilter(read[M.Id], records.Version);
            return records.IsEmpty
                ? (await RunAsync(() => _sessions.DeleteOneAsync(swap, cancellationToken), cancellationToken).ConfigureAwait(false)).DeletedCount == 1
                : (await RunAsync(() => _sessions.ReplaceOneAsync(swap, Guard(() => M.ToDocument(records)), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false)).MatchedCount == 1;
        }
        catch (SessionStoreException ex) when (IsDuplicateKey(ex.InnerException))
        {
            // A new document raced another writer creating the same user's (read again), or an identifier or token hash
            // exists in another user's document (refused, as a unique index refuses it).
            if (read is null && await RunAsync(() => _sessions.Find(ById(M.UserKeyOf(records.UserId!))).FirstOrDefaultAsync(cancellationToken), cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            throw new InvalidOperationException(Error.DuplicateKey);
        }
    }
}
