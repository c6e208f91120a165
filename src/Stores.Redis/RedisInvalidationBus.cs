using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Scale;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis;

/// <summary>
/// The invalidation channel of a <see cref="RedisSessionStore"/>: its scripts publish every revocation, regeneration,
/// eviction, reuse revocation, key binding, family revocation, user revocation and break-glass in the same script that
/// makes the change (PUBLISH on a single server, SPUBLISH on the slot's sharded channel in Cluster), and this bus delivers
/// them to a node's <see cref="CachingSessionStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// Security: no change goes unannounced — the announcement is part of the atomic step. The subscription is reported lost
/// (<see cref="ISessionInvalidationHandler.OnConnectionChanged"/>) as soon as the driver reports a connection
/// failed, and reported back only after every channel was subscribed again; in between the node reads the store.
/// Messages that are not well-formed invalidations are ignored.
/// </para>
/// <para>
/// In Cluster every node subscribes to the 16,384 slot channels (one per slot; see <c>docs/stores/redis.md</c>), so each
/// announcement goes only to the shard that owns the user's slot and from there to the subscribers.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads. It shares the store's connection and does not own it.</threadsafety>
public sealed class RedisInvalidationBus : ISessionInvalidationBus, IDisposable
{
    private static readonly TimeSpan s_retry = TimeSpan.FromMilliseconds(250);

    private readonly RedisSessionStore _store;
    private readonly Lock _gate = new();
    private readonly List<ISessionInvalidationHandler> _handlers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private Task? _running;
    private IConnectionMultiplexer? _multiplexer;
    private RedisChannel[] _channels = [];
    private bool _connected;
    private int _resubscribing;
    private int _failures;

    /// <summary>Initializes a new instance of the <see cref="RedisInvalidationBus"/> class on the store's connection.</summary>
    /// <param name="store">The store whose scripts publish the invalidations.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public RedisInvalidationBus(RedisSessionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _onMessage = OnMessage;
    }

    /// <inheritdoc/>
    /// <value>Always <see langword="true"/>: the store's scripts publish every change.</value>
    public bool PublishesStoreChanges => true;

    /// <summary>Gets a value indicating whether every channel is subscribed and no subscription connection is down.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The store's scripts already announced every change the store made, so this completes at once.</remarks>
    public ValueTask PublishAsync(SessionInvalidation invalidation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invalidation);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(ISessionInvalidationHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        bool connected;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _handlers.Add(handler);
            connected = _connected;
            _running ??= Task.Run(() => StartAsync(_stop.Token));
        }

        if (connected)
        {
            handler.OnConnectionChanged(true);
        }

        return new Subscription(this, handler);
    }

    /// <summary>Stops delivering and unsubscribes; the store's connection stays open.</summary>
    public void Dispose()
    {
        IConnectionMultiplexer? multiplexer;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            multiplexer = _multiplexer;
            _connected = false;
        }

        if (multiplexer is not null)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            ISubscriber subscriber = multiplexer.GetSubscriber();
            foreach (RedisChannel channel in _channels)
            {
                subscriber.Unsubscribe(channel, _onMessage, CommandFlags.FireAndForget);
            }
        }
    }

    private async Task StartAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                (IConnectionMultiplexer multiplexer, bool cluster) = await _store.ConnectForInvalidationAsync(stop).ConfigureAwait(false);
                RedisChannel[] channels = cluster ? ClusterChannels(_store.KeyPrefix) : [RedisChannel.Literal(RedisChannels.Single(_store.KeyPrefix))];
                lock (_gate)
                {
                    _multiplexer = multiplexer;
                    _channels = channels;
                }

                multiplexer.ConnectionFailed += OnConnectionFailed;
                multiplexer.ConnectionRestored += OnConnectionRestored;
                await SubscribeAllAsync(stop).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The server is not reachable yet: nodes read the store meanwhile; try again shortly.
                await Task.Delay(s_retry, stop).ConfigureAwait(false);
            }
        }
    }

    private static RedisChannel[] ClusterChannels(string prefix)
    {
        RedisChannel[] channels = new RedisChannel[RedisChannels.SlotCount];
        for (int slot = 0; slot < channels.Length; slot++)
        {
            channels[slot] = RedisChannel.Sharded(RedisChannels.ForSlot(prefix, slot));
        }

        return channels;
    }

    /// <summary>(Re)subscribes every channel, then reports the bus connected when no subscription connection is down.</summary>
    private async Task SubscribeAllAsync(CancellationToken stop)
    {
        IConnectionMultiplexer multiplexer;
        RedisChannel[] channels;
        lock (_gate)
        {
            multiplexer = _multiplexer!;
            channels = _channels;
        }

        // A failure reported while this runs may predate acknowledgements already received: then it runs again.
        int failures = Volatile.Read(ref _failures);
        ISubscriber subscriber = multiplexer.GetSubscriber();
        Task[] pending = new Task[channels.Length];
        for (int i = 0; i < channels.Length; i++)
        {
            // Unsubscribe first, so that a channel the driver restored by itself is not delivered twice.
            await subscriber.UnsubscribeAsync(channels[i], _onMessage, CommandFlags.FireAndForget).ConfigureAwait(false);
            pending[i] = subscriber.SubscribeAsync(channels[i], _onMessage);
        }

        await Task.WhenAll(pending).WaitAsync(stop).ConfigureAwait(false);
        if (Volatile.Read(ref _failures) == failures)
        {
            Report(true);
        }
    }

    /// <summary>
    /// Any failed connection counts, not only the subscription's: a server whose interactive connection failed may have
    /// taken the subscription with it before the driver noticed, and reading the store meanwhile is the safe side. The
    /// driver raises its events on other threads in no guaranteed order, so nothing here pairs a failure with a restore:
    /// every failure reports the bus lost and asks for a full resubscription, which reports it back only once every
    /// channel was acknowledged with no failure reported meanwhile.
    /// </summary>
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _failures);
        Report(false);
        _ = ResubscribeAsync();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = ResubscribeAsync();

    private async Task ResubscribeAsync()
    {
        // Every restore asks for a resubscription; one runs at a time and runs again when asked meanwhile.
        if (Interlocked.Increment(ref _resubscribing) != 1)
        {
            return;
        }

        try
        {
            do
            {
                Volatile.Write(ref _resubscribing, 1);
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await SubscribeAllAsync(_stop.Token).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        await Task.Delay(s_retry, _stop.Token).ConfigureAwait(false);
                    }
                }
            }
            while (Interlocked.CompareExchange(ref _resubscribing, 0, 1) != 1 && !_stop.IsCancellationRequested);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private void Report(bool connected)
    {
        ISessionInvalidationHandler[] handlers;
        lock (_gate)
        {
            connected = connected && !_stop.IsCancellationRequested;
            if (_connected == connected)
            {
                return;
            }

            _connected = connected;
            handlers = [.. _handlers];
        }

        foreach (ISessionInvalidationHandler handler in handlers)
        {
            handler.OnConnectionChanged(connected);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (!SessionInvalidation.TryParse((string?)message, out SessionInvalidation? invalidation))
        {
            return;
        }

        ISessionInvalidationHandler[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }

        foreach (ISessionInvalidationHandler handler in handlers)
        {
            handler.OnInvalidation(invalidation);
        }
    }

    private sealed class Subscription(RedisInvalidationBus bus, ISessionInvalidationHandler handler) : IDisposable
    {
        public void Dispose()
        {
            lock (bus._gate)
            {
                bus._handlers.Remove(handler);
            }
        }
    }
}
