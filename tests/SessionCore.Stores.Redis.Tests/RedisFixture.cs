using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// One connection and one key prefix per test class, so classes running in parallel never see each other's
/// keys. The server comes from SESSIONCORE_REDIS (a StackExchange.Redis configuration string).
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public const string Variable = "SESSIONCORE_REDIS";
    public const string SkipReason = "SESSIONCORE_REDIS is not set; set it to a StackExchange.Redis configuration string (for example 127.0.0.1:6379) to run the Redis store tests.";

    public const string ClusterVariable = "SESSIONCORE_REDIS_CLUSTER";
    public const string ClusterSkipReason = "SESSIONCORE_REDIS_CLUSTER is not set; set it to the configuration string of a Redis Cluster (for example 127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102) to run the Cluster tests.";

    public static string? ClusterConfiguration => Environment.GetEnvironmentVariable(ClusterVariable) is { Length: > 0 } value ? value : null;

    public static string? Configuration => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private int _stores;

    public ConnectionMultiplexer? Multiplexer { get; private set; }

    public bool IsCluster => Multiplexer?.GetServers().Any(s => s.ServerType == ServerType.Cluster) == true;

    public string Prefix { get; } = "sct:" + Guid.NewGuid().ToString("N")[..12] + ":";

    public async ValueTask InitializeAsync()
    {
        if (Configuration is { } configuration)
        {
            Multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Multiplexer is null)
        {
            return;
        }

        await DeleteKeysAsync(Multiplexer, Prefix);
        await Multiplexer.DisposeAsync();
    }

    /// <summary>Deletes every key under <paramref name="prefix"/> (test data only).</summary>
    public static async Task DeleteKeysAsync(IConnectionMultiplexer multiplexer, string prefix)
    {
        foreach (IServer server in multiplexer.GetServers())
        {
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            List<RedisKey> keys = [];
            await foreach (RedisKey key in server.KeysAsync(pattern: prefix + "*"))
            {
                keys.Add(key);
            }

            foreach (RedisKey key in keys)
            {
                await multiplexer.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }

    /// <summary>Skips the calling test when no server is configured, and returns a store on this class's prefix.</summary>
    /// <remarks>Each store gets a key space of its own under the class prefix, so purges count only their own records.</remarks>
    public RedisSessionStore CreateStore() => CreateStore(Interlocked.Increment(ref _stores).ToString(CultureInfo.InvariantCulture) + ":");

    /// <summary>Skips the calling test when no server is configured, and returns a store whose prefix is the class prefix plus <paramref name="prefixSuffix"/>.</summary>
    /// <param name="prefixSuffix">What follows the class prefix.</param>
    /// <returns>The store.</returns>
    public RedisSessionStore CreateStore(string prefixSuffix)
    {
        Assert.SkipWhen(Multiplexer is null, SkipReason);
        return new RedisSessionStore(new RedisSessionStoreOptions { ConnectionMultiplexer = Multiplexer, KeyPrefix = Prefix + prefixSuffix });
    }
}
