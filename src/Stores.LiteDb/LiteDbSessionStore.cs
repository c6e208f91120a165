using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;
using M = SessionCore.Stores.LiteDb.Internal.LiteDbMapper;

namespace SessionCore.Stores.LiteDb;

/// <summary>
/// A session store in one LiteDB file: collections for sessions, refresh families, refresh-token hashes and
/// per-user security state, indexed by a hash of the user id, by expiry and by token hash.
/// </summary>
/// <remarks>
/// <para>
/// Security: every primitive that reads and then writes runs under one in-process lock and inside one LiteDB
/// transaction, so it is atomic for every thread of the process and all-or-nothing on disk (LiteDB's
/// write-ahead log). The file must belong to one process: the store opens it in direct mode and refuses shared
/// mode, because an in-process lock cannot order writers in another process. See docs/stores/litedb.md.
/// </para>
/// <para>
/// Driver failures surface as <see cref="SessionStoreException"/> with a message free of data; the session
/// manager turns them into a fail-closed "store unavailable" outcome.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; create one per file and process, and dispose it at shutdown.</threadsafety>
public sealed partial class LiteDbSessionStore : ISessionStore, IDisposable, IAsyncDisposable
{
    private const string SessionsName = "sessions";
    private const string FamiliesName = "refresh_families";
    private const string TokensName = "refresh_tokens";
    private const string UsersName = "users";
    private const int InvariantLcid = 127;

    private readonly Lock _gate = new();
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _sessions;
    private readonly ILiteCollection<BsonDocument> _families;
    private readonly ILiteCollection<BsonDocument> _tokens;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly TimeProvider _time;
    private readonly ITimer? _purgeTimer;
    private readonly FileStream? _lockFile;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LiteDbSessionStore"/> class and opens (or creates) the file.</summary>
    /// <param name="options">Where the file is and how often to purge; copied, so later changes do nothing.</param>
    /// <param name="timeProvider">The time source for the periodic purge, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Not exactly one of the file path and the connection string is set, the connection string asks for shared or read-only mode, or the purge interval is out of range.</exception>
    /// <exception cref="SessionStoreException">The file cannot be opened.</exception>
    public LiteDbSessionStore(LiteDbSessionStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        (ConnectionString connection, TimeSpan? purgeInterval) = Validate(options);
        _time = timeProvider ?? TimeProvider.System;
        _lockFile = AcquireFileLock(connection.Filename);
        try
        {
            // Identifiers and hashes are case-sensitive, but a file keeps the collation it was created with
            // (LiteDB's default ignores case) and refuses to open under another. A new file therefore gets an
            // ordinal one unless the caller chose; an existing file keeps its own.
            if (connection.Collation is null && (!File.Exists(connection.Filename) || new FileInfo(connection.Filename).Length == 0))
            {
                connection.Collation = new Collation(InvariantLcid, System.Globalization.CompareOptions.Ordinal);
            }

            _db = new LiteDatabase(connection);
            _sessions = _db.GetCollection(SessionsName, BsonAutoId.ObjectId);
            _families = _db.GetCollection(FamiliesName, BsonAutoId.ObjectId);
            _tokens = _db.GetCollection(TokensName, BsonAutoId.ObjectId);
            _users = _db.GetCollection(UsersName, BsonAutoId.ObjectId);
            _sessions.EnsureIndex(M.UserKey, "$." + M.UserKey, false);
            _sessions.EnsureIndex(M.IdleExpiresAt, "$." + M.IdleExpiresAt, false);
            _sessions.EnsureIndex(M.AbsoluteExpiresAt, "$." + M.AbsoluteExpiresAt, false);
            _families.EnsureIndex(M.SessionId, "$." + M.SessionId, false);
            _families.EnsureIndex(M.UserKey, "$." + M.UserKey, false);
            _families.EnsureIndex(M.AbsoluteExpiresAt, "$." + M.AbsoluteExpiresAt, false);
            _tokens.EnsureIndex(M.FamilyId, "$." + M.FamilyId, false);
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            _db?.Dispose();
            _lockFile?.Dispose();
            throw new SessionStoreException(Error.OpenFailed, ex);
        }

        if (purgeInterval is { } period)
        {
            _purgeTimer = _time.CreateTimer(static state => ((LiteDbSessionStore)state!).PurgeOnTimer(), this, period, period);
        }
    }

    /// <summary>Gets the database, for tests that need to reach under the store.</summary>
    internal LiteDatabase Database => _db;

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Write(cancellationToken, () =>
        {
            if (_sessions.FindById(session.Id.ToString()) is not null)
            {
                throw new InvalidOperationException(Error.SessionExists);
            }

            List<SessionId>? evicted = null;
            if (limit.IsLimited)
            {
                if (!limit.TrySelectEvictions(LiveSessionsOf(session.UserId, now), out IReadOnlyList<Session> victims))
                {
                    return SessionCreateResult.LimitReached();
                }

                evicted = [];
                foreach (Session victim in victims)
                {
                    RevokeLocked(victim, RevocationReason.Evicted, now);
                    evicted.Add(victim.Id);
                }
            }

            _sessions.Insert(M.ToDocument(session));
            return SessionCreateResult.Success(evicted);
        });
    }

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        Read(cancellationToken, () => FindSession(id));

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default) =>
        Write(cancellationToken, () =>
        {
            Session? session = FindSession(id);
            if (session is null || session.IsRevoked || session.Version != expectedVersion)
            {
                return false;
            }

            return _sessions.Update(M.ToDocument(session with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt, Version = checked(session.Version + 1) }));
        });

    /// <inheritdoc/>
    public ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return Write(cancellationToken, () =>
        {
            Session? current = FindSession(currentId);
            if (current is null)
            {
                return SessionRegenerateStatus.NotFound;
            }

            SessionRegenerateStatus status = current.ClassifyRegeneration(expectedVersion, now);
            if (status != SessionRegenerateStatus.Regenerated)
            {
                return status;
            }

            if (_sessions.FindById(replacement.Id.ToString()) is not null)
            {
                throw new InvalidOperationException(Error.SessionExists);
            }

            RevokeLocked(current, RevocationReason.Regenerated, now);
            _sessions.Insert(M.ToDocument(replacement));
            return SessionRegenerateStatus.Regenerated;
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Write(cancellationToken, () => FindSession(id) is { } session && RevokeLocked(session, reason, now));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Write<IReadOnlyList<SessionId>>(cancellationToken, () =>
        {
            List<SessionId> revoked = [];
            foreach (Session session in SessionsOf(userId))
            {
                if (session.Id != except && RevokeLocked(session, reason, now))
                {
                    revoked.Add(session.Id);
                }
            }

            return revoked;
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Read<IReadOnlyList<Session>>(cancellationToken, () => LiveSessionsOf(userId, now));
    }

    /// <inheritdoc/>
    public ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(family);
        return Write(cancellationToken, () =>
        {
            Session? session = FindSession(family.SessionId);
            if (session is null || !session.IsLiveAt(now))
            {
                return false;
            }

            if (_families.FindById(family.FamilyId) is not null || _tokens.FindById(family.CurrentTokenHash) is not null)
            {
                throw new InvalidOperationException(Error.FamilyExists);
            }

            _families.Insert(M.ToDocument(family));
            _tokens.Insert(M.TokenDocument(family.CurrentTokenHash, family.FamilyId));
            return true;
        });
    }

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return Read(cancellationToken, () => FamilyOfToken(tokenHash));
    }

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        return Write(cancellationToken, () =>
        {
            RefreshFamily? family = FamilyOfToken(redemption.PresentedTokenHash);
            if (family is null)
            {
                return RefreshRedeemResult.NotFound;
            }

            RefreshRedeemStatus status = Classify(family, redemption);
            if (status != RefreshRedeemStatus.Rotated)
            {
                return new RefreshRedeemResult(status, family);
            }

            if (_tokens.FindById(redemption.SuccessorTokenHash) is not null)
            {
                throw new InvalidOperationException(Error.TokenExists);
            }

            RefreshFamily rotated = family.Rotate(redemption);
            _families.Update(M.ToDocument(rotated));
            _tokens.Insert(M.TokenDocument(redemption.SuccessorTokenHash, family.FamilyId));
            return new RefreshRedeemResult(RefreshRedeemStatus.Rotated, rotated);
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        return Write(cancellationToken, () => RevokeFamilyLocked(FindExact(_families, familyId), reason, now));
    }

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Read(cancellationToken, () => UserStateOf(userId));
    }

    /// <inheritdoc/>
    public ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Write(cancellationToken, () =>
        {
            UserSecurityState state = UserStateOf(userId);
            state = state with { SecurityEpoch = checked(state.SecurityEpoch + 1) };
            _users.Upsert(M.ToDocument(state));
            return state.SecurityEpoch;
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        return Write(cancellationToken, () =>
        {
            UserSecurityState state = UserStateOf(userId).WithDevice(device, maxDevices, out bool isNew);
            _users.Upsert(M.ToDocument(state));
            return isNew;
        });
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Write(cancellationToken, () => PurgeLocked(now));

    /// <summary>Stops the periodic purge and closes the file.</summary>
    public void Dispose()
    {
        _purgeTimer?.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _db.Dispose();
            _lockFile?.Dispose();
        }
    }

    /// <summary>Stops the periodic purge and closes the file.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal static (ConnectionString Connection, TimeSpan? PurgeInterval) Validate(LiteDbSessionStoreOptions options)
    {
        if (options.PurgeInterval is { } interval && (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.PurgeIntervalOutOfRange);
        }

        return (CreateConnectionString(options), options.PurgeInterval);
    }

    private static ConnectionString CreateConnectionString(LiteDbSessionStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.FilePath) == string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException(Error.NoLocation, nameof(options));
        }

        ConnectionString connection = options.FilePath is { Length: > 0 } path && !string.IsNullOrWhiteSpace(path)
            ? new ConnectionString { Filename = path }
            : new ConnectionString(options.ConnectionString);
        if (connection.Connection == ConnectionType.Shared)
        {
            throw new ArgumentException(Error.SharedModeUnsupported, nameof(options));
        }

        if (connection.ReadOnly)
        {
            throw new ArgumentException(Error.ReadOnlyUnsupported, nameof(options));
        }

        connection.Connection = ConnectionType.Direct;
        return connection;
    }

    // LiteDB's direct mode does not stop a second process from opening the same file on every platform
    // (on Linux both opens succeed), and two writers would corrupt it. An exclusive lock on a side file,
    // held for the store's lifetime, makes the second process fail at start-up instead.
    private static FileStream? AcquireFileLock(string filename)
    {
        if (string.IsNullOrEmpty(filename) || filename.StartsWith(':'))
        {
            return null;
        }

        try
        {
            return new FileStream(Path.GetFullPath(filename) + ".sessioncore-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new SessionStoreException(Error.FileInUse, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SessionStoreException(Error.OpenFailed, ex);
        }
    }

    // The driver's failures become SessionStoreException. Our own InvalidOperationException (a duplicate
    // identifier: a caller bug) and cancellation pass through unchanged.
    private static bool IsDriverFailure(Exception ex) =>
        ex is not OperationCanceledException && ex.GetType() != typeof(InvalidOperationException);

    private RefreshRedeemStatus Classify(RefreshFamily family, RefreshRedemption redemption) =>
        family.Classify(redemption, FindSession(family.SessionId));

    [SuppressMessage("Design", "CA1068", Justification = "The body comes last so that call sites read like a block.")]
    private ValueTask<T> Read<T>(CancellationToken cancellationToken, Func<T> body)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        try
        {
            return ValueTask.FromResult(body());
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            throw new SessionStoreException(Error.StoreFailed, ex);
        }
    }

    [SuppressMessage("Design", "CA1068", Justification = "The body comes last so that call sites read like a block.")]
    private ValueTask<T> Write<T>(CancellationToken cancellationToken, Func<T> body)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult(InTransaction(body));
        }
    }

    // Runs under _gate: LiteDB transactions belong to the calling thread, and the lock keeps the read and
    // the write of a primitive together, so no other thread of this process can interleave.
    private T InTransaction<T>(Func<T> body)
    {
        bool began = false;
        try
        {
            began = _db.BeginTrans();
            T result = body();
            _db.Commit();
            return result;
        }
        catch (Exception ex)
        {
            if (began)
            {
                TryRollback();
            }

            if (IsDriverFailure(ex))
            {
                throw new SessionStoreException(Error.StoreFailed, ex);
            }

            throw;
        }
    }

    private void TryRollback()
    {
        try
        {
            _db.Rollback();
        }
#pragma warning disable CA1031 // The original failure is what the caller must see; a failed rollback leaves nothing committed.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void PurgeOnTimer()
    {
        try
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    InTransaction(() => PurgeLocked(_time.GetUtcNow()));
                }
            }
        }
#pragma warning disable CA1031 // A failed background purge is retried on the next tick; expiry is still checked on every read.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private int PurgeLocked(DateTimeOffset now)
    {
        BsonValue ticks = M.Ticks(now);
        HashSet<string> doomed = new(StringComparer.Ordinal);
        foreach (BsonDocument doc in _sessions.Find(Query.LTE(M.AbsoluteExpiresAt, ticks)))
        {
            doomed.Add(doc[M.Id].AsString);
        }

        foreach (BsonDocument doc in _sessions.Find(Query.LTE(M.IdleExpiresAt, ticks)))
        {
            if (doc[M.RevokedAt].IsNull)
            {
                doomed.Add(doc[M.Id].AsString);
            }
        }

        int removed = 0;
        foreach (string id in doomed)
        {
            removed += _sessions.Delete(id) ? 1 : 0;
        }

        List<string> families = [.. _families.Find(Query.LTE(M.AbsoluteExpiresAt, ticks)).Select(doc => doc[M.Id].AsString)];
        foreach (string familyId in families)
        {
            foreach (BsonDocument token in _tokens.Find(Query.EQ(M.FamilyId, familyId)).ToList())
            {
                if (IsExactly(token[M.FamilyId], familyId))
                {
                    _tokens.Delete(token[M.Id]);
                }
            }
            removed += _families.Delete(familyId) ? 1 : 0;
        }

        PurgeSingleUseLocked(now);
        return removed;
    }

    // A file's string comparison is fixed when it is created, and LiteDB's default ignores case; files this
    // store creates compare ordinally, but one created elsewhere may not. Every lookup that acts on a record
    // therefore confirms the key byte for byte, so a key differing only in case never reaches another record.
    private static BsonDocument? FindExact(ILiteCollection<BsonDocument> collection, string id) =>
        collection.FindById(id) is { } doc && IsExactly(doc[M.Id], id) ? doc : null;

    private static bool IsExactly(BsonValue stored, string expected) =>
        stored.IsString && string.Equals(stored.AsString, expected, StringComparison.Ordinal);

    private Session? FindSession(SessionId id) =>
        id.IsEmpty || FindExact(_sessions, id.ToString()) is not { } doc ? null : M.ToSession(doc);

    private RefreshFamily? FamilyOfToken(string tokenHash)
    {
        BsonDocument? token = FindExact(_tokens, tokenHash);
        return token is null || !token[M.FamilyId].IsString || FindExact(_families, token[M.FamilyId].AsString) is not { } doc
            ? null
            : M.ToFamily(doc);
    }

    private IEnumerable<Session> SessionsOf(string userId)
    {
        // The index holds a hash of the user id; the stored id decides.
        foreach (BsonDocument doc in _sessions.Find(Query.EQ(M.UserKey, M.UserKeyOf(userId))).ToList())
        {
            Session session = M.ToSession(doc);
            if (string.Equals(session.UserId, userId, StringComparison.Ordinal))
            {
                yield return session;
            }
        }
    }

    private List<Session> LiveSessionsOf(string userId, DateTimeOffset now) => [.. SessionsOf(userId).Where(s => s.IsLiveAt(now))];

    private UserSecurityState UserStateOf(string userId)
    {
        BsonDocument? doc = _users.FindById(M.UserKeyOf(userId));
        UserSecurityState? state = doc is null ? null : M.ToUserState(doc);
        return state is not null && string.Equals(state.UserId, userId, StringComparison.Ordinal)
            ? state
            : new UserSecurityState(userId, 0, []);
    }

    private bool RevokeLocked(Session session, RevocationReason reason, DateTimeOffset now)
    {
        if (session.IsRevoked)
        {
            return false;
        }

        _sessions.Update(M.ToDocument(session with { RevokedAt = now, RevocationReason = reason, Version = checked(session.Version + 1) }));
        foreach (BsonDocument family in _families.Find(Query.EQ(M.SessionId, session.Id.ToString())).Where(f => IsExactly(f[M.SessionId], session.Id.ToString())).ToList())
        {
            RevokeFamilyLocked(family, reason, now);
        }

        return true;
    }

    private bool RevokeFamilyLocked(BsonDocument? doc, RevocationReason reason, DateTimeOffset now)
    {
        if (doc is null)
        {
            return false;
        }

        RefreshFamily family = M.ToFamily(doc);
        if (family.IsRevoked)
        {
            return false;
        }

        return _families.Update(M.ToDocument(family.Revoke(reason, now)));
    }
}
