namespace SessionCore.Scale;

/// <summary>Receives what an <see cref="ISessionInvalidationBus"/> delivers to one node.</summary>
/// <threadsafety>Implementations are called from the bus's threads, possibly concurrently, and must not block.</threadsafety>
public interface ISessionInvalidationHandler
{
    /// <summary>Applies an invalidation published by any node (this one included).</summary>
    /// <param name="invalidation">The invalidation.</param>
    void OnInvalidation(SessionInvalidation invalidation);

    /// <summary>
    /// Reports whether the bus is delivering: <see langword="false"/> as soon as the subscription may have missed an
    /// invalidation, <see langword="true"/> once it is established (again).
    /// </summary>
    /// <param name="connected">Whether every invalidation published from now on is delivered.</param>
    /// <remarks>Security: while disconnected, nothing learnt before may be trusted: a missed invalidation cannot be recovered.</remarks>
    void OnConnectionChanged(bool connected);
}
