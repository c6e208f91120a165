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
    /// <inheritdoc/>
    /// <remarks>One <c>HGET</c>: the known devices (a hash each) are not read.</remarks>
    public async ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            RedisValue epoch = await db.HashGetAsync(_keys.Security(RedisKeys.UserHash(userId)), "ep").WaitAsync(cancellationToken).ConfigureAwait(false);
            return epoch.IsNull ? 0 : long.Parse((string)epoch!, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(userId);
            RedisResult[] reply = (RedisResult[])(await EvaluateAsync(
                db, RedisScripts.GetUser, [_keys.Security(h), _keys.Devices(h)], [_keys.Prefix, h], cancellationToken).ConfigureAwait(false))!;
            long epoch = long.Parse((string)reply[0]!, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
            List<KnownDevice> devices = new(reply.Length - 1);
            for (int i = 1; i < reply.Length; i++)
            {
                devices.Add(DecodeDevice(Fields(reply[i])));
            }

            // Most recent last; the index orders by whole milliseconds, the records keep exact ticks.
            devices.Sort(static (a, b) => a.LastSeenAt.CompareTo(b.LastSeenAt));
            return new UserSecurityState(userId, epoch, devices);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>One command (HINCRBY), atomic on the server.</remarks>
    public async ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            return await db.HashIncrementAsync(_keys.Security(RedisKeys.UserHash(userId)), "ep").WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(userId);
            List<RedisValue> values = [_keys.Prefix, h, device.Key, Number(maxDevices), Ticks(device.LastSeenAt)];
            values.AddRange(DeviceFields(device));
            RedisResult reply = await EvaluateAsync(db, RedisScripts.RememberDevice, [_keys.Devices(h)], [.. values], cancellationToken).ConfigureAwait(false);
            return (int)reply == 1;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Redis removes records by itself shortly after their purge time (see <see cref="RedisSessionStoreOptions.ExpiryGrace"/>);
    /// this method deletes, exactly at <paramref name="now"/>, what is due and cleans the per-user indexes and
    /// pointer keys. It scans the key space of every primary (SCAN, never KEYS) and runs one script per user, so
    /// call it from a background job, not on a request.
    /// </remarks>
    public async ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
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

                foreach (string suffix in (string[])["ss", "fs"])
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
            string nowText = Ticks(now);
            foreach (string h in users)
            {
                RedisResult[] reply = (RedisResult[])(await EvaluateAsync(
                    db,
                    RedisScripts.PurgeUser,
                    [_keys.UserSessions(h), _keys.UserFamilies(h)],
                    [_keys.Prefix, h, nowText, cluster ? "0" : "1"],
                    cancellationToken).ConfigureAwait(false))!;
                removed = checked(removed + (int)reply[0]);
                if (reply.Length > 1)
                {
                    // Pointer keys live in other slots; in Cluster each is deleted on its own.
                    Task[] deletes = new Task[reply.Length - 1];
                    for (int i = 1; i < reply.Length; i++)
                    {
                        deletes[i - 1] = db.KeyDeleteAsync((string)reply[i]!);
                    }

                    await Task.WhenAll(deletes).WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return removed;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }
}
