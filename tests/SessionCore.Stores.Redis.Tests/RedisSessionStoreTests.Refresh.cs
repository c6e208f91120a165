using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

public sealed partial class RedisSessionStoreTests
{
    [Fact]
    public async Task CreateRefreshFamily_LiveSession_StoresFamilyExactly()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Now);

        Assert.True(await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken));

        Equal(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateRefreshFamilyAsync(NewFamily(session, Now) with { CurrentTokenHash = family.CurrentTokenHash }, Now, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateRefreshFamily_SessionMissingRevokedOrExpired_WritesNothing()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session revoked = NewSession(NewUser(), Now);
        await store.CreateAsync(revoked, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await store.RevokeAsync(revoked.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);
        Session expiring = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(5));
        await store.CreateAsync(expiring, SessionLimit.None, Now, TestContext.Current.CancellationToken);

        RefreshFamily missing = NewFamily(NewSession(NewUser(), Now), Now);
        RefreshFamily ofRevoked = NewFamily(revoked, Now);
        RefreshFamily ofExpired = NewFamily(expiring, Now);

        Assert.False(await store.CreateRefreshFamilyAsync(missing, Now, TestContext.Current.CancellationToken));
        Assert.False(await store.CreateRefreshFamilyAsync(ofRevoked, Now, TestContext.Current.CancellationToken));
        Assert.False(await store.CreateRefreshFamilyAsync(ofExpired, Now.AddMinutes(5), TestContext.Current.CancellationToken));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(ofRevoked.CurrentTokenHash, TestContext.Current.CancellationToken));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(ofExpired.CurrentTokenHash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Redeem_Current_WritesExactlyWhatRotateDefines()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();
        RefreshFamily expected = family;
        string presented = family.CurrentTokenHash;
        for (int i = 1; i <= 4; i++)
        {
            DateTimeOffset at = Now.AddMinutes(i).AddTicks(i);
            RefreshRedemption redemption = Redeem(presented, at) with { SealedSuccessor = i == 3 ? ReadOnlyMemory<byte>.Empty : new byte[] { 0, 1, 2, (byte)i } };

            RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, TestContext.Current.CancellationToken);

            expected = expected.Rotate(redemption);
            Assert.Equal(RefreshRedeemStatus.Rotated, result.Status);
            Equal(expected, result.Family);
            Equal(expected, await store.FindRefreshFamilyByTokenAsync(presented, TestContext.Current.CancellationToken));
            presented = redemption.SuccessorTokenHash;
        }

        Assert.Equal(4, expected.Generation);
        Assert.Equal(3, expected.SpentTokenHashes.Count);
        foreach (string spent in expected.SpentTokenHashes)
        {
            Equal(expected, await store.FindRefreshFamilyByTokenAsync(spent, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Redeem_SuccessorIdleBeyondFamily_IsCappedAtAbsoluteExpiry()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();
        RefreshRedemption redemption = Redeem(family.CurrentTokenHash, Now) with { SuccessorIdleExpiresAt = family.AbsoluteExpiresAt.AddDays(3) };

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, TestContext.Current.CancellationToken);

        Assert.Equal(family.AbsoluteExpiresAt, result.Family!.CurrentIdleExpiresAt);
        Equal(family.Rotate(redemption), result.Family);
    }

    [Fact]
    public async Task Redeem_PreviousOrSpent_IsNotCurrentAndChangesNothing()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();
        RefreshRedemption first = Redeem(family.CurrentTokenHash, Now);
        await store.RedeemRefreshTokenAsync(first, TestContext.Current.CancellationToken);
        RefreshRedemption second = Redeem(first.SuccessorTokenHash, Now.AddMinutes(1));
        await store.RedeemRefreshTokenAsync(second, TestContext.Current.CancellationToken);
        RefreshFamily expected = family.Rotate(first).Rotate(second);

        RefreshRedeemResult previous = await store.RedeemRefreshTokenAsync(Redeem(first.SuccessorTokenHash, Now.AddMinutes(2)), TestContext.Current.CancellationToken);
        RefreshRedeemResult spent = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, Now.AddMinutes(2)), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.NotCurrent, previous.Status);
        Assert.Equal(RefreshRedeemStatus.NotCurrent, spent.Status);
        Equal(expected, previous.Family);
        Equal(expected, spent.Family);
        Equal(expected, await store.FindRefreshFamilyByTokenAsync(second.SuccessorTokenHash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Redeem_UnknownHash_IsNotFound()
    {
        (RedisSessionStore store, _) = await StoreWithFamilyAsync();

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redeem(NewHash(), Now), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.NotFound, result.Status);
        Assert.Null(result.Family);
    }

    [Fact]
    public async Task Redeem_RevokedFamily_IsFamilyRevoked()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();
        Assert.True(await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.RefreshTokenReuse, Now, TestContext.Current.CancellationToken));
        Assert.False(await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, Now, TestContext.Current.CancellationToken));
        Assert.False(await store.RevokeRefreshFamilyAsync("no-such-family", RevocationReason.Logout, Now, TestContext.Current.CancellationToken));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, Now), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
        Equal(family.Revoke(RevocationReason.RefreshTokenReuse, Now), result.Family);
        Assert.True(result.Family!.SealedCurrentToken.IsEmpty);
    }

    [Fact]
    public async Task Redeem_PastIdleOrAbsoluteExpiry_IsExpired()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync(sessionLifetime: TimeSpan.FromDays(30));
        RefreshRedeemResult pastAbsolute = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, family.AbsoluteExpiresAt), TestContext.Current.CancellationToken);
        Assert.Equal(RefreshRedeemStatus.Expired, pastAbsolute.Status);


        RefreshRedeemResult atIdle = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, family.CurrentIdleExpiresAt), TestContext.Current.CancellationToken);
        RefreshRedeemResult beforeIdle = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, family.CurrentIdleExpiresAt.AddTicks(-1)), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.Expired, atIdle.Status);
        Assert.Equal(RefreshRedeemStatus.Rotated, beforeIdle.Status);
    }

    [Fact]
    public async Task Redeem_SessionPastAbsoluteOrPurged_IsSessionNotLive()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync(sessionLifetime: TimeSpan.FromHours(2));
        DateTimeOffset late = Now.AddHours(2);

        RefreshRedeemResult pastAbsolute = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, late), TestContext.Current.CancellationToken);
        await store.PurgeExpiredAsync(late, TestContext.Current.CancellationToken);
        RefreshRedeemResult purged = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, late), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.SessionNotLive, pastAbsolute.Status);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, purged.Status);
        Assert.Null(await store.FindAsync(family.SessionId, TestContext.Current.CancellationToken));
        Equal(family, purged.Family);
    }

    [Fact]
    public async Task Redeem_AfterSessionRevoked_IsFamilyRevoked()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();
        await store.RevokeAsync(family.SessionId, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, Now), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
        Assert.Equal(RevocationReason.Logout, result.Family!.RevocationReason);
    }

    [Fact]
    public async Task Redeem_SixtyFourInParallel_ExactlyOneRotates()
    {
        (RedisSessionStore store, RefreshFamily family) = await StoreWithFamilyAsync();

        RefreshRedeemResult[] results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(async () => await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, Now), TestContext.Current.CancellationToken))));

        RefreshRedeemResult winner = Assert.Single(results, r => r.Status == RefreshRedeemStatus.Rotated);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(RefreshRedeemStatus.NotCurrent, r.Status));
        RefreshFamily stored = (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken))!;
        Assert.Equal(1, stored.Generation);
        Assert.Equal(winner.Family!.CurrentTokenHash, stored.CurrentTokenHash);
    }

    private async Task<(RedisSessionStore Store, RefreshFamily Family)> StoreWithFamilyAsync(TimeSpan? sessionLifetime = null)
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now, idle: sessionLifetime, absolute: sessionLifetime);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Now);
        Assert.True(await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken));
        return (store, family);
    }
}
