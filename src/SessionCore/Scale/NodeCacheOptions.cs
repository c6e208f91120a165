using System;

namespace SessionCore.Scale;

/// <summary>Configures a <see cref="CachingSessionStore"/>. Validated once, when the store is created.</summary>
/// <threadsafety>Not thread-safe; configure it during start-up only. The store keeps its own copy.</threadsafety>
public sealed class NodeCacheOptions
{
    /// <summary>The largest staleness bound accepted.</summary>
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the staleness bound T: how long after the store read it a cached validation may answer without asking
    /// the store again.
    /// </summary>
    /// <value>2 seconds. More than zero, at most 30 seconds.</value>
    /// <remarks>
    /// Security: T is the longest a revoked session can still be accepted by a node that missed the invalidation without
    /// noticing that its subscription dropped. While the bus is connected, a revocation reaches every node within the
    /// propagation latency; while it is not, nodes read the store.
    /// </remarks>
    public TimeSpan Staleness { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the most sessions (and, separately, user epochs) the node keeps.</summary>
    /// <value>10,000. 1 to 1,000,000. When full, entries past their staleness bound are swept; if none are, nothing new is cached until some are.</value>
    public int Capacity { get; set; } = 10_000;
}
