using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.StoreConformance;

public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task CreateRefreshFamily_LiveSession_FindByTokenReturnsEveryField()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = NewFamily(session) with { CreatedAt = T0.AddTicks(5), CurrentIssuedAt = T0.AddTicks(5) };

        Assert.True(await store.CreateRefreshFamilyAsync(family, T0.AddTicks(5), Ct));

        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(NewHash(), Ct));
    }

    [Fact]
    public async Task CreateRefreshFamily_EmptySealedToken_RoundTripsEmpty()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session) with { SealedCurrentToken = ReadOnlyMemory<byte>.Empty });

        RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);

        Assert.True(found!.SealedCurrentToken.IsEmpty);
    }

    [Fact]
    public async Task CreateRefreshFamily_SessionMissingRevokedOrExpired_ReturnsFalseAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session revoked = await InsertAsync(store, NewSession(user));
        Assert.True(await store.RevokeAsync(revoked.Id, RevocationReason.Logout, T0, Ct));
        Session expired = await InsertAsync(store, NewSession(user));
        RefreshFamily[] families = [NewFamily(NewSession(user)), NewFamily(revoked), NewFamily(expired, T0.AddMinutes(30))];

        Assert.False(await store.CreateRefreshFamilyAsync(families[0], T0, Ct));
        Assert.False(await store.CreateRefreshFamilyAsync(families[1], T0, Ct));
        Assert.False(await store.CreateRefreshFamilyAsync(families[2], T0.AddMinutes(30), Ct));

        foreach (RefreshFamily family in families)
        {
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        }
    }

    [Fact]
    public async Task Redeem_CurrentToken_RotatesExactlyAsRefreshFamilyRotate()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        RefreshRedemption first = Redeem(family.CurrentTokenHash, T0.AddMinutes(10).AddTicks(1));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(first, Ct);

        Assert.Equal(RefreshRedeemStatus.Rotated, result.Status);
        RefreshFamily expected = family.Rotate(first);
        AssertSameFamily(expected, result.Family);
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(first.SuccessorTokenHash, Ct));
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));

        // A second rotation moves the first token into the spent list, and every hash still finds the family.
        RefreshRedemption second = Redeem(first.SuccessorTokenHash, T0.AddMinutes(20));
        RefreshRedeemResult again = await store.RedeemRefreshTokenAsync(second, Ct);
        Assert.Equal(RefreshRedeemStatus.Rotated, again.Status);
        expected = expected.Rotate(second);
        AssertSameFamily(expected, again.Family);
        Assert.Equal([family.CurrentTokenHash], again.Family!.SpentTokenHashes);
        foreach (string hash in new[] { family.CurrentTokenHash, first.SuccessorTokenHash, second.SuccessorTokenHash })
        {
            AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(hash, Ct));
        }
    }

    [Fact]
    public async Task Redeem_SuccessorIdleBeyondFamily_CapsAtAbsoluteExpiry()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: TimeSpan.FromHours(2)));
        RefreshFamily family = await InsertAsync(store, NewFamily(session, absolute: TimeSpan.FromMinutes(90)));
        RefreshRedemption redemption = Redeem(family.CurrentTokenHash, T0.AddMinutes(45)) with { SuccessorIdleExpiresAt = T0.AddHours(5) };

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(family.AbsoluteExpiresAt, result.Family!.CurrentIdleExpiresAt);
        Assert.Equal(family.AbsoluteExpiresAt, (await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct))!.CurrentIdleExpiresAt);
    }

    [Fact]
    public async Task Redeem_UnknownToken_ReturnsNotFound()
    {
        ISessionStore store = await NewStoreAsync();

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redeem(NewHash(), T0), Ct);

        Assert.Equal(RefreshRedeemStatus.NotFound, result.Status);
        Assert.Null(result.Family);
    }

    [Fact]
    public async Task Redeem_PreviousOrSpentToken_ReturnsNotCurrentAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        RefreshRedemption r1 = Redeem(family.CurrentTokenHash, T0.AddMinutes(1));
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r1, Ct)).Status);
        RefreshRedemption r2 = Redeem(r1.SuccessorTokenHash, T0.AddMinutes(2));
        RefreshFamily current = (await store.RedeemRefreshTokenAsync(r2, Ct)).Family!;

        RefreshRedemption replayPrevious = Redeem(r1.SuccessorTokenHash, T0.AddMinutes(3));
        RefreshRedemption replaySpent = Redeem(family.CurrentTokenHash, T0.AddMinutes(3));
        RefreshRedeemResult previous = await store.RedeemRefreshTokenAsync(replayPrevious, Ct);
        RefreshRedeemResult spent = await store.RedeemRefreshTokenAsync(replaySpent, Ct);

        Assert.Equal(RefreshRedeemStatus.NotCurrent, previous.Status);
        Assert.Equal(RefreshRedeemStatus.NotCurrent, spent.Status);
        AssertSameFamily(current, previous.Family);
        AssertSameFamily(current, await store.FindRefreshFamilyByTokenAsync(r2.SuccessorTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(replayPrevious.SuccessorTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(replaySpent.SuccessorTokenHash, Ct));
    }

    [Fact]
    public async Task Redeem_RevokedFamily_ReturnsFamilyRevoked()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        Assert.True(await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.RefreshTokenReuse, T0.AddMinutes(1), Ct));

        RefreshRedemption redemption = Redeem(family.CurrentTokenHash, T0.AddMinutes(2));
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
        Assert.Equal(RevocationReason.RefreshTokenReuse, result.Family!.RevocationReason);
        Assert.True(result.Family.SealedCurrentToken.IsEmpty);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public async Task RevokeRefreshFamily_Twice_OnlyFirstRevokes()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));

        Assert.True(await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, T0.AddMinutes(1), Ct));
        Assert.False(await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Administrative, T0.AddMinutes(2), Ct));
        Assert.False(await store.RevokeRefreshFamilyAsync("no-such-family", RevocationReason.Logout, T0, Ct));

        RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        AssertSameFamily(family.Revoke(RevocationReason.Logout, T0.AddMinutes(1)), found);
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(61, false)]
    [InlineData(480, true)]
    public async Task Redeem_PastIdleOrAbsoluteExpiry_ReturnsExpired(int minutes, bool absolute)
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: TimeSpan.FromHours(12)));

        // Idle 1 hour; absolute 8 hours. The absolute case keeps the token itself unexpired by rotating first.
        RefreshFamily family = await InsertAsync(store, NewFamily(session, idle: TimeSpan.FromHours(1), absolute: TimeSpan.FromHours(8)));
        string presented = family.CurrentTokenHash;
        if (absolute)
        {
            RefreshRedemption r = Redeem(presented, T0.AddMinutes(30)) with { SuccessorIdleExpiresAt = T0.AddHours(20) };
            Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r, Ct)).Status);
            presented = r.SuccessorTokenHash;
        }

        RefreshRedemption redemption = Redeem(presented, T0.AddMinutes(minutes));
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(RefreshRedeemStatus.Expired, result.Status);
        Assert.Equal(presented, result.Family!.CurrentTokenHash);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
    }

    [Fact]
    public async Task Redeem_SessionPastIdleExpiry_ReturnsSessionNotLiveAndSpendsNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session idle = await InsertAsync(store, NewSession(NewUserId(), idle: TimeSpan.FromMinutes(10)));
        RefreshFamily family = await InsertAsync(store, NewFamily(idle, idle: TimeSpan.FromHours(3)));
        RefreshRedemption first = Redeem(family.CurrentTokenHash, T0.AddMinutes(10));

        RefreshRedeemResult atExpiry = await store.RedeemRefreshTokenAsync(first, Ct);
        RefreshRedeemResult later = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, T0.AddMinutes(40)), Ct);

        // Deciding after a swap would spend the token without delivering its successor, so the client's
        // next try would look like reuse of a rotated token.
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, atExpiry.Status);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, later.Status);
        Assert.Equal(0, later.Family!.Generation);
        Assert.Equal(family.CurrentTokenHash, later.Family.CurrentTokenHash);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(first.SuccessorTokenHash, Ct));
    }

    [Fact]
    public async Task Redeem_SessionPastAbsoluteExpiryOrPurged_ReturnsSessionNotLive()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // Families that outlive their sessions cannot be built by the manager, but a store must not trust that.
        Session shortLived = await InsertAsync(store, NewSession(user, absolute: TimeSpan.FromHours(1)));
        RefreshFamily outliving = await InsertAsync(store, NewFamily(shortLived, idle: TimeSpan.FromHours(3), absolute: TimeSpan.FromHours(4)));
        Session purged = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromMinutes(10)));
        RefreshFamily orphan = await InsertAsync(store, NewFamily(purged, idle: TimeSpan.FromHours(3)));
        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddMinutes(20), Ct));

        RefreshRedeemResult pastAbsolute = await store.RedeemRefreshTokenAsync(Redeem(outliving.CurrentTokenHash, T0.AddHours(1)), Ct);
        RefreshRedeemResult missing = await store.RedeemRefreshTokenAsync(Redeem(orphan.CurrentTokenHash, T0.AddMinutes(30)), Ct);

        Assert.Equal(RefreshRedeemStatus.SessionNotLive, pastAbsolute.Status);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, missing.Status);
        Assert.Equal(0, pastAbsolute.Family!.Generation);
        Assert.Equal(0, missing.Family!.Generation);
    }

    [Fact]
    public async Task Redeem_RevokedSession_NeverRotates()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Logout, T0.AddMinutes(1), Ct));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, T0.AddMinutes(2)), Ct);

        Assert.True(result.Status is RefreshRedeemStatus.FamilyRevoked or RefreshRedeemStatus.SessionNotLive);
        Assert.Equal(0, result.Family!.Generation);
    }

    [Fact]
    public async Task RevokeSession_WithFamilies_RevokesEveryFamilyWithSameReason()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        Session other = await InsertAsync(store, NewSession(user));
        RefreshFamily f1 = await InsertAsync(store, NewFamily(session));
        RefreshFamily f2 = await InsertAsync(store, NewFamily(session));
        RefreshFamily untouched = await InsertAsync(store, NewFamily(other));
        RefreshRedemption r = Redeem(f2.CurrentTokenHash, T0.AddMinutes(1));
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r, Ct)).Status);

        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Administrative, T0.AddMinutes(2), Ct));

        foreach (string hash in new[] { f1.CurrentTokenHash, r.SuccessorTokenHash, f2.CurrentTokenHash })
        {
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(hash, Ct);
            Assert.True(found!.IsRevoked);
            Assert.Equal(RevocationReason.Administrative, found.RevocationReason);
            Assert.Equal(T0.AddMinutes(2), found.RevokedAt);
        }

        Assert.False((await store.FindRefreshFamilyByTokenAsync(untouched.CurrentTokenHash, Ct))!.IsRevoked);
        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, (await store.RedeemRefreshTokenAsync(Redeem(r.SuccessorTokenHash, T0.AddMinutes(3)), Ct)).Status);
    }

    [Fact]
    public async Task Redeem_64ParallelRedemptionsOfOneToken_ExactlyOneRotates()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        RefreshRedemption[] redemptions = [.. Enumerable.Range(0, 64).Select(i => Redeem(family.CurrentTokenHash, T0.AddMinutes(1)))];

        RefreshRedeemResult[] results = await RunInParallelAsync(redemptions.Length, i => store.RedeemRefreshTokenAsync(redemptions[i], Ct));

        Assert.Single(results, r => r.Status == RefreshRedeemStatus.Rotated);
        Assert.Equal(63, results.Count(r => r.Status == RefreshRedeemStatus.NotCurrent));
        int winner = Array.FindIndex(results, r => r.Status == RefreshRedeemStatus.Rotated);
        RefreshFamily? stored = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        AssertSameFamily(family.Rotate(redemptions[winner]), stored);
        Assert.Equal(redemptions[winner].SuccessorTokenHash, stored!.CurrentTokenHash);
        for (int i = 0; i < redemptions.Length; i++)
        {
            if (i != winner)
            {
                Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemptions[i].SuccessorTokenHash, Ct));
            }
        }
    }

    [Fact]
    public async Task Redeem_ParallelChains_NeverForkTheFamily()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: TimeSpan.FromHours(12)));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        List<string> installed = [family.CurrentTokenHash];
        object gate = new();

        // Eight clients keep redeeming whatever they last saw as current; each rotation must extend one chain.
        await RunInParallelAsync(8, async worker =>
        {
            string presented = family.CurrentTokenHash;
            for (int step = 0; step < 20; step++)
            {
                RefreshRedemption r = Redeem(presented, T0.AddMinutes(1));
                RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(r, Ct);
                if (result.Status == RefreshRedeemStatus.Rotated)
                {
                    lock (gate)
                    {
                        installed.Add(r.SuccessorTokenHash);
                    }
                }

                Assert.True(result.Status is RefreshRedeemStatus.Rotated or RefreshRedeemStatus.NotCurrent);
                presented = result.Family!.CurrentTokenHash;
            }

            return 0;
        });

        RefreshFamily? final = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        Assert.Equal(installed.Count - 1, final!.Generation);
        List<string> chain = [.. final.SpentTokenHashes, final.PreviousTokenHash!, final.CurrentTokenHash];
        Assert.Equal(installed.Order(StringComparer.Ordinal), chain.Order(StringComparer.Ordinal));
        Assert.Equal(chain.Count, chain.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task CreateRefreshFamilyAndRevokeSession_Racing_NoFamilyOutlivesItsSession()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session[] sessions = new Session[24];
        for (int i = 0; i < sessions.Length; i++)
        {
            sessions[i] = await InsertAsync(store, NewSession(user));
        }

        RefreshFamily[] families = [.. sessions.Select(s => NewFamily(s, T0.AddMinutes(1)))];

        // Even indexes create the family, odd ones revoke the session; pairs race each other.
        bool[] results = await RunInParallelAsync(sessions.Length * 2, async i => i % 2 == 0
            ? await store.CreateRefreshFamilyAsync(families[i / 2], T0.AddMinutes(1), Ct)
            : await store.RevokeAsync(sessions[i / 2].Id, RevocationReason.Logout, T0.AddMinutes(1), Ct));

        for (int i = 0; i < sessions.Length; i++)
        {
            Assert.True(results[(2 * i) + 1]);
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(families[i].CurrentTokenHash, Ct);
            Assert.Equal(results[2 * i], found is not null);
            Assert.True(found is null || found.IsRevoked);
        }
    }

    [Fact]
    public async Task RevokeAllAndRedeem_Racing_NoFamilyOfTheUserSurvives()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        List<RefreshFamily> families = [];
        for (int i = 0; i < 4; i++)
        {
            Session session = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromHours(12)));
            families.Add(await InsertAsync(store, NewFamily(session)));
            families.Add(await InsertAsync(store, NewFamily(session)));
        }

        Task<IReadOnlyList<Tokens.SessionId>> revokeAll = Task.Run(async () =>
        {
            await Task.Yield();
            return await store.RevokeUserSessionsAsync(user, null, RevocationReason.SuspectedBreach, T0.AddMinutes(1), Ct);
        });
        string[] last = await RunInParallelAsync(families.Count, async i =>
        {
            string presented = families[i].CurrentTokenHash;
            for (int step = 0; step < 25; step++)
            {
                RefreshRedemption r = Redeem(presented, T0.AddMinutes(1));
                RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(r, Ct);
                if (result.Status != RefreshRedeemStatus.Rotated)
                {
                    Assert.True(result.Status is RefreshRedeemStatus.FamilyRevoked or RefreshRedeemStatus.SessionNotLive);
                    break;
                }

                presented = r.SuccessorTokenHash;
            }

            return presented;
        });
        Assert.Equal(4, (await revokeAll).Count);

        foreach (string hash in last)
        {
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(hash, Ct);
            Assert.True(found!.IsRevoked);
            Assert.Equal(hash, found.CurrentTokenHash);
            Assert.NotEqual(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(Redeem(hash, T0.AddMinutes(2)), Ct)).Status);
        }
    }
}
