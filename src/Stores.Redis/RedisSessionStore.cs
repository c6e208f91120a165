using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;
using static SessionCore.Stores.Redis.Internal.RedisRecordCodec;

namespace SessionCore.Stores.Redis;

/// <summary>
/// A session store on Redis (single server, replicated with Sentinel, or Cluster). Each operation is one Lua script
/// that mirrors the core's decision for it (<see cref="StoreDecisions"/>), so it is atomic and, on a single server,
/// costs exactly one round trip. Records expire natively shortly after their purge time.
/// </summary>
/// <remarks>
/// <para>
/// Security: validation and refresh redemption each run as exactly one script on a single server: the session is
/// judged against its user's current security epoch and the global revocation instant in the same step, and the
/// compare-and-swap of a rotation is decided inside Redis, so at most one of any number of concurrent redemptions
/// of one token rotates. Keys hold session ids and token hashes, never tokens; user ids appear only hashed in key names.
/// </para>
/// <para>
/// In Redis Cluster every key of one user shares the hash tag <c>{u:HASH}</c>, so each script stays in one slot;
/// operations that start from a session id or token hash read a small pointer key (and the global revocation instant)
/// first, which costs a second round trip. See <c>docs/stores/redis.md</c>.
/// </para>
/// <para>
/// Failures: every driver failure (connection, timeout, server or script error), a shared connection closed by its owner,
/// and a record or reply the store cannot read are thrown as <see cref="SessionStoreException"/> with a fixed message and
/// the driver's exception inside; cancellation by the caller's token is thrown as <see cref="OperationCanceledException"/>.
/// A duplicate identifier or token hash is caller misuse and throws <see cref="InvalidOperationException"/>.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed partial class RedisSessionStore : ISessionStore, IDisposable, IAsyncDisposable
{
    private readonly RedisStoreSettings _settings;
    private readonly RedisKeys _keys;
    private readonly string _grace;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private IConnectionMultiplexer? _multiplexer;
    private int _topology; // 0 unknown, 1 single server (or replicated), 2 cluster
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="RedisSessionStore"/> class.</summary>
    /// <param name="options">The options; they are validated and copied, so later changes do nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    public RedisSessionStore(RedisSessionStoreOptions options)
        : this(RedisStoreSettings.Create(options))
    {
    }

    internal RedisSessionStore(RedisStoreSettings settings)
    {
        _settings = settings;
        _keys = new RedisKeys(settings.Prefix);
        _grace = Number(settings.GraceMilliseconds);
        _multiplexer = settings.Multiplexer;
    }

    internal string KeyPrefix => _keys.Prefix;

    /// <summary>Connects (once) and reports whether the servers are a cluster; for <see cref="RedisInvalidationBus"/>.</summary>
    internal async ValueTask<(IConnectionMultiplexer Multiplexer, bool Cluster)> ConnectForInvalidationAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        IDatabase database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _topology) == 0)
        {
            // The topology is known once a server has answered.
            await database.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return (database.Multiplexer, IsCluster(database));
    }

    /// <summary>Closes the connection when the store opened it; a shared <see cref="RedisSessionStoreOptions.ConnectionMultiplexer"/> stays open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_settings.Multiplexer is null)
        {
            _multiplexer?.Dispose();
        }

        _connectGate.Dispose();
    }

    /// <summary>Closes the connection when the store opened it; a shared <see cref="RedisSessionStoreOptions.ConnectionMultiplexer"/> stays open.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_settings.Multiplexer is null && _multiplexer is not null)
        {
            await _multiplexer.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
    }

    /// <summary>
    /// Runs one operation with the store's single failure rule: the caller's cancellation stays an
    /// <see cref="OperationCanceledException"/>; every driver failure, a shared connection closed under a store still in
    /// use, and an unreadable record or reply become a <see cref="SessionStoreException"/>. Anything else (caller
    /// misuse such as a duplicate identifier) passes unchanged.
    /// </summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        TState state, Func<RedisSessionStore, IDatabase, TState, CancellationToken, Task<TResult>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            IDatabase database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            return await operation(this, database, state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw new SessionStoreException(ex is FormatException or InvalidCastException or OverflowException or JsonException ? Error.Unreadable : Error.Unavailable, ex);
        }
    }

    private bool IsFailure(Exception exception) =>
        exception is RedisException or TimeoutException or FormatException or InvalidCastException or OverflowException or JsonException
        || (exception is OperationCanceledException) // not the caller's token (that is rethrown above): the driver gave up
        || (exception is ObjectDisposedException && !_disposed);

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        IConnectionMultiplexer? multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null)
        {
            await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                multiplexer = _multiplexer;
                if (multiplexer is null)
                {
                    multiplexer = await ConnectionMultiplexer.ConnectAsync(_settings.Configuration!).ConfigureAwait(false);
                    Volatile.Write(ref _multiplexer, multiplexer);
                }
            }
            finally
            {
                _connectGate.Release();
            }
        }

        return multiplexer.GetDatabase(_settings.Database);
    }

    /// <summary>
    /// Cluster mode changes only how pointer keys and the global revocation instant are read and written; it is
    /// detected once a server has answered, and a single server is assumed until then (its scripts fail closed on a
    /// cluster anyway).
    /// </summary>
    private bool IsCluster(IDatabase database)
    {
        int topology = Volatile.Read(ref _topology);
        if (topology != 0)
        {
            return topology == 2;
        }

        foreach (IServer server in database.Multiplexer.GetServers())
        {
            if (server.IsConnected)
            {
                bool cluster = server.ServerType == ServerType.Cluster;
                Volatile.Write(ref _topology, cluster ? 2 : 1);
                return cluster;
            }
        }

        return false;
    }

    /// <summary>
    /// The header every script reads (see <see cref="RedisScripts"/>): prefix, route, global revocation instant, the
    /// current time with the thresholds the rules derive from it, the expiry grace, and whether the script owns the
    /// pointer keys (single server).
    /// </summary>
    private List<RedisValue> Header(string route, string revokedBefore, DateTimeOffset now, SessionRules? rules, bool cluster, int extra)
    {
        List<RedisValue> values = new(11 + extra)
        {
            _keys.Prefix,
            route,
            revokedBefore,
            Ticks(now),
        };
        if (rules is null)
        {
            values.AddRange([string.Empty, string.Empty, string.Empty, string.Empty, string.Empty]);
        }
        else
        {
            values.Add(Plus(now, rules.ClockSkewTolerance));
            values.Add(Minus(now, rules.AbsoluteLifetime));
            values.Add(Minus(now, rules.IdleTimeout));
            values.Add(Minus(now, rules.RenewalInterval));
            values.Add(Plus(now, rules.IdleTimeout));
        }

        values.Add(_grace);
        values.Add(cluster ? "0" : "1");
        return values;
    }

    /// <summary>The global revocation instant as a script argument: read by the script itself on a single server.</summary>
    private static string ReadByScript => "?";

    private static string RevokedBeforeArgument(RedisValue value) => value.IsNullOrEmpty ? string.Empty : (string)value!;

    private TimeSpan Life(DateTimeOffset purgeAt, DateTimeOffset now) =>
        (purgeAt > now ? purgeAt - now : TimeSpan.Zero) + TimeSpan.FromMilliseconds(_settings.GraceMilliseconds);

    private static async Task<RedisResult> EvaluateAsync(IDatabase database, RedisScripts.RedisScript script, RedisKey[] keys, List<RedisValue> values, CancellationToken cancellationToken)
    {
        RedisValue[] arguments = [.. values];
        if (script.Announces && values[10] == "0")
        {
            // Cluster: the script publishes on the sharded invalidation channel of its own slot.
            keys = [.. keys, RedisChannels.ForKey((string)values[0]!, keys[0])];
        }

        try
        {
            return await database.ScriptEvaluateAsync(script.Hash, keys, arguments).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // The server lost its script cache (restart, failover, SCRIPT FLUSH): EVAL sends the text and caches it again.
            return await database.ScriptEvaluateAsync(script.Text, keys, arguments).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Cluster only: reads a pointer key and, when asked, the global revocation instant in one round trip (they live in
    /// other slots than the records, so no script can read them).
    /// </summary>
    private async Task<(string? Route, string RevokedBefore)> ResolveAsync(IDatabase database, RedisKey pointer, bool revokedBefore, CancellationToken cancellationToken)
    {
        Task<RedisValue> route = database.StringGetAsync(pointer);
        Task<RedisValue>? floor = revokedBefore ? database.StringGetAsync(_keys.RevokedBefore) : null;
        RedisValue value = await route.WaitAsync(cancellationToken).ConfigureAwait(false);
        string instant = floor is null ? string.Empty : RevokedBeforeArgument(await floor.WaitAsync(cancellationToken).ConfigureAwait(false));
        return (value.IsNullOrEmpty ? null : (string?)value, instant);
    }

    /// <summary>Cluster only: drops a pointer key written for a record the script did not write, without waiting.</summary>
    private static void Forget(IDatabase database, RedisKey pointer) => database.KeyDelete(pointer, CommandFlags.FireAndForget);
}
