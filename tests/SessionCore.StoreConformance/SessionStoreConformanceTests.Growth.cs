using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Bounded families: record size and redemption cost do not grow with the number of rotations.
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>How many rotations the growth case performs.</summary>
    protected const int GrowthRotations = 10_000;

    [Fact]
    public virtual async Task Redeem_10000Rotations_FamilyStaysBoundedAndRecentSpentTokensAreStillReuse()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, lifetime: TimeSpan.FromHours(11), idle: TimeSpan.FromHours(11), rules: LongRules));

        // Every hash ever current, oldest first; rotations a millisecond apart, so the session and the family stay live.
        List<RefreshTokenHash> chain = [family.CurrentTokenHash];
        long? sizeWhenFull = null;
        int capacity = RefreshFamily.SpentTokenCapacity;
        for (int i = 1; i <= GrowthRotations; i++)
        {
            RefreshRedemption redemption = Redemption(chain[^1], T0.AddMilliseconds(i), rules: LongRules);
            RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);
            Assert.Equal(RefreshRedeemStatus.Rotated, result.Status);
            chain.Add(redemption.SuccessorTokenHash);
            family = result.Family!;
            if (i == capacity + 2)
            {
                // From here on the spent list is full: every later rotation replaces, nothing is added.
                sizeWhenFull = await GetStoredFamilySizeAsync(store, family);
            }
        }

        // The record: current, previous and the most recent spent hashes, never more.
        RefreshFamily stored = (await store.FindRefreshFamilyByTokenAsync(chain[^1], Ct))!;
        Assert.Equal(GrowthRotations, stored.Generation);
        Assert.Equal(capacity, stored.SpentTokenHashes.Count);
        Assert.Equal(capacity + 2, stored.TokenHashes.Count());
        Assert.Equal(chain[^2], stored.PreviousTokenHash);
        Assert.Equal(chain.Skip(chain.Count - 2 - capacity).Take(capacity), stored.SpentTokenHashes);

        // The size the backend reports, when the adapter can tell: flat between a full record and the last one (a few
        // bytes of slack for counters that need more digits).
        long? sizeAtEnd = await GetStoredFamilySizeAsync(store, stored);
        Assert.Equal(sizeWhenFull is null, sizeAtEnd is null);
        if (sizeWhenFull is long full && sizeAtEnd is long end)
        {
            Assert.InRange(end, 1, full + 64);
        }

        // The index: every remembered hash finds the family; a forgotten one finds nothing, anywhere in the chain.
        for (int back = 1; back <= capacity + 1; back++)
        {
            Assert.Equal(family.FamilyId, (await store.FindRefreshFamilyByTokenAsync(chain[^(1 + back)], Ct))!.FamilyId);
        }

        int firstForgotten = chain.Count - 1 - (capacity + 2);
        for (int i = firstForgotten; i >= 0; i -= 97)
        {
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(chain[i], Ct));
        }

        Assert.Null(await store.FindRefreshFamilyByTokenAsync(chain[0], Ct));

        // A forgotten token is unknown and revokes nothing; the oldest remembered one is still reuse.
        DateTimeOffset now = T0.AddMilliseconds(GrowthRotations).AddMinutes(1);
        RefreshRedeemResult forgotten = await store.RedeemRefreshTokenAsync(Redemption(chain[firstForgotten], now, rules: LongRules), Ct);
        Assert.Equal(RefreshRedeemStatus.NotFound, forgotten.Status);
        AssertSameFamily(stored, await store.FindRefreshFamilyByTokenAsync(chain[^1], Ct));
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);

        RefreshRedeemResult reused = await store.RedeemRefreshTokenAsync(Redemption(chain[firstForgotten + 1], now, rules: LongRules), Ct);
        Assert.Equal(RefreshRedeemStatus.Reused, reused.Status);
        Assert.True(reused.SessionRevoked);
        Assert.True((await store.FindRefreshFamilyByTokenAsync(chain[^1], Ct))!.IsRevoked);
    }

    [Fact]
    public virtual async Task Redeem_RememberedSpentTokensAtEveryDepth_AreReuse()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        int capacity = RefreshFamily.SpentTokenCapacity;

        // One family per position, each rotated past its capacity; in family k the k-th most recent spent token is replayed.
        int[] positions = [1, 2, capacity / 2, capacity, capacity + 1];
        foreach (int back in positions)
        {
            Session session = await InsertAsync(store, NewSession(user, idle: Absolute));
            RefreshFamily family = await IssueAsync(store, FamilyCreation(session, lifetime: TimeSpan.FromHours(11), idle: TimeSpan.FromHours(11), rules: LongRules));
            List<RefreshTokenHash> chain = [family.CurrentTokenHash];
            for (int i = 1; i <= capacity + 10; i++)
            {
                RefreshRedemption redemption = Redemption(chain[^1], T0.AddMilliseconds(i), rules: LongRules);
                Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(redemption, Ct)).Status);
                chain.Add(redemption.SuccessorTokenHash);
            }

            RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(chain[^(1 + back)], T0.AddMinutes(1), rules: LongRules), Ct);

            Assert.Equal(RefreshRedeemStatus.Reused, result.Status);
            Assert.True(result.SessionRevoked);
        }
    }
}
