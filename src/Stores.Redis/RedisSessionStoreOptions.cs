using System;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis;

/// <summary>Configures a <see cref="RedisSessionStore"/>. Validated once, when the store is created or registered.</summary>
/// <threadsafety>Not thread-safe; configure it during start-up only. The store keeps its own copy.</threadsafety>
public sealed class RedisSessionStoreOptions
{
    /// <summary>Gets or sets a StackExchange.Redis configuration string (for example <c>"redis1:6379,redis2:6379"</c>).</summary>
    /// <value><see langword="null"/>. Set this or <see cref="ConnectionMultiplexer"/>, not both.</value>
    /// <remarks>
    /// The store opens the connection lazily on first use, owns it and closes it when disposed. Unless the
    /// string says otherwise, <c>abortConnect=false</c> is used, so a server that is down at start-up makes
    /// operations fail (closed) until it is reachable rather than failing the host's start-up.
    /// </remarks>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets an existing connection to share. The store never disposes it.</summary>
    /// <value><see langword="null"/>. Set this or <see cref="Configuration"/>, not both.</value>
    public IConnectionMultiplexer? ConnectionMultiplexer { get; set; }

    /// <summary>Gets or sets the prefix of every key the store writes, so several applications can share a server.</summary>
    /// <value><c>"sc:"</c>. 1 to 64 characters, no braces (they would change the cluster slot), no white space or control characters.</value>
    public string KeyPrefix { get; set; } = "sc:";

    /// <summary>Gets or sets the logical database number.</summary>
    /// <value>-1, the connection's default database. Redis Cluster only has database 0.</value>
    public int Database { get; set; } = -1;

    /// <summary>
    /// Gets or sets how long a record outlives its purge time in Redis before native expiry removes it. During
    /// this margin a validation can still tell "expired" from "unknown"; no expired record is ever accepted.
    /// </summary>
    /// <value>1 minute. 1 second to 1 day.</value>
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromMinutes(1);
}
