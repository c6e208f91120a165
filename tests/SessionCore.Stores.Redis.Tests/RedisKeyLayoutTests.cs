using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores.Redis.Internal;
using SessionCore.Tokens;
using StackExchange.Redis;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>Pins the key layout, native expiries and bounded records that docs/stores/redis.md describes.</summary>
[Trait("Category", "Integration")]
public sealed class RedisKeyLayoutTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Create_WritesDocumentedKeysWithExpiryRelativeToNow()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string prefix = store.KeyPrefix;
        Session session = NewSession("user {with braces}", Start);
        IDatabase db = fixture.Multiplexer!.GetDatabase();
        await store.RevokeUserSessionsAsync(Revocation(session.UserId, Start) with { AdvanceEpoch = true }, ct);

        await store.CreateAsync(Creation(session), ct);

        string h = RedisKeys.UserHash(session.UserId);
        Assert.Equal(22, h.Length);
        RedisKey sessionKey = prefix + "{u:" + h + "}:s:" + session.Id;
        Assert.Equal(session.UserId, (string?)await db.HashGetAsync(sessionKey, "uid"));
        Assert.Equal(Ticks(session.IdleExpiresAt), (string?)await db.HashGetAsync(sessionKey, "ie"));
        Assert.Equal("1", (string?)await db.HashGetAsync(sessionKey, "ep"));
        Assert.Equal("1", (string?)await db.HashGetAsync(prefix + "{u:" + h + "}:sec", "ep"));
        Assert.Equal(h, (string?)await db.StringGetAsync(prefix + "sid:" + session.Id));
        Assert.Equal(Millis(session.IdleExpiresAt), await db.SortedSetScoreAsync(prefix + "{u:" + h + "}:ss", session.Id.ToString()));
        AssertExpiry(TimeSpan.FromMinutes(30) + Grace, await db.KeyTimeToLiveAsync(sessionKey));
        AssertExpiry(TimeSpan.FromHours(12) + Grace, await db.KeyTimeToLiveAsync(prefix + "sid:" + session.Id));

        // A revoked session is kept until its absolute expiry, in the index of revoked sessions.
        await store.RevokeAsync(session.Id, null, RevocationReason.Logout, Start.AddHours(2), ct);
        AssertExpiry(TimeSpan.FromHours(10) + Grace, await db.KeyTimeToLiveAsync(sessionKey));
        Assert.Null(await db.SortedSetScoreAsync(prefix + "{u:" + h + "}:ss", session.Id.ToString()));
        Assert.Equal(Millis(session.AbsoluteExpiresAt), await db.SortedSetScoreAsync(prefix + "{u:" + h + "}:sr", session.Id.ToString()));
    }

    [Fact]
    public async Task CreateRefreshFamily_WritesFamilyIndexesAndPointer()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string prefix = store.KeyPrefix;
        Session session = NewSession(NewUser(), Start);
        await store.CreateAsync(Creation(session), ct);
        RefreshFamilyCreation creation = FamilyCreation(session.Id, Start) with { ClientId = "client", KeyThumbprint = "jkt" };
        IDatabase db = fixture.Multiplexer!.GetDatabase();

        await store.CreateRefreshFamilyAsync(creation, ct);

        string h = RedisKeys.UserHash(session.UserId);
        RedisKey familyKey = prefix + "{u:" + h + "}:f:" + creation.FamilyId;
        Assert.Equal(creation.TokenHash.ToString(), (string?)await db.HashGetAsync(familyKey, "cur"));
        Assert.Equal("client", (string?)await db.HashGetAsync(familyKey, "cid"));
        Assert.Equal("jkt", (string?)await db.HashGetAsync(familyKey, "kt"));
        Assert.Equal(h + creation.FamilyId, (string?)await db.StringGetAsync(prefix + "rt:" + creation.TokenHash));
        Assert.True(await db.SetContainsAsync(prefix + "{u:" + h + "}:sf:" + session.Id, creation.FamilyId.ToString()));
        Assert.NotNull(await db.SortedSetScoreAsync(prefix + "{u:" + h + "}:fs", creation.FamilyId.ToString()));

        // The family's lifetime is capped at the session's absolute expiry (12 h, not 7 days).
        AssertExpiry(TimeSpan.FromHours(12) + Grace, await db.KeyTimeToLiveAsync(familyKey));
        AssertExpiry(TimeSpan.FromHours(12) + Grace, await db.KeyTimeToLiveAsync(prefix + "rt:" + creation.TokenHash));
    }

    [Fact]
    public async Task Redeem_TwoHundredRotations_KeepsTheRecordAndTheTokenIndexBounded()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string prefix = store.KeyPrefix;
        Session session = NewSession(NewUser(), Start);
        await store.CreateAsync(Creation(session), ct);
        RefreshFamilyCreation creation = FamilyCreation(session.Id, Start);
        await store.CreateRefreshFamilyAsync(creation, ct);
        IDatabase db = fixture.Multiplexer!.GetDatabase();
        RedisKey familyKey = prefix + "{u:" + RedisKeys.UserHash(session.UserId) + "}:f:" + creation.FamilyId;
        List<RefreshTokenHash> hashes = [creation.TokenHash];
        long? sizeAtHundred = null;

        for (int i = 0; i < 200; i++)
        {
            RefreshRedemption redemption = Redeem(hashes[^1], Start.AddSeconds(i));
            Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(redemption, ct)).Status);
            hashes.Add(redemption.SuccessorTokenHash);
            if (i == 99)
            {
                sizeAtHundred = await db.HashStringLengthAsync(familyKey, "sp");
            }
        }

        // Current, previous and 64 spent hashes are indexed; the 134 older ones were dropped when forgotten.
        Assert.Equal(64 * 43, await db.HashStringLengthAsync(familyKey, "sp"));
        Assert.Equal(sizeAtHundred, await db.HashStringLengthAsync(familyKey, "sp"));
        bool[] indexed = await Task.WhenAll(hashes.Select(hash => db.KeyExistsAsync(prefix + "rt:" + hash)));
        Assert.Equal(Enumerable.Repeat(false, 201 - 66).Concat(Enumerable.Repeat(true, 66)), indexed);
        RefreshFamily stored = (await store.FindRefreshFamilyByTokenAsync(hashes[^1], ct))!;
        Assert.Equal(200, stored.Generation);
        Assert.Equal(hashes.Skip(200 - 65).Take(64), stored.SpentTokenHashes);
    }

    [Fact]
    public async Task Redeem_Reuse_CompactsTheFamilyAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Start);
        await store.CreateAsync(Creation(session), ct);
        RefreshFamilyCreation creation = FamilyCreation(session.Id, Start);
        await store.CreateRefreshFamilyAsync(creation, ct);
        IDatabase db = fixture.Multiplexer!.GetDatabase();
        RedisKey familyKey = store.KeyPrefix + "{u:" + RedisKeys.UserHash(session.UserId) + "}:f:" + creation.FamilyId;
        await store.RedeemRefreshTokenAsync(Redeem(creation.TokenHash, Start), ct);
        Assert.True(await db.HashExistsAsync(familyKey, "sl"));

        RefreshRedeemResult reuse = await store.RedeemRefreshTokenAsync(Redeem(creation.TokenHash, Start.AddMinutes(1)), ct);

        Assert.Equal(RefreshRedeemStatus.Reused, reuse.Status);
        Assert.True(reuse.SessionRevoked);
        Assert.False(await db.HashExistsAsync(familyKey, "sl"));
        Assert.True((await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, ct))!.SealedCurrentToken.IsEmpty);
    }

    [Fact]
    public async Task RevokeEverySession_WritesOneKeyThatNeverMovesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        IDatabase db = fixture.Multiplexer!.GetDatabase();

        Assert.Equal(Start, await store.RevokeEverySessionAsync(Start, ct));
        Assert.Equal(Start, await store.RevokeEverySessionAsync(Start.AddTicks(-1), ct));

        Assert.Equal(Ticks(Start), (string?)await db.StringGetAsync(store.KeyPrefix + "rb"));
        Assert.Null(await db.KeyTimeToLiveAsync(store.KeyPrefix + "rb"));
    }

    private static string Ticks(DateTimeOffset value) => value.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static double Millis(DateTimeOffset value) => value.UtcTicks / TimeSpan.TicksPerMillisecond;

    private static void AssertExpiry(TimeSpan expected, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected - TimeSpan.FromSeconds(30), expected);
    }
}
