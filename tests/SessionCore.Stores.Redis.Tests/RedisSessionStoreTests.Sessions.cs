using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

[Trait("Category", "Integration")]
public sealed partial class RedisSessionStoreTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Now = Start;

    [Fact]
    public async Task Create_ThenFind_RoundTripsEveryFieldToTheTick()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now) with
        {
            AuthenticationLevel = 2,
            SecurityEpoch = 7,
            Device = new SessionDevice("Mozilla/5.0 {weird} \u00e9", "203.0.113.0/24", null),
            Data = new Dictionary<string, string> { ["tenant"] = "acme", ["d:nested"] = "x", [""] = "empty key" },
            AuthenticatedAt = Now.AddTicks(-3),
        };

        SessionCreateResult created = await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        Session? found = await store.FindAsync(session.Id, TestContext.Current.CancellationToken);

        Assert.True(created.Created);
        Assert.Empty(created.Evicted);
        Equal(session, found);
    }

    [Fact]
    public async Task Create_DeviceWithoutFields_RoundTripsAsNonNullDevice()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now) with { Device = new SessionDevice(null, null, null) };

        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);

        Equal(session, await store.FindAsync(session.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Find_Unknown_ReturnsNull()
    {
        RedisSessionStore store = fixture.CreateStore();

        Assert.Null(await store.FindAsync(NewId(), TestContext.Current.CancellationToken));
        Assert.Null(await store.FindAsync(default, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Create_DuplicateId_Throws()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Create_RejectNewAtLimit_WritesNothing()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        SessionLimit limit = new(2, SessionLimitMode.RejectNew);
        await store.CreateAsync(NewSession(user, Now), limit, Now, TestContext.Current.CancellationToken);
        await store.CreateAsync(NewSession(user, Now), limit, Now, TestContext.Current.CancellationToken);
        Session third = NewSession(user, Now);

        SessionCreateResult result = await store.CreateAsync(third, limit, Now, TestContext.Current.CancellationToken);

        Assert.False(result.Created);
        Assert.Null(await store.FindAsync(third.Id, TestContext.Current.CancellationToken));
        Assert.Equal(2, (await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task Create_EvictOldest_RevokesLeastRecentlySeen()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        SessionLimit limit = new(2, SessionLimitMode.EvictOldest);
        Session older = NewSession(user, Now) with { LastSeenAt = Now.AddMinutes(-5) };
        Session newer = NewSession(user, Now) with { LastSeenAt = Now.AddMinutes(-1) };
        await store.CreateAsync(newer, limit, Now, TestContext.Current.CancellationToken);
        await store.CreateAsync(older, limit, Now, TestContext.Current.CancellationToken);
        Session third = NewSession(user, Now);

        SessionCreateResult result = await store.CreateAsync(third, limit, Now, TestContext.Current.CancellationToken);

        Assert.True(result.Created);
        Assert.Equal([older.Id], result.Evicted);
        Session? evicted = await store.FindAsync(older.Id, TestContext.Current.CancellationToken);
        Assert.Equal(RevocationReason.Evicted, evicted!.RevocationReason);
        Assert.Equal(Now, evicted.RevokedAt);
        Assert.Equal(older.Version + 1, evicted.Version);
        Assert.Equal(
            new[] { newer.Id, third.Id }.Order(Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))),
            (await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken)).Select(s => s.Id).Order(Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))));
    }

    [Fact]
    public async Task Create_Limit_IgnoresRevokedAndExpiredSessions()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        SessionLimit limit = new(1, SessionLimitMode.RejectNew);
        Session revoked = NewSession(user, Now);
        Session idle = NewSession(user, Now.AddHours(-1), idle: TimeSpan.FromMinutes(30));
        await store.CreateAsync(revoked, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await store.CreateAsync(idle, SessionLimit.None, Now.AddHours(-1), TestContext.Current.CancellationToken);
        await store.RevokeAsync(revoked.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);

        SessionCreateResult result = await store.CreateAsync(NewSession(user, Now), limit, Now, TestContext.Current.CancellationToken);

        Assert.True(result.Created);
    }

    [Theory]
    [InlineData(SessionLimitMode.EvictOldest)]
    [InlineData(SessionLimitMode.RejectNew)]
    public async Task Create_FiftyInParallelWithLimitThree_LeavesExactlyThreeLive(SessionLimitMode mode)
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        SessionLimit limit = new(3, mode);

        SessionCreateResult[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(async () => await store.CreateAsync(NewSession(user, Now) with { LastSeenAt = Now.AddTicks(i) }, limit, Now, TestContext.Current.CancellationToken))));

        IReadOnlyList<Session> live = await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken);
        Assert.Equal(3, live.Count);
        if (mode == SessionLimitMode.RejectNew)
        {
            Assert.Equal(3, results.Count(r => r.Created));
        }
        else
        {
            Assert.All(results, r => Assert.True(r.Created));
            Assert.Equal(47, results.Sum(r => r.Evicted.Count));
        }
    }

    [Fact]
    public async Task Touch_MatchingVersion_UpdatesTimesAndVersion()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        DateTimeOffset later = Now.AddMinutes(3).AddTicks(17);

        bool touched = await store.TouchAsync(session.Id, 0, later, later.AddMinutes(30), TestContext.Current.CancellationToken);

        Assert.True(touched);
        Equal(session with { LastSeenAt = later, IdleExpiresAt = later.AddMinutes(30), Version = 1 }, await store.FindAsync(session.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Touch_StaleVersionRevokedOrUnknown_ReturnsFalse()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        DateTimeOffset later = Now.AddMinutes(3);

        Assert.False(await store.TouchAsync(session.Id, 5, later, later.AddMinutes(30), TestContext.Current.CancellationToken));
        Assert.False(await store.TouchAsync(NewId(), 0, later, later.AddMinutes(30), TestContext.Current.CancellationToken));
        await store.RevokeAsync(session.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);
        Assert.False(await store.TouchAsync(session.Id, 1, later, later.AddMinutes(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Touch_ConcurrentSameVersion_OnlyOneWins()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(async () => await store.TouchAsync(session.Id, 0, Now.AddSeconds(i), Now.AddMinutes(30), TestContext.Current.CancellationToken))));

        Assert.Single(results, r => r);
        Assert.Equal(1, (await store.FindAsync(session.Id, TestContext.Current.CancellationToken))!.Version);
    }

    [Fact]
    public async Task Regenerate_Live_RevokesOldWithFamiliesAndInsertsNew()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session current = NewSession(NewUser(), Now);
        await store.CreateAsync(current, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(current, Now);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        Session replacement = NewSession(current.UserId, Now) with { AuthenticationLevel = 2 };

        SessionRegenerateStatus status = await store.RegenerateAsync(current.Id, 0, replacement, Now, TestContext.Current.CancellationToken);

        Assert.Equal(SessionRegenerateStatus.Regenerated, status);
        Equal(current with { RevokedAt = Now, RevocationReason = RevocationReason.Regenerated, Version = 1 }, await store.FindAsync(current.Id, TestContext.Current.CancellationToken));
        Equal(replacement, await store.FindAsync(replacement.Id, TestContext.Current.CancellationToken));
        Equal(family.Revoke(RevocationReason.Regenerated, Now), await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Regenerate_UnknownNotLiveOrStale_WritesNothing()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session live = NewSession(user, Now);
        Session expired = NewSession(user, Now.AddHours(-2), idle: TimeSpan.FromMinutes(30));
        await store.CreateAsync(live, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await store.CreateAsync(expired, SessionLimit.None, Now.AddHours(-2), TestContext.Current.CancellationToken);
        Session replacement = NewSession(user, Now);

        Assert.Equal(SessionRegenerateStatus.NotFound, await store.RegenerateAsync(NewId(), 0, replacement, Now, TestContext.Current.CancellationToken));
        Assert.Equal(SessionRegenerateStatus.NotLive, await store.RegenerateAsync(expired.Id, 0, replacement, Now, TestContext.Current.CancellationToken));
        Assert.Equal(SessionRegenerateStatus.Conflict, await store.RegenerateAsync(live.Id, 4, replacement, Now, TestContext.Current.CancellationToken));
        Assert.Null(await store.FindAsync(replacement.Id, TestContext.Current.CancellationToken));
        Equal(live, await store.FindAsync(live.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Revoke_Live_RevokesOnceWithFamilies()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        Session other = NewSession(session.UserId, Now);
        await store.CreateAsync(other, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Now);
        RefreshFamily otherFamily = NewFamily(other, Now);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        await store.CreateRefreshFamilyAsync(otherFamily, Now, TestContext.Current.CancellationToken);

        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken));
        Assert.False(await store.RevokeAsync(session.Id, RevocationReason.Administrative, Now.AddMinutes(1), TestContext.Current.CancellationToken));
        Assert.False(await store.RevokeAsync(NewId(), RevocationReason.Logout, Now, TestContext.Current.CancellationToken));

        Equal(session with { RevokedAt = Now, RevocationReason = RevocationReason.Logout, Version = 1 }, await store.FindAsync(session.Id, TestContext.Current.CancellationToken));
        Equal(family.Revoke(RevocationReason.Logout, Now), await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken));
        Equal(otherFamily, await store.FindRefreshFamilyByTokenAsync(otherFamily.CurrentTokenHash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RevokeUserSessions_Except_RevokesAllOthersAndTheirFamilies()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session keep = NewSession(user, Now);
        Session a = NewSession(user, Now);
        Session b = NewSession(user, Now);
        Session stranger = NewSession(NewUser(), Now);
        foreach (Session s in new[] { keep, a, b, stranger })
        {
            await store.CreateAsync(s, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        }

        RefreshFamily family = NewFamily(a, Now);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        await store.RevokeAsync(b.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);

        IReadOnlyList<SessionId> revoked = await store.RevokeUserSessionsAsync(user, keep.Id, RevocationReason.PasswordChanged, Now, TestContext.Current.CancellationToken);

        Assert.Equal([a.Id], revoked);
        Assert.False((await store.FindAsync(keep.Id, TestContext.Current.CancellationToken))!.IsRevoked);
        Assert.False((await store.FindAsync(stranger.Id, TestContext.Current.CancellationToken))!.IsRevoked);
        Assert.Equal(RevocationReason.Logout, (await store.FindAsync(b.Id, TestContext.Current.CancellationToken))!.RevocationReason);
        Assert.Equal(RevocationReason.PasswordChanged, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken))!.RevocationReason);

        IReadOnlyList<SessionId> all = await store.RevokeUserSessionsAsync(user, null, RevocationReason.SuspectedBreach, Now, TestContext.Current.CancellationToken);
        Assert.Equal([keep.Id], all);
        Assert.Empty(await store.RevokeUserSessionsAsync(NewUser(), null, RevocationReason.SuspectedBreach, Now, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ListUserSessions_ReturnsOnlyLiveSessionsOfThatUser()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session live = NewSession(user, Now) with { Data = new Dictionary<string, string> { ["k"] = "v" } };
        Session revoked = NewSession(user, Now);
        Session expired = NewSession(user, Now.AddDays(-1), absolute: TimeSpan.FromHours(1), idle: TimeSpan.FromMinutes(30));
        foreach (Session s in new[] { live, revoked, expired, NewSession(NewUser(), Now) })
        {
            await store.CreateAsync(s, SessionLimit.None, s.CreatedAt, TestContext.Current.CancellationToken);
        }

        await store.RevokeAsync(revoked.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);

        IReadOnlyList<Session> sessions = await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken);

        Equal(live, Assert.Single(sessions));
        Assert.Empty(await store.ListUserSessionsAsync(NewUser(), Now, TestContext.Current.CancellationToken));
    }
}
