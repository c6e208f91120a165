using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.StoreConformance;
using SessionCore.Stores.Redis.Internal;
using SessionCore.Tokens;
using StackExchange.Redis;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// The Redis store against the public conformance suite. Each store gets its own connection and key prefix; the failure
/// hook closes that connection, which is what a lost server looks like to the store. A family's stored size is what
/// <c>MEMORY USAGE</c> reports for its hash and its token pointers.
/// </summary>
/// <remarks>
/// There is no fault hook: a script cannot be interrupted between two of its writes (once sent, the server runs it to
/// completion whatever happens to the connection, and propagates its effects to replicas and the append-only file as
/// one transaction), and every script makes all of its refusals before its first write. The fault cases skip.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class RedisSessionStoreConformanceTests : RedisConformanceSuite
{
    protected override string? Configuration => RedisFixture.Configuration;

    protected override string SkipReason => RedisFixture.SkipReason;
}

/// <summary>The same suite against a three-primary Redis Cluster (SESSIONCORE_REDIS_CLUSTER), which <c>.ci/run</c> starts.</summary>
[Trait("Category", "Integration")]
public sealed class RedisClusterConformanceTests : RedisConformanceSuite
{
    protected override string? Configuration => RedisFixture.ClusterConfiguration;

    protected override string SkipReason => RedisFixture.ClusterSkipReason;
}

/// <summary>The conformance suite on one Redis deployment.</summary>
public abstract class RedisConformanceSuite : SessionStoreConformanceTests
{
    private readonly string _prefix = "sctc:" + System.Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)) + ":";
    private readonly Dictionary<ISessionStore, ConnectionMultiplexer> _connections = [];

    protected abstract string? Configuration { get; }

    protected abstract string SkipReason { get; }

    [Fact]
    public void EveryStoreOfTheAdapter_HasAConformanceSuite() =>
        Assert.Empty(ConformanceSuites.StoresWithoutSuite(typeof(RedisSessionStore).Assembly, typeof(RedisSessionStoreConformanceTests).Assembly));

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        Assert.SkipWhen(Configuration is null, SkipReason);
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(Configuration!);
        RedisSessionStore store = new(new RedisSessionStoreOptions
        {
            ConnectionMultiplexer = connection,
            KeyPrefix = _prefix + _connections.Count + ":",
        });
        _connections.Add(store, connection);
        return store;
    }

    protected override async ValueTask<bool> MakeUnavailableAsync(ISessionStore store)
    {
        await _connections[store].CloseAsync(allowCommandsToComplete: false);
        return true;
    }

    protected override async ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family)
    {
        RedisSessionStore redis = (RedisSessionStore)store;
        IDatabase db = _connections[store].GetDatabase();
        List<RedisKey> keys = [redis.KeyPrefix + "{u:" + RedisKeys.UserHash(family.UserId) + "}:f:" + family.FamilyId];
        foreach (RefreshTokenHash hash in family.TokenHashes)
        {
            keys.Add(redis.KeyPrefix + "rt:" + hash);
        }

        long size = 0;
        foreach (RedisKey key in keys)
        {
            RedisResult usage = await db.ExecuteAsync("MEMORY", "USAGE", key);
            size += usage.IsNull ? 0 : (long)usage;
        }

        return size;
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        foreach (ConnectionMultiplexer connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }

        if (Configuration is { } configuration)
        {
            await using ConnectionMultiplexer cleanup = await ConnectionMultiplexer.ConnectAsync(configuration);
            await RedisFixture.DeleteKeysAsync(cleanup, _prefix);
        }
    }
}
