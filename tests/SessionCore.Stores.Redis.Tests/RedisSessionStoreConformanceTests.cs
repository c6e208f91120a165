using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.StoreConformance;
using StackExchange.Redis;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// The Redis store against the public conformance suite. Each store gets its own connection and key prefix;
/// the failure hook closes that connection, which is what a lost server looks like to the store.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly string _prefix = "sctc:" + Guid.NewGuid().ToString("N")[..12] + ":";
    private readonly Dictionary<ISessionStore, ConnectionMultiplexer> _connections = [];

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        Assert.SkipWhen(RedisFixture.Configuration is null, RedisFixture.SkipReason);
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisFixture.Configuration!);
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

    protected override async ValueTask DisposeCoreAsync()
    {
        foreach (ConnectionMultiplexer connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }

        if (RedisFixture.Configuration is { } configuration)
        {
            await using ConnectionMultiplexer cleanup = await ConnectionMultiplexer.ConnectAsync(configuration);
            await RedisFixture.DeleteKeysAsync(cleanup, _prefix);
        }
    }
}
