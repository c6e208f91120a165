using System;
using System.Linq;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

public sealed class LiteDbSessionStoreSingleUseTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PurgeExpired_DeletesExpiredSingleUseEntriesOnly()
    {
        using LiteDbSessionStore store = Open("purge.db");
        Assert.True(await store.TryUseOnceAsync(Key("a"), T0.AddSeconds(10), T0, TestContext.Current.CancellationToken));
        Assert.True(await store.TryUseOnceAsync(Key("b"), T0.AddSeconds(100), T0, TestContext.Current.CancellationToken));

        await store.PurgeExpiredAsync(T0.AddSeconds(50), TestContext.Current.CancellationToken);

        Assert.Equal(1, store.Database.GetCollection("single_use").Count());
        Assert.False(await store.TryUseOnceAsync(Key("b"), T0.AddSeconds(150), T0.AddSeconds(50), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryUseOnce_ManyUses_PurgesExpiredEntriesOpportunistically()
    {
        using LiteDbSessionStore store = Open("opportunistic.db");
        for (int i = 0; i < 1023; i++)
        {
            Assert.True(await store.TryUseOnceAsync(Key("old" + i), T0.AddSeconds(1), T0, TestContext.Current.CancellationToken));
        }

        Assert.Equal(1023, store.Database.GetCollection("single_use").Count());
        Assert.True(await store.TryUseOnceAsync(Key("new"), T0.AddSeconds(100), T0.AddSeconds(2), TestContext.Current.CancellationToken));

        // Every 1024th recorded use first deletes what has expired: here all 1023 earlier entries.
        Assert.Equal(1, store.Database.GetCollection("single_use").Count());
    }

    [Fact]
    public async Task TryUseOnce_Reopened_StillRefusesALiveValue()
    {
        string path = _folder.File("reopen.db");
        using (LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null }))
        {
            Assert.True(await store.TryUseOnceAsync(Key("a"), T0.AddSeconds(60), T0, TestContext.Current.CancellationToken));
        }

        using LiteDbSessionStore reopened = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null });
        Assert.False(await reopened.TryUseOnceAsync(Key("a"), T0.AddSeconds(60), T0.AddSeconds(1), TestContext.Current.CancellationToken));
        BsonDocument doc = reopened.Database.GetCollection("single_use").FindAll().Single();
        Assert.Equal(64, doc["_id"].AsString.Length);
        Assert.Equal(T0.AddSeconds(60).UtcTicks, doc["exp"].AsInt64);
    }

    private static SingleUseKey Key(string value) => SingleUseKey.Create("test", "scope", value);

    private LiteDbSessionStore Open(string name) => new(new LiteDbSessionStoreOptions { FilePath = _folder.File(name), PurgeInterval = null });
}
