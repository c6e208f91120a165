using System;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>Pins the key layout and native expiries that docs/stores/redis.md describes.</summary>
[Trait("Category", "Integration")]
public sealed class RedisKeyLayoutTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Create_WritesDocumentedKeysWithExpiryRelativeToNow()
    {
        RedisSessionStore store = fixture.CreateStore();
        string prefix = Prefix(store);
        Session session = NewSession("user {with braces}", Start);
        IDatabase db = fixture.Multiplexer!.GetDatabase();

        await store.CreateAsync(session, SessionLimit.None, Start, TestContext.Current.CancellationToken);

        string h = RedisKeys.UserHash(session.UserId);
        Assert.Equal(22, h.Length);
        RedisKey sessionKey = prefix + "{u:" + h + "}:s:" + session.Id;
        Assert.Equal(session.UserId, (string?)await db.HashGetAsync(sessionKey, "uid"));
        Assert.Equal(session.IdleExpiresAt.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), (string?)await db.HashGetAsync(sessionKey, "ie"));
        Assert.Equal(h, (string?)await db.StringGetAsync(prefix + "sid:" + session.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(prefix + "{u:" + h + "}:ss", session.Id.ToString()));
        AssertExpiry(TimeSpan.FromMinutes(30) + Grace, await db.KeyTimeToLiveAsync(sessionKey));
        AssertExpiry(TimeSpan.FromHours(12) + Grace, await db.KeyTimeToLiveAsync(prefix + "sid:" + session.Id));

        // A revoked session is kept until its absolute expiry.
        await store.RevokeAsync(session.Id, RevocationReason.Logout, Start.AddHours(2), TestContext.Current.CancellationToken);
        AssertExpiry(TimeSpan.FromHours(10) + Grace, await db.KeyTimeToLiveAsync(sessionKey));
    }

    [Fact]
    public async Task CreateRefreshFamily_WritesFamilyAndPointers()
    {
        RedisSessionStore store = fixture.CreateStore();
        string prefix = Prefix(store);
        Session session = NewSession(NewUser(), Start);
        await store.CreateAsync(session, SessionLimit.None, Start, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Start);
        IDatabase db = fixture.Multiplexer!.GetDatabase();

        await store.CreateRefreshFamilyAsync(family, Start, TestContext.Current.CancellationToken);

        string h = RedisKeys.UserHash(session.UserId);
        RedisKey familyKey = prefix + "{u:" + h + "}:f:" + family.FamilyId;
        Assert.Equal(family.CurrentTokenHash, (string?)await db.HashGetAsync(familyKey, "cur"));
        Assert.Equal(h + family.FamilyId, (string?)await db.StringGetAsync(prefix + "rt:" + family.CurrentTokenHash));
        Assert.Equal(h, (string?)await db.StringGetAsync(prefix + "fam:" + family.FamilyId));
        AssertExpiry(TimeSpan.FromDays(7) + Grace, await db.KeyTimeToLiveAsync(familyKey));
    }

    private static string Prefix(RedisSessionStore store) => store.KeyPrefix;

    private static void AssertExpiry(TimeSpan expected, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected - TimeSpan.FromSeconds(30), expected);
    }
}
