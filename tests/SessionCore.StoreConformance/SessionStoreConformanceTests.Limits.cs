using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// The concurrent-session limit, enforced in the same step as the insert: who counts, who is evicted, in which order.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task Create_EvictOldestAtTheLimit_RevokesTheLeastRecentlySeenWithItsFamilies()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(2, SessionLimitMode.EvictOldest);
        Session first = await InsertAsync(store, NewSession(user, T0));
        Session second = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(second, T0.AddMinutes(1)));
        Assert.Equal(T0.AddMinutes(2), (await store.ValidateAsync(first.Id, Rules, T0.AddMinutes(2), touch: true, Ct)).Session!.LastSeenAt);
        Session third = NewSession(user, T0.AddMinutes(3));

        SessionCreateResult result = await store.CreateAsync(Creation(third) with { Limit = limit }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.Equal([second.Id], result.Evicted);
        Session? evicted = await store.FindAsync(second.Id, Ct);
        Assert.Equal(RevocationReason.Evicted, evicted!.RevocationReason);
        Assert.Equal(T0.AddMinutes(3), evicted.RevokedAt);
        RefreshFamily? evictedFamily = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        Assert.Equal(RevocationReason.Evicted, evictedFamily!.RevocationReason);
        AssertSameIds([first.Id, third.Id], ListedIds(await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(3), Ct)));
    }

    [Fact]
    public virtual async Task Create_EvictionTies_BrokenByCreationTimeThenByIdentifier()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // Two sessions alike in last seen and created; which one goes is decided by the ordinal order of the identifiers.
        SessionId[] tied = [.. new[] { NewSessionId(), NewSessionId() }.Order(IdComparer)];
        Session leastSeen = await InsertAsync(store, NewSession(user, T0) with { LastSeenAt = T0.AddMinutes(1) });
        Session olderCreated = await InsertAsync(store, NewSession(user, T0.AddMinutes(-1)) with { LastSeenAt = T0.AddMinutes(2) });
        Session tieHigh = await InsertAsync(store, NewSession(user, T0) with { Id = tied[1], LastSeenAt = T0.AddMinutes(2) });
        Session tieLow = await InsertAsync(store, NewSession(user, T0) with { Id = tied[0], LastSeenAt = T0.AddMinutes(2) });
        Session recent = await InsertAsync(store, NewSession(user, T0) with { LastSeenAt = T0.AddMinutes(3) });

        // Five live, a limit of three: three must go to make room for the new one.
        SessionCreateResult result = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(4))) with { Limit = new SessionLimit(3, SessionLimitMode.EvictOldest) }, Ct);

        Assert.Equal([leastSeen.Id, olderCreated.Id, tieLow.Id], result.Evicted);
        Assert.False((await store.FindAsync(tieHigh.Id, Ct))!.IsRevoked);
        Assert.False((await store.FindAsync(recent.Id, Ct))!.IsRevoked);
        Assert.Equal(3, (await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(4), Ct)).Count);
    }

    [Fact]
    public virtual async Task Create_RejectNewAtTheLimit_LimitReachedAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));
        Session presentedElsewhere = await InsertAsync(store, NewSession(NewUserId()));
        Session rejected = NewSession(user, T0.AddMinutes(1));
        SessionCreation creation = Creation(rejected) with
        {
            Limit = new SessionLimit(2, SessionLimitMode.RejectNew),
            PresentedId = presentedElsewhere.Id,
            Device = NewDevice("laptop", T0.AddMinutes(1)),
            MaxDevices = 3,
        };

        SessionCreateResult result = await store.CreateAsync(creation, Ct);

        Assert.Equal(SessionCreateStatus.LimitReached, result.Status);
        Assert.Null(result.Session);
        Assert.Empty(result.Evicted);
        Assert.Null(await store.FindAsync(rejected.Id, Ct));
        AssertSameSession(a, await store.FindAsync(a.Id, Ct));
        AssertSameSession(b, await store.FindAsync(b.Id, Ct));
        Assert.Empty((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
    }

    [Fact]
    public virtual async Task Create_Limit_CountsOnlyThisUsersSessionsThatAreValidNow()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session revoked = await InsertAsync(store, NewSession(user));
        await store.RevokeAsync(revoked.Id, null, RevocationReason.Logout, T0, Ct);
        await InsertAsync(store, NewSession(user, T0.AddHours(-1)));                    // idle-expired by T0 + 1 minute
        await InsertAsync(store, NewSession(user, T0.AddHours(-1), idle: Absolute));     // idle-expired by the rules only
        await InsertAsync(store, NewSession(user, T0.AddMinutes(5)));                   // from the future: not valid now
        await InsertAsync(store, NewSession(user, T0));
        await InsertAsync(store, NewSession(NewUserId(), T0));                          // another user's does not count

        SessionCreateResult result = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(1))) with { Limit = new SessionLimit(2, SessionLimitMode.RejectNew) }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.Equal(2, (await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(1), Ct)).Count);
    }

    [Fact]
    public virtual async Task Create_Limit_ThePresentedSessionDoesNotCount()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session presented = await InsertAsync(store, NewSession(user));

        // At the limit of one, a sign-in from the same browser replaces its own stale session instead of being refused.
        SessionCreateResult result = await store.CreateAsync(
            Creation(NewSession(user, T0.AddMinutes(1))) with { Limit = new SessionLimit(1, SessionLimitMode.RejectNew), PresentedId = presented.Id },
            Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.Empty(result.Evicted);
        Assert.Equal(RevocationReason.Regenerated, result.PresentedRevoked!.RevocationReason);
    }
}
