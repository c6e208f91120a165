using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Internal;

namespace SessionCore.Scale;

/// <summary>
/// An <see cref="ISessionInvalidationBus"/> inside one process: publishing calls every subscribed handler synchronously.
/// For single-node hosts (and tests); it is always connected.
/// </summary>
/// <threadsafety>Safe to share between threads.</threadsafety>
public sealed class InProcessInvalidationBus : ISessionInvalidationBus
{
    private readonly Lock _gate = new();
    private ISessionInvalidationHandler[] _handlers = [];

    /// <inheritdoc/>
    /// <value>Always <see langword="false"/>.</value>
    public bool PublishesStoreChanges => false;

    /// <inheritdoc/>
    public ValueTask PublishAsync(SessionInvalidation invalidation, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(invalidation);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (ISessionInvalidationHandler handler in Volatile.Read(ref _handlers))
        {
            handler.OnInvalidation(invalidation);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(ISessionInvalidationHandler handler)
    {
        Throw.IfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        handler.OnConnectionChanged(true);
        return new Subscription(this, handler);
    }

    private sealed class Subscription(InProcessInvalidationBus bus, ISessionInvalidationHandler handler) : IDisposable
    {
        public void Dispose()
        {
            lock (bus._gate)
            {
                bus._handlers = Array.FindAll(bus._handlers, h => !ReferenceEquals(h, handler));
            }
        }
    }
}
