using System;
using System.Threading;
using System.Threading.Tasks;

namespace SessionCore.Scale;

/// <summary>
/// The channel that tells every node of a host that cached session state went stale: each change that revokes or alters a
/// session (revocation, regeneration, eviction, refresh-token reuse, key binding, family revocation), a user's revocation or
/// epoch advance, and the global break-glass is published once and delivered to every subscribed node.
/// </summary>
/// <remarks>
/// Security: a bus must report a lost subscription at once (<see cref="ISessionInvalidationHandler.OnConnectionChanged"/>):
/// a node that may have missed an invalidation stops answering from its cache until the bus delivers again. Delivery is at
/// most once per subscription; the node's staleness bound covers a message lost without the connection dropping.
/// </remarks>
/// <threadsafety>Implementations must be safe to share between threads.</threadsafety>
public interface ISessionInvalidationBus
{
    /// <summary>
    /// Gets a value indicating whether the session store announces every change itself, in the same atomic step that makes
    /// it (the Redis store's scripts); the cache then publishes nothing and relies on the store.
    /// </summary>
    bool PublishesStoreChanges { get; }

    /// <summary>Publishes an invalidation to every subscribed node.</summary>
    /// <param name="invalidation">The invalidation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the invalidation was handed to the channel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="invalidation"/> is <see langword="null"/>.</exception>
    ValueTask PublishAsync(SessionInvalidation invalidation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes a handler. The handler first hears <see cref="ISessionInvalidationHandler.OnConnectionChanged"/> with
    /// <see langword="true"/> once the subscription is established (possibly before this method returns), and with
    /// <see langword="false"/> whenever it is lost.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it ends the subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    IDisposable Subscribe(ISessionInvalidationHandler handler);
}
