using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

public abstract partial class SessionStoreConformanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_NewSession_FindReturnsEveryFieldExactly()
    {
        ISessionStore store = await NewStoreAsync();

        // Sub-millisecond ticks and a non-UTC offset: a store must keep the instant to the tick.
        DateTimeOffset created = new DateTimeOffset(2030, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);
        Session session = NewSession(NewUserId()) with
        {
            CreatedAt = created,
            LastSeenAt = created.AddTicks(1),
            AuthenticatedAt = created.AddTicks(-3),
            IdleExpiresAt = created.AddMinutes(30).AddTicks(7),
            AbsoluteExpiresAt = created.AddHours(12).AddTicks(9),
            AuthenticationLevel = 2,
            Device = new SessionDevice("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "192.0.2.0/24", NewHash()),
            SecurityEpoch = 41,
            Version = 3,
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = "acme", ["$odd.key"] = "ünïcødé 🔑", ["empty"] = string.Empty },
        };

        SessionCreateResult result = await store.CreateAsync(session, SessionLimit.None, created, Ct);

        Assert.True(result.Created);
        Assert.Empty(result.Evicted);
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public async Task Create_SessionWithoutDeviceOrData_RoundTripsNulls()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = NewSession(NewUserId()) with { Device = new SessionDevice(null, null, null) };
        Session bare = NewSession(NewUserId());

        await InsertAsync(store, session);
        await InsertAsync(store, bare);

        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
        Session? found = await store.FindAsync(bare.Id, Ct);
        AssertSameSession(bare, found);
        Assert.Null(found!.Device);
        Assert.Empty(found.Data);
    }

    [Fact]
    public async Task Find_UnknownId_ReturnsNull()
    {
        ISessionStore store = await NewStoreAsync();
        await InsertAsync(store, NewSession(NewUserId()));

        Assert.Null(await store.FindAsync(NewSessionId(), Ct));
    }

    [Fact]
    public async Task Revoke_LiveSession_MarksRevokedAndKeepsRecord()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        DateTimeOffset at = T0.AddMinutes(5);

        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Logout, at, Ct));

        Session? found = await store.FindAsync(session.Id, Ct);
        Assert.NotNull(found);
        Assert.True(found.IsRevoked);
        Assert.Equal(at, found.RevokedAt);
        Assert.Equal(RevocationReason.Logout, found.RevocationReason);
        Assert.True(found.Version > session.Version);
    }

    [Fact]
    public async Task Revoke_AlreadyRevoked_ReturnsFalseAndKeepsFirstReason()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Logout, T0.AddMinutes(1), Ct));

        Assert.False(await store.RevokeAsync(session.Id, RevocationReason.Administrative, T0.AddMinutes(2), Ct));

        Session? found = await store.FindAsync(session.Id, Ct);
        Assert.Equal(RevocationReason.Logout, found!.RevocationReason);
        Assert.Equal(T0.AddMinutes(1), found.RevokedAt);
    }

    [Fact]
    public async Task Revoke_UnknownId_ReturnsFalse()
    {
        ISessionStore store = await NewStoreAsync();

        Assert.False(await store.RevokeAsync(NewSessionId(), RevocationReason.Logout, T0, Ct));
    }

    [Fact]
    public async Task Revoke_Parallel_ExactlyOneCallRevokes()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        bool[] results = await RunInParallelAsync(16, _ => store.RevokeAsync(session.Id, RevocationReason.Logout, T0.AddMinutes(1), Ct));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Touch_MatchingVersion_UpdatesTimesAndIncrementsVersion()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        DateTimeOffset seen = T0.AddMinutes(10).AddTicks(3);

        Assert.True(await store.TouchAsync(session.Id, session.Version, seen, seen + Idle, Ct));

        Session? found = await store.FindAsync(session.Id, Ct);
        AssertSameSession(session with { LastSeenAt = seen, IdleExpiresAt = seen + Idle, Version = session.Version + 1 }, found);
    }

    [Fact]
    public async Task Touch_StaleVersion_ReturnsFalseAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Assert.True(await store.TouchAsync(session.Id, session.Version, T0.AddMinutes(1), T0.AddMinutes(31), Ct));

        Assert.False(await store.TouchAsync(session.Id, session.Version, T0.AddMinutes(2), T0.AddMinutes(32), Ct));

        Session? found = await store.FindAsync(session.Id, Ct);
        Assert.Equal(T0.AddMinutes(1), found!.LastSeenAt);
        Assert.Equal(session.Version + 1, found.Version);
    }

    [Fact]
    public async Task Touch_RevokedOrUnknown_ReturnsFalse()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Assert.True(await store.RevokeAsync(session.Id, RevocationReason.Logout, T0, Ct));
        Session revoked = (await store.FindAsync(session.Id, Ct))!;

        Assert.False(await store.TouchAsync(session.Id, revoked.Version, T0.AddMinutes(1), T0.AddMinutes(31), Ct));
        Assert.False(await store.TouchAsync(NewSessionId(), 0, T0.AddMinutes(1), T0.AddMinutes(31), Ct));
        Assert.NotEqual(T0.AddMinutes(1), (await store.FindAsync(session.Id, Ct))!.LastSeenAt);
    }

    [Fact]
    public async Task Touch_ParallelSameVersion_ExactlyOneWins()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        bool[] results = await RunInParallelAsync(32, i => store.TouchAsync(session.Id, session.Version, T0.AddSeconds(i + 1), T0.AddSeconds(i + 1) + Idle, Ct));

        Assert.Single(results, r => r);
        int winner = Array.IndexOf(results, true);
        Session? found = await store.FindAsync(session.Id, Ct);
        Assert.Equal(T0.AddSeconds(winner + 1), found!.LastSeenAt);
        Assert.Equal(session.Version + 1, found.Version);
    }

    [Fact]
    public async Task List_MixedSessions_ReturnsOnlyLiveOnesOfThatUser()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        DateTimeOffset now = T0.AddHours(1);
        Session live = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromHours(2)));
        Session live2 = await InsertAsync(store, NewSession(user, T0.AddMinutes(50)));
        await InsertAsync(store, NewSession(user, idle: TimeSpan.FromMinutes(60)));                       // idle expiry == now: expired
        await InsertAsync(store, NewSession(user, T0.AddHours(-12), idle: TimeSpan.FromHours(20)));        // absolute expiry == now
        Session revoked = await InsertAsync(store, NewSession(user));
        Assert.True(await store.RevokeAsync(revoked.Id, RevocationReason.Logout, T0.AddMinutes(1), Ct));
        await InsertAsync(store, NewSession(NewUserId()));

        IReadOnlyList<Session> listed = await store.ListUserSessionsAsync(user, now, Ct);

        Assert.Equal(new[] { live.Id, live2.Id }.Order(IdComparer), listed.Select(s => s.Id).Order(IdComparer));
        AssertSameSession(live, listed.Single(s => s.Id == live.Id));
    }

    [Fact]
    public async Task List_UnknownUser_ReturnsEmpty()
    {
        ISessionStore store = await NewStoreAsync();

        Assert.Empty(await store.ListUserSessionsAsync(NewUserId(), T0, Ct));
    }

    [Fact]
    public async Task RevokeUserSessions_WithExcept_RevokesAllOthersAndReturnsThem()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session keep = await InsertAsync(store, NewSession(user));
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));
        Session already = await InsertAsync(store, NewSession(user));
        Assert.True(await store.RevokeAsync(already.Id, RevocationReason.Logout, T0, Ct));
        Session other = await InsertAsync(store, NewSession(NewUserId()));

        IReadOnlyList<SessionId> revoked = await store.RevokeUserSessionsAsync(user, keep.Id, RevocationReason.PasswordChanged, T0.AddMinutes(3), Ct);

        Assert.Equal(new[] { a.Id, b.Id }.Order(IdComparer), revoked.Order(IdComparer));
        Assert.False((await store.FindAsync(keep.Id, Ct))!.IsRevoked);
        Assert.False((await store.FindAsync(other.Id, Ct))!.IsRevoked);
        Assert.Equal(RevocationReason.PasswordChanged, (await store.FindAsync(a.Id, Ct))!.RevocationReason);
        Assert.Equal(T0.AddMinutes(3), (await store.FindAsync(b.Id, Ct))!.RevokedAt);
        Assert.Equal(RevocationReason.Logout, (await store.FindAsync(already.Id, Ct))!.RevocationReason);
        Assert.Equal([keep.Id], (await store.ListUserSessionsAsync(user, T0.AddMinutes(4), Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task RevokeUserSessions_WithoutExcept_RevokesEverySession()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session[] sessions = [await InsertAsync(store, NewSession(user)), await InsertAsync(store, NewSession(user))];

        IReadOnlyList<SessionId> revoked = await store.RevokeUserSessionsAsync(user, null, RevocationReason.SuspectedBreach, T0, Ct);

        Assert.Equal(sessions.Select(s => s.Id).Order(IdComparer), revoked.Order(IdComparer));
        Assert.Empty(await store.ListUserSessionsAsync(user, T0, Ct));
        Assert.Empty(await store.RevokeUserSessionsAsync(user, null, RevocationReason.SuspectedBreach, T0, Ct));
    }

    [Fact]
    public async Task Regenerate_LiveSession_RevokesOldAndInsertsReplacement()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await InsertAsync(store, NewFamily(current));
        Session replacement = NewSession(user, T0.AddMinutes(5)) with { AuthenticationLevel = 2, AbsoluteExpiresAt = current.AbsoluteExpiresAt };

        SessionRegenerateStatus status = await store.RegenerateAsync(current.Id, current.Version, replacement, T0.AddMinutes(5), Ct);

        Assert.Equal(SessionRegenerateStatus.Regenerated, status);
        Session? old = await store.FindAsync(current.Id, Ct);
        Assert.Equal(RevocationReason.Regenerated, old!.RevocationReason);
        Assert.Equal(T0.AddMinutes(5), old.RevokedAt);
        AssertSameSession(replacement, await store.FindAsync(replacement.Id, Ct));
        RefreshFamily? revokedFamily = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        Assert.True(revokedFamily!.IsRevoked);
        Assert.Equal(RevocationReason.Regenerated, revokedFamily.RevocationReason);
        Assert.Equal([replacement.Id], (await store.ListUserSessionsAsync(user, T0.AddMinutes(6), Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task Regenerate_StaleVersion_ReturnsConflictAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session current = await InsertAsync(store, NewSession(NewUserId()));
        Assert.True(await store.TouchAsync(current.Id, current.Version, T0.AddMinutes(1), T0.AddMinutes(31), Ct));
        Session replacement = NewSession(current.UserId, T0.AddMinutes(2));

        SessionRegenerateStatus status = await store.RegenerateAsync(current.Id, current.Version, replacement, T0.AddMinutes(2), Ct);

        Assert.Equal(SessionRegenerateStatus.Conflict, status);
        Assert.False((await store.FindAsync(current.Id, Ct))!.IsRevoked);
        Assert.Null(await store.FindAsync(replacement.Id, Ct));
    }

    [Fact]
    public async Task Regenerate_RevokedOrExpired_ReturnsNotLiveAndInsertsNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session revoked = await InsertAsync(store, NewSession(user));
        Assert.True(await store.RevokeAsync(revoked.Id, RevocationReason.Logout, T0, Ct));
        Session revokedNow = (await store.FindAsync(revoked.Id, Ct))!;
        Session idle = await InsertAsync(store, NewSession(user));
        Session ancient = await InsertAsync(store, NewSession(user, T0.AddHours(-12), idle: TimeSpan.FromHours(13)));
        Session r1 = NewSession(user, T0.AddMinutes(31));
        Session r2 = NewSession(user, T0.AddMinutes(31));
        Session r3 = NewSession(user, T0.AddMinutes(31));

        Assert.Equal(SessionRegenerateStatus.NotLive, await store.RegenerateAsync(revoked.Id, revokedNow.Version, r1, T0.AddMinutes(31), Ct));
        Assert.Equal(SessionRegenerateStatus.NotLive, await store.RegenerateAsync(idle.Id, idle.Version, r2, T0.AddMinutes(30), Ct));
        Assert.Equal(SessionRegenerateStatus.NotLive, await store.RegenerateAsync(ancient.Id, ancient.Version, r3, T0, Ct));

        Assert.Null(await store.FindAsync(r1.Id, Ct));
        Assert.Null(await store.FindAsync(r2.Id, Ct));
        Assert.Null(await store.FindAsync(r3.Id, Ct));
        Assert.False((await store.FindAsync(idle.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public async Task Regenerate_UnknownSession_ReturnsNotFound()
    {
        ISessionStore store = await NewStoreAsync();
        Session replacement = NewSession(NewUserId());

        Assert.Equal(SessionRegenerateStatus.NotFound, await store.RegenerateAsync(NewSessionId(), 0, replacement, T0, Ct));
        Assert.Null(await store.FindAsync(replacement.Id, Ct));
    }

    [Fact]
    public async Task Regenerate_ParallelSameVersion_ExactlyOneReplacementExists()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        Session[] replacements = [.. Enumerable.Range(0, 16).Select(_ => NewSession(user, T0.AddMinutes(1)))];

        SessionRegenerateStatus[] results = await RunInParallelAsync(
            replacements.Length,
            i => store.RegenerateAsync(current.Id, current.Version, replacements[i], T0.AddMinutes(1), Ct));

        Assert.Single(results, r => r == SessionRegenerateStatus.Regenerated);
        Assert.All(results, r => Assert.True(r is SessionRegenerateStatus.Regenerated or SessionRegenerateStatus.NotLive or SessionRegenerateStatus.Conflict));
        Session winner = replacements[Array.IndexOf(results, SessionRegenerateStatus.Regenerated)];
        Assert.Equal([winner.Id], (await store.ListUserSessionsAsync(user, T0.AddMinutes(2), Ct)).Select(s => s.Id));
        foreach (Session loser in replacements.Where(r => r.Id != winner.Id))
        {
            Assert.Null(await store.FindAsync(loser.Id, Ct));
        }
    }

    [Fact]
    public async Task Purge_MixedRecords_DeletesExactlyTheExpiredOnes()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        DateTimeOffset now = T0.AddHours(2);
        Session live = await InsertAsync(store, NewSession(user, T0.AddHours(1).AddMinutes(45)));
        Session idleExpired = await InsertAsync(store, NewSession(user));
        Session absoluteExpired = await InsertAsync(store, NewSession(user, T0.AddHours(-10), idle: TimeSpan.FromHours(13), absolute: TimeSpan.FromHours(12)));
        Session revokedRecent = await InsertAsync(store, NewSession(user, T0.AddHours(1).AddMinutes(50)));
        Assert.True(await store.RevokeAsync(revokedRecent.Id, RevocationReason.Logout, T0.AddHours(1).AddMinutes(55), Ct));
        Session revokedOld = await InsertAsync(store, NewSession(user, T0.AddHours(-10)));
        Assert.True(await store.RevokeAsync(revokedOld.Id, RevocationReason.Logout, T0.AddHours(-9), Ct));

        Session holder = await InsertAsync(store, NewSession(user, T0.AddHours(-1), idle: TimeSpan.FromHours(4)));
        RefreshFamily expiredFamily = await InsertAsync(store, NewFamily(holder, T0.AddHours(-1), absolute: TimeSpan.FromHours(3)));
        RefreshRedeemResult rotated = await store.RedeemRefreshTokenAsync(Redeem(expiredFamily.CurrentTokenHash, T0.AddMinutes(-30)), Ct);
        Assert.Equal(RefreshRedeemStatus.Rotated, rotated.Status);
        RefreshRedeemResult rotatedAgain = await store.RedeemRefreshTokenAsync(Redeem(rotated.Family!.CurrentTokenHash, T0.AddMinutes(-20)), Ct);
        Assert.Equal(RefreshRedeemStatus.Rotated, rotatedAgain.Status);
        RefreshFamily dyingFamily = rotatedAgain.Family!;
        Session holder2 = await InsertAsync(store, NewSession(user, T0.AddHours(1), idle: TimeSpan.FromHours(4)));
        RefreshFamily liveFamily = await InsertAsync(store, NewFamily(holder2, T0.AddHours(1)));
        RefreshFamily familyEndingNow = await InsertAsync(store, NewFamily(holder2, T0.AddHours(1), absolute: TimeSpan.FromHours(1)));

        // 1 idle + 1 absolute + 1 old revoked sessions, 2 expired families; holder and holder2 are live.
        int purged = await store.PurgeExpiredAsync(now, Ct);

        Assert.Equal(5, purged);
        Assert.NotNull(await store.FindAsync(live.Id, Ct));
        Assert.NotNull(await store.FindAsync(revokedRecent.Id, Ct));
        Assert.NotNull(await store.FindAsync(holder.Id, Ct));
        Assert.Null(await store.FindAsync(idleExpired.Id, Ct));
        Assert.Null(await store.FindAsync(absoluteExpired.Id, Ct));
        Assert.Null(await store.FindAsync(revokedOld.Id, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(dyingFamily.CurrentTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(dyingFamily.PreviousTokenHash!, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(dyingFamily.SpentTokenHashes.Single(), Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(familyEndingNow.CurrentTokenHash, Ct));
        Assert.NotNull(await store.FindRefreshFamilyByTokenAsync(liveFamily.CurrentTokenHash, Ct));
        Assert.Equal(0, await store.PurgeExpiredAsync(now, Ct));
    }

    private static IComparer<SessionId> IdComparer { get; } = Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
}
