using System;
using System.Globalization;
using System.Threading.Tasks;
using SessionCore.Stores;
using StackExchange.Redis;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>Pins the single-use key layout and its native expiry, which docs/stores/redis.md describes.</summary>
[Trait("Category", "Integration")]
public sealed class RedisSessionStoreSingleUseTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task TryUseOnce_WritesOneStringKeyWithExpiryPlusGrace()
    {
        RedisSessionStore store = fixture.CreateStore();
        IDatabase db = fixture.Multiplexer!.GetDatabase();
        SingleUseKey key = SingleUseKey.Create("dpop-jti", "https://api.example", "jti-1");

        Assert.True(await store.TryUseOnceAsync(key, Start.AddSeconds(66), Start, TestContext.Current.CancellationToken));

        RedisKey redisKey = store.KeyPrefix + "once:" + key;
        Assert.Equal(Start.AddSeconds(66).UtcTicks.ToString("D19", CultureInfo.InvariantCulture), (string?)await db.StringGetAsync(redisKey));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(redisKey);
        Assert.NotNull(ttl);
        TimeSpan expected = TimeSpan.FromSeconds(66) + new RedisSessionStoreOptions().ExpiryGrace;
        Assert.InRange(ttl.Value, expected - TimeSpan.FromSeconds(30), expected);
    }

    [Fact]
    public async Task TryUseOnce_ExpiredEntryStillInRedis_IsDecidedByTheCallersClock()
    {
        RedisSessionStore store = fixture.CreateStore();
        SingleUseKey key = SingleUseKey.Create("dpop-jti", "https://api.example", "jti-2");
        Assert.True(await store.TryUseOnceAsync(key, Start.AddSeconds(60), Start, TestContext.Current.CancellationToken));

        // Redis still holds the key (grace), but at the caller's time it has expired.
        Assert.True(await store.TryUseOnceAsync(key, Start.AddSeconds(120), Start.AddSeconds(60), TestContext.Current.CancellationToken));
        Assert.False(await store.TryUseOnceAsync(key, Start.AddSeconds(180), Start.AddSeconds(119), TestContext.Current.CancellationToken));
    }
}
