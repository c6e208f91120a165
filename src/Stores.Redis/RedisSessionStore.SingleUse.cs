using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;
using static SessionCore.Stores.Redis.Internal.RedisRecordCodec;

namespace SessionCore.Stores.Redis;

public sealed partial class RedisSessionStore
{
    /// <summary>
    /// KEYS: the entry. ARGV: the common header (no route, no rules), then the entry's expiry. The entry is a string
    /// holding its expiry in ticks; it is live while that expiry is after the caller's <c>now</c>, and Redis deletes it
    /// by itself (PX) a grace period after it expired, so nothing needs purging.
    /// </summary>
    private static readonly RedisScripts.RedisScript s_useOnce = new("""
        local exp = ARGV[12]
        local live = redis.call('GET', KEYS[1])
        if live and live > NOW then return 0 end
        redis.call('SET', KEYS[1], exp, 'PX', ttl(exp))
        return 1
        """);

    /// <inheritdoc/>
    /// <remarks>
    /// One script on one key (<c>prefix once:KEY</c>, outside any user's hash tag, so it works unchanged in
    /// Cluster): read the entry, and when it is absent or expired at <paramref name="now"/>, write it with a native
    /// expiry of <paramref name="expiresAt"/> plus <see cref="RedisSessionStoreOptions.ExpiryGrace"/>. Deciding by
    /// the caller's clock (not only by the key's TTL) keeps every node's answer consistent with its own window
    /// checks; the grace keeps the entry while a node whose clock runs behind may still ask.
    /// </remarks>
    public ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException(Error.SingleUseKeyEmpty, nameof(key));
        }

        if (expiresAt <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), Error.SingleUseExpiryNotAfterNow);
        }

        return RunAsync((key, expiresAt, now), static async (store, db, a, ct) =>
        {
            List<RedisValue> values = store.Header(string.Empty, string.Empty, a.now, rules: null, cluster: false, extra: 1);
            values.Add(Ticks(a.expiresAt));
            RedisResult reply = await EvaluateAsync(db, s_useOnce, [store._keys.Prefix + "once:" + a.key.ToString()], values, ct).ConfigureAwait(false);
            return (int)reply == 1;
        }, cancellationToken);
    }
}
