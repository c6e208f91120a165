using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;
using static SessionCore.Stores.Redis.Internal.RedisRecordCodec;

namespace SessionCore.Stores.Redis;

public sealed partial class RedisSessionStore
{
    /// <inheritdoc/>
    /// <remarks>One command (<c>HMGET</c> of the epoch and the known-device list).</remarks>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return RunAsync(userId, static async (store, db, userId, ct) =>
        {
            RedisValue[] fields = await db.HashGetAsync(store._keys.Security(RedisKeys.UserHash(userId)), ["ep", "dv"]).WaitAsync(ct).ConfigureAwait(false);
            return new UserSecurityState(userId, Epoch(fields[0]), DecodeDevices(fields[1]));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One command (<c>HGET</c>): the known devices are not read.</remarks>
    public ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return RunAsync(userId, static async (store, db, userId, ct) =>
            Epoch(await db.HashGetAsync(store._keys.Security(RedisKeys.UserHash(userId)), "ep").WaitAsync(ct).ConfigureAwait(false)), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.RememberDevice"/>, <see cref="UserSecurityState.WithDevice"/>); one round trip.</remarks>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        return RunAsync((userId, device, maxDevices), static async (store, db, a, ct) =>
        {
            string h = RedisKeys.UserHash(a.userId);
            List<RedisValue> values = store.Header(h, string.Empty, default, null, store.IsCluster(db), 2);
            values.Add(EncodeDevice(a.device));
            values.Add(Number(a.maxDevices));
            return Integer(await EvaluateAsync(db, RedisScripts.RememberDevice, [store._keys.Security(h)], values, ct).ConfigureAwait(false)) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One script on one key, so it is one round trip on a single server and in Cluster. Every script that judges a
    /// session reads the instant in the same step (on a Cluster the store reads it in the same round trip as the
    /// pointer and hands it to the script; see <c>docs/stores/redis.md</c>).
    /// </remarks>
    public ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RunAsync(now, static async (store, db, now, ct) =>
        {
            List<RedisValue> values = store.Header(string.Empty, string.Empty, now, null, store.IsCluster(db), 0);
            string instant = Text(await EvaluateAsync(db, RedisScripts.RevokeEverySession, [store._keys.RevokedBefore], values, ct).ConfigureAwait(false));
            return new DateTimeOffset(long.Parse(instant, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
        }, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Redis removes records by itself shortly after their purge time (see <see cref="RedisSessionStoreOptions.ExpiryGrace"/>);
    /// this method deletes, exactly at <paramref name="now"/>, what is due and cleans the per-user indexes and
    /// pointer keys. It scans the key space of every primary (SCAN, never KEYS) and runs one script per user, so
    /// call it from a background job, not on a request.
    /// </remarks>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RunAsync(now, static (store, db, now, ct) => store.PurgeCoreAsync(db, now, ct), cancellationToken);

    private async Task<int> PurgeCoreAsync(IDatabase db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool cluster = IsCluster(db);
        HashSet<string> users = new(StringComparer.Ordinal);
        int database = _settings.Database < 0 ? db.Database : _settings.Database;
        int primaries = 0;
        foreach (IServer server in db.Multiplexer.GetServers())
        {
            if (server.IsReplica)
            {
                continue;
            }

            // A primary that cannot be scanned would leave its records behind unseen: fail, let the job retry.
            if (!server.IsConnected)
            {
                throw new SessionStoreException(Error.Unavailable);
            }

            primaries++;
            foreach (string suffix in (string[])["ss", "sr", "fs"])
            {
                await foreach (RedisKey key in server.KeysAsync(database, _keys.UserKeyPattern(suffix), pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (_keys.UserHashOf(key.ToString(), suffix) is { } h)
                    {
                        users.Add(h);
                    }
                }
            }
        }

        if (primaries == 0)
        {
            throw new SessionStoreException(Error.Unavailable);
        }

        int removed = 0;
        foreach (string h in users)
        {
            List<RedisValue> values = Header(h, string.Empty, now, null, cluster, 0);
            RedisResult[] reply = Items(await EvaluateAsync(db, RedisScripts.PurgeUser, [_keys.UserSessions(h), _keys.UserFamilies(h), _keys.RevokedSessions(h)], values, cancellationToken).ConfigureAwait(false));
            removed = checked(removed + Integer(reply[0]));
            if (reply.Length > 1)
            {
                // Pointer keys live in other slots; in Cluster each is deleted on its own.
                Task[] deletes = new Task[reply.Length - 1];
                for (int i = 1; i < reply.Length; i++)
                {
                    deletes[i - 1] = db.KeyDeleteAsync(Text(reply[i]));
                }

                await Task.WhenAll(deletes).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return removed;
    }

    private static long Epoch(RedisValue value) => value.IsNullOrEmpty ? 0 : Long((string)value!);
}
