using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores.Redis.Internal;
using SessionCore.Tokens;
using StackExchange.Redis;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// What the parity tests cannot show: the codec's exact round trip, atomicity under real concurrency, the epoch and
/// global-instant checks inside the script, duplicates, purge, and how failures surface.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisSessionStoreTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Now = Start;

    [Fact]
    public async Task Create_ThenFind_RoundTripsEveryFieldToTheTick()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now) with
        {
            AuthenticationLevel = 2,
            Version = 3,
            Device = new SessionDevice("Mozilla/5.0 {weird} \u00e9", "203.0.113.0/24", null),
            Data = new Dictionary<string, string> { ["tenant"] = "acme", ["d:nested"] = "x", [""] = "empty key", ["m:1"] = "not a method" },
            AuthenticationMethods = ["pwd", "otp", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
            KeyBinding = new SessionKeyBinding("thumb", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}", Now.AddTicks(7)),
            AuthenticatedAt = Now.AddTicks(-3),
            SecurityEpoch = 99,
        };

        SessionCreateResult created = await store.CreateAsync(Creation(session), ct);

        Assert.True(created.IsSuccess);
        Equal(session with { SecurityEpoch = 0 }, created.Session);
        Equal(session with { SecurityEpoch = 0 }, await store.FindAsync(session.Id, ct));
    }

    [Fact]
    public async Task Create_DeviceWithoutFields_RoundTripsAsNonNullDevice()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now) with { Device = new SessionDevice(null, null, null) };

        await store.CreateAsync(Creation(session), ct);

        Equal(session, await store.FindAsync(session.Id, ct));
    }

    [Fact]
    public async Task Create_DuplicateId_ThrowsAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        Session stale = NewSession(session.UserId, Now);
        await store.CreateAsync(Creation(session), ct);
        await store.CreateAsync(Creation(stale), ct);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(Creation(session with { UserId = NewUser() }), ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(
            Creation(session, new SessionLimit(1, SessionLimitMode.EvictOldest)) with { PresentedId = stale.Id, Device = new KnownDevice("k", null, null, null, Now, Now) },
            ct));

        Equal(session, await store.FindAsync(session.Id, ct));
        Equal(stale, await store.FindAsync(stale.Id, ct));
        Assert.Empty((await store.GetUserSecurityStateAsync(session.UserId, ct)).KnownDevices);
    }

    [Theory]
    [InlineData(SessionLimitMode.EvictOldest)]
    [InlineData(SessionLimitMode.RejectNew)]
    public async Task Create_FiftyInParallelWithLimitThree_LeavesExactlyThreeLive(SessionLimitMode mode)
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        SessionLimit limit = new(3, mode);

        SessionCreateResult[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(async () => await store.CreateAsync(Creation(NewSession(user, Now) with { LastSeenAt = Now.AddTicks(i) }, limit), ct), ct)));

        IReadOnlyList<Session> live = await store.ListUserSessionsAsync(user, Rules, Now, ct);
        Assert.Equal(3, live.Count);
        if (mode == SessionLimitMode.RejectNew)
        {
            Assert.Equal(3, results.Count(r => r.IsSuccess));
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(SessionCreateStatus.LimitReached, r.Status));
        }
        else
        {
            Assert.All(results, r => Assert.True(r.IsSuccess));
            Assert.Equal(47, results.Sum(r => r.Evicted.Count));
            Assert.Equal(47, results.SelectMany(r => r.Evicted).Distinct().Count());
        }
    }

    [Fact]
    public async Task Redeem_SixtyFourInParallel_ExactlyOneRotatesTheRestRetry()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(Creation(session), ct);
        RefreshFamilyCreation family = FamilyCreation(session.Id, Now);
        await store.CreateRefreshFamilyAsync(family, ct);

        RefreshRedeemResult[] results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(async () => await store.RedeemRefreshTokenAsync(Redeem(family.TokenHash, Now, TimeSpan.FromMinutes(1)), ct), ct)));

        RefreshRedeemResult winner = Assert.Single(results, r => r.Status == RefreshRedeemStatus.Rotated);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(RefreshRedeemStatus.GraceRetry, r.Status));
        Assert.All(results, r => Assert.Equal(winner.Family!.CurrentTokenHash, r.Family!.CurrentTokenHash));
        RefreshFamily stored = (await store.FindRefreshFamilyByTokenAsync(family.TokenHash, ct))!;
        Assert.Equal(1, stored.Generation);
        Assert.Equal(winner.Family!.CurrentTokenHash, stored.CurrentTokenHash);
    }

    [Fact]
    public async Task Validate_SessionBelowTheUsersEpoch_IsRevokedInTheSameScript()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(Creation(session), ct);

        // An epoch that moved without the sessions being revoked (the second line of defence): the record alone says live.
        await fixture.Multiplexer!.GetDatabase().HashIncrementAsync(store.KeyPrefix + "{u:" + RedisKeys.UserHash(session.UserId) + "}:sec", "ep");

        SessionCheck check = await store.ValidateAsync(session.Id, Rules, Now.AddMinutes(5), touch: true, ct);
        Assert.Equal(SessionValidationStatus.Revoked, check.Status);
        Assert.False(check.Session!.IsRevoked);
        Assert.Equal(0, check.Session.Version);
        Assert.Empty(await store.ListUserSessionsAsync(session.UserId, Rules, Now, ct));
        Assert.Equal(SessionValidationStatus.Revoked, (await store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = new() { NewId = NewId() }, Rules = Rules, Now = Now }, ct)).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.CreateRefreshFamilyAsync(FamilyCreation(session.Id, Now), ct)).Status);
    }

    [Fact]
    public async Task Validate_AfterRevokeEverySession_RevokesOlderSessionsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session before = NewSession(NewUser(), Now);
        Session at = NewSession(NewUser(), Now.AddMinutes(1));
        Session after = NewSession(NewUser(), Now.AddMinutes(1).AddTicks(1));
        foreach (Session s in new[] { before, at, after })
        {
            await store.CreateAsync(Creation(s), ct);
        }

        RefreshFamilyCreation family = FamilyCreation(before.Id, Now);
        await store.CreateRefreshFamilyAsync(family, ct);

        await store.RevokeEverySessionAsync(Now.AddMinutes(1), ct);

        DateTimeOffset later = Now.AddMinutes(2);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.ValidateAsync(before.Id, Rules, later, touch: true, ct)).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.ValidateAsync(at.Id, Rules, later, touch: true, ct)).Status);
        Assert.Equal(SessionValidationStatus.Valid, (await store.ValidateAsync(after.Id, Rules, later, touch: true, ct)).Status);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, (await store.RedeemRefreshTokenAsync(Redeem(family.TokenHash, later), ct)).Status);
        Assert.Empty(await store.ListUserSessionsAsync(before.UserId, Rules, later, ct));
    }

    [Fact]
    public async Task RevokeUserSessions_ExceptWithEpochAdvance_ThrowsBeforeAnyCall()
    {
        RedisSessionStore store = fixture.CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.RevokeUserSessionsAsync(Revocation(NewUser(), Now) with { AdvanceEpoch = true, Except = NewId() }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RedeemAndRevoke_ManySessionsAndFamilies_RevokeOnlyTheirOwnFamilies()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session[] sessions = [.. Enumerable.Range(0, 5).Select(_ => NewSession(user, Now))];
        List<RefreshFamilyCreation> families = [];
        foreach (Session session in sessions)
        {
            await store.CreateAsync(Creation(session), ct);
            for (int i = 0; i < 3; i++)
            {
                RefreshFamilyCreation family = FamilyCreation(session.Id, Now);
                await store.CreateRefreshFamilyAsync(family, ct);
                families.Add(family);
            }
        }

        Assert.NotNull(await store.RevokeAsync(sessions[2].Id, user, RevocationReason.Logout, Now, ct));

        RefreshFamily?[] stored = await Task.WhenAll(families.Select(f => store.FindRefreshFamilyByTokenAsync(f.TokenHash, ct).AsTask()));
        Assert.Equal(
            families.Select(f => f.SessionId == sessions[2].Id),
            stored.Select(f => f!.RevocationReason == RevocationReason.Logout));
    }

    [Fact]
    public async Task PurgeExpired_DeletesDueRecordsAndTheirLookups()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session idle = NewSession(user, Now, idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromHours(1));
        Session revoked = NewSession(user, Now, idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromHours(1));
        Session longLived = NewSession(user, Now, idle: TimeSpan.FromHours(3), absolute: TimeSpan.FromHours(3));
        foreach (Session s in new[] { idle, revoked, longLived })
        {
            await store.CreateAsync(Creation(s), ct);
        }

        RefreshFamilyCreation shortFamily = FamilyCreation(longLived.Id, Now) with { Lifetime = TimeSpan.FromMinutes(30), IdleLifetime = TimeSpan.FromMinutes(30) };
        RefreshFamilyCreation family = FamilyCreation(longLived.Id, Now);
        await store.CreateRefreshFamilyAsync(shortFamily, ct);
        await store.CreateRefreshFamilyAsync(family, ct);
        RefreshRedemption rotation = Redeem(shortFamily.TokenHash, Now);
        await store.RedeemRefreshTokenAsync(rotation, ct);
        await store.RevokeAsync(revoked.Id, null, RevocationReason.Logout, Now, ct);
        IDatabase db = fixture.Multiplexer!.GetDatabase();

        Assert.Equal(0, await store.PurgeExpiredAsync(Now.AddMinutes(10).AddTicks(-1), ct));

        // At +10 min the idle session is due; the revoked one stays until its absolute expiry.
        Assert.Equal(1, await store.PurgeExpiredAsync(Now.AddMinutes(10), ct));
        Assert.Null(await store.FindAsync(idle.Id, ct));
        Assert.False(await db.KeyExistsAsync(store.KeyPrefix + "sid:" + idle.Id));
        Assert.NotNull(await store.FindAsync(revoked.Id, ct));

        // At +1 h the revoked session and the short family (with both its token hashes) go.
        Assert.Equal(2, await store.PurgeExpiredAsync(Now.AddHours(1), ct));
        Assert.Null(await store.FindAsync(revoked.Id, ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(shortFamily.TokenHash, ct));
        Assert.False(await db.KeyExistsAsync(store.KeyPrefix + "rt:" + shortFamily.TokenHash));
        Assert.False(await db.KeyExistsAsync(store.KeyPrefix + "rt:" + rotation.SuccessorTokenHash));
        Assert.False(await db.SetContainsAsync(store.KeyPrefix + "{u:" + RedisKeys.UserHash(user) + "}:sf:" + longLived.Id, shortFamily.FamilyId.ToString()));
        Assert.Equal(RefreshRedeemStatus.NotFound, (await store.RedeemRefreshTokenAsync(Redeem(rotation.SuccessorTokenHash, Now.AddHours(1)), ct)).Status);
        Assert.NotNull(await store.FindAsync(longLived.Id, ct));
        Assert.NotNull(await store.FindRefreshFamilyByTokenAsync(family.TokenHash, ct));
        Assert.Equal(0, await store.PurgeExpiredAsync(Now.AddHours(1), ct));
    }

    [Fact]
    public async Task PurgeExpired_PrefixWithGlobCharacters_PurgesItsOwnRecordsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        string run = NewUser()[5..11];
        RedisSessionStore globbed = fixture.CreateStore("g[" + run + "]*?\\:");
        RedisSessionStore neighbour = fixture.CreateStore("g" + run + "x:");
        Session mine = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(10));
        Session theirs = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(10));
        await globbed.CreateAsync(Creation(mine), ct);
        await neighbour.CreateAsync(Creation(theirs), ct);

        Assert.Equal(1, await globbed.PurgeExpiredAsync(Now.AddMinutes(10), ct));

        Assert.Null(await globbed.FindAsync(mine.Id, ct));
        Assert.NotNull(await neighbour.FindAsync(theirs.Id, ct));
    }

    [Fact]
    public async Task Find_UnreadableRecord_ThrowsSessionStoreExceptionWithoutData()
    {
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(Creation(session), ct);
        await fixture.Multiplexer!.GetDatabase().HashSetAsync(store.KeyPrefix + "{u:" + RedisKeys.UserHash(session.UserId) + "}:s:" + session.Id, "ca", "not-a-time");

        SessionStoreException find = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.FindAsync(session.Id, ct));
        SessionStoreException validate = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.ValidateAsync(session.Id, Rules, Now, touch: true, ct));

        Assert.IsType<FormatException>(find.InnerException);
        Assert.NotNull(validate.InnerException);
        Assert.DoesNotContain(session.Id.ToString(), find.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(session.UserId, validate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operation_CallerCancelled_ThrowsOperationCanceledException()
    {
        RedisSessionStore store = fixture.CreateStore();
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ValidateAsync(NewId(), Rules, Now, touch: true, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CreateAsync(Creation(NewSession(NewUser(), Now)), cancelled.Token));
    }

    [Fact]
    public async Task Operation_SharedConnectionClosedByItsOwner_ThrowsSessionStoreException()
    {
        Assert.SkipWhen(RedisFixture.Configuration is null, RedisFixture.SkipReason);
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(RedisFixture.Configuration!);
        using RedisSessionStore store = new(new RedisSessionStoreOptions { ConnectionMultiplexer = connection, KeyPrefix = fixture.Prefix + "closed:" });
        await connection.DisposeAsync();

        SessionStoreException ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.ValidateAsync(NewId(), Rules, Now, touch: true, TestContext.Current.CancellationToken));
        Assert.NotNull(ex.InnerException);
    }
}
