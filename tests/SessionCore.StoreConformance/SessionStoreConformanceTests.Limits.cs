using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Create_EvictOldestAtLimit_RevokesLeastRecentlySeen()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(2, SessionLimitMode.EvictOldest);
        Session first = await InsertAsync(store, NewSession(user, T0));
        Session second = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));
        Assert.True(await store.TouchAsync(first.Id, first.Version, T0.AddMinutes(2), T0.AddMinutes(32), Ct));
        Session third = NewSession(user, T0.AddMinutes(3));

        SessionCreateResult result = await store.CreateAsync(third, limit, T0.AddMinutes(3), Ct);

        Assert.True(result.Created);
        Assert.Equal([second.Id], result.Evicted);
        Session? evicted = await store.FindAsync(second.Id, Ct);
        Assert.Equal(RevocationReason.Evicted, evicted!.RevocationReason);
        Assert.Equal(T0.AddMinutes(3), evicted.RevokedAt);
        Assert.Equal(new[] { first.Id, third.Id }.Order(IdComparer), (await store.ListUserSessionsAsync(user, T0.AddMinutes(3), Ct)).Select(s => s.Id).Order(IdComparer));
    }

    [Fact]
    public async Task Create_EvictOldest_RevokesEvictedSessionsFamilies()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session first = await InsertAsync(store, NewSession(user, T0));
        RefreshFamily family = await InsertAsync(store, NewFamily(first));

        SessionCreateResult result = await store.CreateAsync(NewSession(user, T0.AddMinutes(1)), new SessionLimit(1, SessionLimitMode.EvictOldest), T0.AddMinutes(1), Ct);

        Assert.Equal([first.Id], result.Evicted);
        RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        Assert.True(found!.IsRevoked);
        Assert.Equal(RevocationReason.Evicted, found.RevocationReason);
    }

    [Fact]
    public async Task Create_RejectNewAtLimit_WritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(2, SessionLimitMode.RejectNew);
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));
        Session rejected = NewSession(user, T0.AddMinutes(1));

        SessionCreateResult result = await store.CreateAsync(rejected, limit, T0.AddMinutes(1), Ct);

        Assert.False(result.Created);
        Assert.Empty(result.Evicted);
        Assert.Null(await store.FindAsync(rejected.Id, Ct));
        Assert.False((await store.FindAsync(a.Id, Ct))!.IsRevoked);
        Assert.False((await store.FindAsync(b.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public async Task Create_LimitWithDeadSessions_CountsOnlyLiveOnes()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(2, SessionLimitMode.RejectNew);
        Session revoked = await InsertAsync(store, NewSession(user));
        Assert.True(await store.RevokeAsync(revoked.Id, RevocationReason.Logout, T0, Ct));
        await InsertAsync(store, NewSession(user, T0.AddHours(-1)));           // idle-expired by T0 + 1 minute
        await InsertAsync(store, NewSession(user, T0));
        await InsertAsync(store, NewSession(NewUserId(), T0));                  // another user's session does not count

        SessionCreateResult result = await store.CreateAsync(NewSession(user, T0.AddMinutes(1)), limit, T0.AddMinutes(1), Ct);

        Assert.True(result.Created);
        Assert.Equal(2, (await store.ListUserSessionsAsync(user, T0.AddMinutes(1), Ct)).Count);
    }

    [Theory]
    [InlineData(SessionLimitMode.EvictOldest)]
    [InlineData(SessionLimitMode.RejectNew)]
    public async Task Create_50ParallelWithLimit3_LeavesExactly3Live(SessionLimitMode mode)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(3, mode);
        DateTimeOffset now = T0.AddMinutes(1);
        Session[] sessions = [.. Enumerable.Range(0, 50).Select(i => NewSession(user, now) with { LastSeenAt = now.AddTicks(-i) })];

        SessionCreateResult[] results = await RunInParallelAsync(sessions.Length, i => store.CreateAsync(sessions[i], limit, now, Ct));

        IReadOnlyList<Session> live = await store.ListUserSessionsAsync(user, now, Ct);
        Assert.Equal(3, live.Count);
        HashSet<SessionId> liveIds = [.. live.Select(s => s.Id)];
        if (mode == SessionLimitMode.RejectNew)
        {
            Assert.Equal(3, results.Count(r => r.Created));
            Assert.All(results, r => Assert.Empty(r.Evicted));
            for (int i = 0; i < sessions.Length; i++)
            {
                Session? found = await store.FindAsync(sessions[i].Id, Ct);
                Assert.Equal(results[i].Created, found is not null);
            }
        }
        else
        {
            Assert.All(results, r => Assert.True(r.Created));
            List<SessionId> evicted = [.. results.SelectMany(r => r.Evicted)];
            Assert.Equal(47, evicted.Count);
            Assert.Equal(47, evicted.Distinct().Count());
            Assert.DoesNotContain(evicted, liveIds.Contains);
            foreach (SessionId id in evicted)
            {
                Assert.Equal(RevocationReason.Evicted, (await store.FindAsync(id, Ct))!.RevocationReason);
            }
        }
    }

    [Fact]
    public async Task CreateAndRevokeAll_Racing_NoSessionOlderThanTheRevocationSurvives()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(5, SessionLimitMode.EvictOldest);
        Session[] before = [.. Enumerable.Range(0, 5).Select(_ => NewSession(user))];
        foreach (Session s in before)
        {
            await InsertAsync(store, s);
        }

        Session[] racing = [.. Enumerable.Range(0, 20).Select(_ => NewSession(user, T0.AddMinutes(1)))];
        Task<IReadOnlyList<SessionId>> revokeAll = Task.Run(async () => await store.RevokeUserSessionsAsync(user, null, RevocationReason.PasswordChanged, T0.AddMinutes(1), Ct));
        SessionCreateResult[] created = await RunInParallelAsync(racing.Length, i => store.CreateAsync(racing[i], limit, T0.AddMinutes(1), Ct));
        IReadOnlyList<SessionId> revokedIds = await revokeAll;

        Assert.All(created, r => Assert.True(r.Created));

        // Whatever the interleaving, the final state must be one the revocation explains. Until the revocation
        // the user had exactly the limit of live sessions (five inserted, then each create evicting down to the
        // limit as one step), so the revocation revoked exactly that many, whichever they were.
        HashSet<SessionId> revoked = [.. revokedIds];
        Assert.Equal(revokedIds.Count, revoked.Count);
        Assert.Equal(limit.MaxSessions, revoked.Count);
        HashSet<SessionId> known = [.. before.Concat(racing).Select(s => s.Id)];
        Assert.Subset(known, revoked);

        HashSet<SessionId> racingIds = [.. racing.Select(s => s.Id)];
        foreach (Session s in before.Concat(racing))
        {
            Session stored = (await store.FindAsync(s.Id, Ct))!;
            Assert.NotNull(stored);
            if (revoked.Contains(s.Id))
            {
                // Returned by the revocation: revoked by it, not evicted before or after.
                Assert.True(stored.IsRevoked);
                Assert.Equal(RevocationReason.PasswordChanged, stored.RevocationReason);
            }
            else if (stored.RevocationReason == RevocationReason.Evicted)
            {
                Assert.True(stored.IsRevoked);
            }
            else
            {
                // Neither revoked by the revocation nor evicted: it can only have been created after the
                // revocation, so it is one of the racing sessions and it is live. A session that was live
                // before it (every one of `before`, at least) never gets here.
                Assert.Contains(s.Id, racingIds);
                Assert.False(stored.IsRevoked);
                Assert.True(stored.IsLiveAt(T0.AddMinutes(1)));
            }
        }

        Assert.True((await store.ListUserSessionsAsync(user, T0.AddMinutes(1), Ct)).Count <= limit.MaxSessions);
    }
}
