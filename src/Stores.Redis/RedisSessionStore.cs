using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis;

/// <summary>
/// A session store on Redis (single server, replicated with Sentinel, or Cluster). Sessions, refresh families
/// and per-user security state are hashes; every multi-key primitive is one Lua script, so it is atomic and
/// costs one round trip on a single server. Records expire natively shortly after their purge time.
/// </summary>
/// <remarks>
/// <para>
/// Security: validation (<see cref="FindAsync"/>) and refresh redemption (<see cref="RedeemRefreshTokenAsync"/>)
/// each run as exactly one script on a single server, so the compare-and-swap of a refresh rotation is decided
/// inside Redis and at most one of any number of concurrent redemptions rotates. Keys hold session ids and token
/// hashes, never tokens; user ids appear only hashed in key names.
/// </para>
/// <para>
/// In Redis Cluster every key of one user shares the hash tag <c>{u:HASH}</c>, so each script stays in one slot;
/// operations that start from a session id, token hash or family id read a small pointer key first, which costs
/// a second round trip. See <c>docs/stores/redis.md</c>.
/// </para>
/// <para>Driver failures and timeouts are thrown as <see cref="SessionStoreException"/>; the manager fails closed.</para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed partial class RedisSessionStore : ISessionStore, IDisposable, IAsyncDisposable
{
    private readonly RedisStoreSettings _settings;
    private readonly RedisKeys _keys;
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
        _multiplexer = settings.Multiplexer;
    }

    internal string KeyPrefix => _keys.Prefix;

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

    private static SessionStoreException Unavailable(Exception inner) => new(Error.Unavailable, inner);

    private static bool IsDriverFailure(Exception exception) =>
        exception is RedisException or TimeoutException or FormatException or InvalidCastException or OverflowException;

    /// <summary>
    /// A driver failure, or a shared connection that its owner closed under a store that is still in use
    /// (the store's own disposal stays an <see cref="ObjectDisposedException"/>: that is caller misuse).
    /// </summary>
    private bool IsFailure(Exception exception) =>
        IsDriverFailure(exception) || (exception is ObjectDisposedException && !_disposed);

    private static SessionStoreException Wrap(Exception exception) =>
        exception is FormatException or InvalidCastException or OverflowException ? new(Error.Unreadable, exception) : Unavailable(exception);

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        IConnectionMultiplexer? multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null)
        {
            await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                multiplexer = _multiplexer;
                if (multiplexer is null)
                {
                    multiplexer = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_settings.Configuration!).ConfigureAwait(false);
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
    /// Cluster mode changes only how pointer keys are resolved and written; it is detected once a server has
    /// answered, and a single server is assumed until then (its scripts fail closed on a cluster anyway).
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

    private static async Task<RedisResult> EvaluateAsync(IDatabase database, RedisScripts.RedisScript script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ScriptEvaluateAsync(script.Hash, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // The server lost its script cache (restart, failover, SCRIPT FLUSH): EVAL sends the text and caches it again.
            return await database.ScriptEvaluateAsync(script.Text, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
