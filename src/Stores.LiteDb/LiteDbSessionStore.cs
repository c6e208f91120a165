using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;

namespace SessionCore.Stores.LiteDb;

/// <summary>
/// A session store in one LiteDB file: collections for sessions, refresh families, refresh-token hashes, per-user
/// security state and the global revocation instant. It holds no rule: each operation opens one transaction and lets
/// <see cref="StoreDecisions"/> decide over the records.
/// </summary>
/// <remarks>
/// <para>
/// Security: every operation runs under one in-process lock and inside one LiteDB transaction, so it is atomic for
/// every thread of the process and all-or-nothing on disk (LiteDB's write-ahead log). The file must belong to one
/// process: the store opens it in direct mode, refuses shared mode and holds an exclusive lock on a side file, because
/// an in-process lock cannot order writers in another process. See docs/stores/litedb.md.
/// </para>
/// <para>
/// Failures: caller cancellation is thrown as <see cref="OperationCanceledException"/>, caller misuse as
/// <see cref="ArgumentException"/>, <see cref="ObjectDisposedException"/> (a disposed store) or
/// <see cref="InvalidOperationException"/> (an identifier or token hash that exists already; nothing is written); every
/// other failure (the driver, the disk, a record of the wrong shape) as <see cref="SessionStoreException"/> wrapping it,
/// with a message free of data. The session manager turns any of them into a fail-closed outcome.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; create one per file and process, and dispose it at shutdown.</threadsafety>
public sealed partial class LiteDbSessionStore : ISessionStore, IDisposable, IAsyncDisposable
{
    private const int InvariantLcid = 127;

    private readonly Lock _gate = new();
    private readonly LiteDatabase _db;
    private readonly LiteDbRecords _records;
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
            _records = new LiteDbRecords(_db);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
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

    /// <summary>
    /// Gets or sets a wrapper around the records each decision sees, for tests that inject a fault between the writes of
    /// one operation; reachable through InternalsVisibleTo only.
    /// </summary>
    internal Func<IStoreRecords, IStoreRecords>? RecordsInterceptor { get; set; }

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default) =>
        Decide(creation, static (r, c) => StoreDecisions.Create(r, c), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        Run(id, static (r, id) => r.FindSession(id), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default) =>
        Decide((id, rules, now, touch), static (r, a) => StoreDecisions.Validate(r, a.id, a.rules, a.now, a.touch), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default) =>
        Decide(regeneration, static (r, g) => StoreDecisions.Regenerate(r, g), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((id, userId, reason, now), static (r, a) => StoreDecisions.Revoke(r, a.id, a.userId, a.reason, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default) =>
        Decide(revocation, static (r, v) => StoreDecisions.RevokeUserSessions(r, v), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((userId, rules, now), static (r, a) => StoreDecisions.ListUserSessions(r, a.userId, a.rules, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((id, binding, rules, now), static (r, a) => StoreDecisions.BindKey(r, a.id, a.binding, a.rules, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default) =>
        Decide(creation, static (r, c) => StoreDecisions.CreateRefreshFamily(r, c), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        Run(tokenHash, static (r, h) => r.FindFamily(h), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default) =>
        Decide(redemption, static (r, d) => StoreDecisions.Redeem(r, d), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((tokenHash, reason, now), static (r, a) => StoreDecisions.RevokeRefreshFamily(r, a.tokenHash, a.reason, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(userId ?? throw new ArgumentNullException(nameof(userId)), static (r, u) => r.FindUser(u), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(userId ?? throw new ArgumentNullException(nameof(userId)), static (r, u) => r.FindSecurityEpoch(u), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) =>
        Decide((userId, device, maxDevices), static (r, a) => StoreDecisions.RememberDevice(r, a.userId, a.device, a.maxDevices), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Run(now, static (r, now) => r.RevokeEverySession(now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Run(now, static (r, now) => r.Purge(now), cancellationToken);

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

    private ValueTask<TResult> Decide<TArgument, TResult>(TArgument argument, Func<IStoreRecords, TArgument, TResult> decision, CancellationToken cancellationToken) =>
        Run((argument, decision, RecordsInterceptor), static (r, a) => a.decision(a.RecordsInterceptor?.Invoke(r) ?? r, a.argument), cancellationToken);

    private ValueTask<TResult> Run<TArgument, TResult>(TArgument argument, Func<LiteDbRecords, TArgument, TResult> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult(InTransaction(argument, operation));
        }
    }

    // Runs under _gate: LiteDB transactions belong to the calling thread, and the lock keeps the reads and the
    // writes of an operation together, so no other thread of this process can interleave.
    private TResult InTransaction<TArgument, TResult>(TArgument argument, Func<LiteDbRecords, TArgument, TResult> operation)
    {
        bool began = false;
        try
        {
            _records.Begin();
            began = _db.BeginTrans();
            TResult result = operation(_records, argument);
            _db.Commit();
            _records.Committed();
            return result;
        }
        catch (Exception ex)
        {
            if (began)
            {
                TryRollback();
            }

            // Caller misuse and our own refusal (a duplicate key) pass through; everything else is a store failure.
            if (ex is OperationCanceledException or ArgumentException or InvalidOperationException { Message: Error.DuplicateKey })
            {
                throw;
            }

            throw new SessionStoreException(Error.StoreFailed, ex);
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
                    InTransaction(_time.GetUtcNow(), static (r, now) => r.Purge(now));
                }
            }
        }
#pragma warning disable CA1031 // A failed background purge is retried on the next tick; expiry is still checked on every read.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
