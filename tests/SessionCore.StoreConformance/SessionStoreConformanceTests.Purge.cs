using System;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Purge: exactly the records Session.IsPurgeableAt and RefreshFamily.IsPurgeableAt allow, with every index entry.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task Purge_MixedRecords_DeletesExactlyThePurgeableOnes()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        DateTimeOffset now = T0.AddHours(2);
        Session live = await InsertAsync(store, NewSession(user, T0.AddHours(1).AddMinutes(45)));
        Session idleExpired = await InsertAsync(store, NewSession(user));
        Session absoluteExpired = await InsertAsync(store, NewSession(user, T0.AddHours(-10), idle: TimeSpan.FromHours(13), absolute: TimeSpan.FromHours(12)));
        Session revokedRecent = await InsertAsync(store, NewSession(user, T0.AddHours(1).AddMinutes(50)));
        await store.RevokeAsync(revokedRecent.Id, null, RevocationReason.Logout, T0.AddHours(1).AddMinutes(55), Ct);
        Session revokedOld = await InsertAsync(store, NewSession(user, T0.AddHours(-10)));
        await store.RevokeAsync(revokedOld.Id, null, RevocationReason.Logout, T0.AddHours(-9), Ct);

        Session holder = await InsertAsync(store, NewSession(user, T0.AddHours(-1), idle: TimeSpan.FromHours(4)));
        RefreshFamily expiring = await IssueAsync(store, FamilyCreation(holder, T0.AddHours(-1), lifetime: TimeSpan.FromHours(3), rules: LongRules));
        RefreshRedemption r1 = Redemption(expiring.CurrentTokenHash, T0.AddMinutes(-30), rules: LongRules);
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r1, Ct)).Status);
        RefreshRedemption r2 = Redemption(r1.SuccessorTokenHash, T0.AddMinutes(-20), rules: LongRules);
        RefreshFamily dying = (await store.RedeemRefreshTokenAsync(r2, Ct)).Family!;
        Session holder2 = await InsertAsync(store, NewSession(user, T0.AddHours(1), idle: TimeSpan.FromHours(4)));
        RefreshFamily liveFamily = await IssueAsync(store, FamilyCreation(holder2, T0.AddHours(1), rules: LongRules));
        RefreshFamily endingNow = await IssueAsync(store, FamilyCreation(holder2, T0.AddHours(1), lifetime: TimeSpan.FromHours(1), rules: LongRules));

        // 1 idle-expired + 1 absolute-expired + 1 old revoked session, 2 expired families; holder and holder2 are live.
        int purged = await store.PurgeExpiredAsync(now, Ct);

        Assert.Equal(5, purged);
        Assert.NotNull(await store.FindAsync(live.Id, Ct));
        Assert.NotNull(await store.FindAsync(revokedRecent.Id, Ct));
        Assert.NotNull(await store.FindAsync(holder.Id, Ct));
        Assert.Null(await store.FindAsync(idleExpired.Id, Ct));
        Assert.Null(await store.FindAsync(absoluteExpired.Id, Ct));
        Assert.Null(await store.FindAsync(revokedOld.Id, Ct));
        foreach (RefreshTokenHash hash in new[] { dying.CurrentTokenHash, dying.PreviousTokenHash!.Value, dying.SpentTokenHashes[0], endingNow.CurrentTokenHash })
        {
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(hash, Ct));
        }

        Assert.NotNull(await store.FindRefreshFamilyByTokenAsync(liveFamily.CurrentTokenHash, Ct));
        Assert.Equal(0, await store.PurgeExpiredAsync(now, Ct));
    }

    [Fact]
    public virtual async Task Purge_PurgedRecords_LeaveNoIndexEntryBehind()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session holder = await InsertAsync(store, NewSession(user, idle: Absolute));
        RefreshFamily expired = await IssueAsync(store, FamilyCreation(holder, lifetime: TimeSpan.FromHours(1), rules: LongRules));
        RefreshRedemption rotation = Redemption(expired.CurrentTokenHash, T0.AddMinutes(10), rules: LongRules);
        await store.RedeemRefreshTokenAsync(rotation, Ct);
        RefreshFamily liveFamily = await IssueAsync(store, FamilyCreation(holder, T0.AddMinutes(30), rules: LongRules));
        Session gone = await InsertAsync(store, NewSession(user));
        RefreshFamily orphan = await IssueAsync(store, FamilyCreation(gone, idle: TimeSpan.FromMinutes(10), lifetime: TimeSpan.FromMinutes(20)));
        DateTimeOffset now = T0.AddHours(2);

        Assert.Equal(3, await store.PurgeExpiredAsync(now, Ct));

        // The token index: every hash of a purged family is unknown, to a redemption as much as to a lookup.
        foreach (RefreshTokenHash hash in new[] { expired.CurrentTokenHash, rotation.SuccessorTokenHash, orphan.CurrentTokenHash })
        {
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(hash, Ct));
            RefreshRedeemResult redeemed = await store.RedeemRefreshTokenAsync(Redemption(hash, now, rules: LongRules), Ct);
            Assert.Equal(RefreshRedeemStatus.NotFound, redeemed.Status);
            Assert.Null(await store.RevokeRefreshFamilyAsync(hash, RevocationReason.Logout, now, Ct));
        }

        // Nothing of the purged families is left to collide with: their ids and hashes can be taken again.
        RefreshFamily reusedSpent = await IssueAsync(store, FamilyCreation(holder, now, rules: LongRules) with { FamilyId = orphan.FamilyId, TokenHash = expired.CurrentTokenHash });
        RefreshFamily reusedCurrent = await IssueAsync(store, FamilyCreation(holder, now, rules: LongRules) with { FamilyId = expired.FamilyId, TokenHash = rotation.SuccessorTokenHash });
        Assert.Equal(orphan.FamilyId, (await store.FindRefreshFamilyByTokenAsync(expired.CurrentTokenHash, Ct))!.FamilyId);
        Assert.Equal(0, (await store.FindRefreshFamilyByTokenAsync(rotation.SuccessorTokenHash, Ct))!.Generation);

        // The user's and the session's indexes: the survivors are still reached through them, the purged ones are not.
        Assert.Equal(SessionValidationStatus.NotFound, await StatusAsync(store, gone.Id, now));
        AssertSameIds([holder.Id], ListedIds(await store.ListUserSessionsAsync(user, LongRules, now, Ct)));
        UserRevocationResult revoked = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.Logout, now), Ct);
        AssertSameIds([holder.Id], revoked.Revoked);
        foreach (RefreshFamily family in new[] { liveFamily, reusedSpent, reusedCurrent })
        {
            Assert.Equal(RevocationReason.Logout, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.RevocationReason);
        }
    }

    [Fact]
    public virtual async Task Purge_NeverForgetsTheUsersEpochOrDevices()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        await InsertAsync(store, NewSession(user));
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with { AdvanceEpoch = true }, Ct);
        await store.RememberDeviceAsync(user, NewDevice("laptop", T0), 3, Ct);

        await store.PurgeExpiredAsync(T0.AddDays(30), Ct);

        // An epoch that fell back to 0 would revive every access token issued before the invalidation.
        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Single(state.KnownDevices);
    }
}
