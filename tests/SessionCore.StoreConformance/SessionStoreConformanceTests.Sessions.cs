using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.StoreConformance;

// Sign-in (create), find and validate: every outcome of each, and what each writes.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task Create_NewSession_StoresEveryFieldExactlyUnderTheUsersEpoch()
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
            AuthenticationMethods = ["pwd", "otp", "hwk"],
            Device = new SessionDevice("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "192.0.2.0/24", NewTokenHash().ToString()),
            KeyBinding = NewKeyBinding(created),
            Location = London,
            SignInRisk = SignInRiskReason.NewDevice | SignInRiskReason.NewAutonomousSystem,
            SecurityEpoch = 41,
            Version = 3,
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = "acme", ["$odd.key"] = "ünïcødé 🔑", ["empty"] = string.Empty },
        };

        SessionCreateResult result = await store.CreateAsync(Creation(session), Ct);

        // The epoch is the store's to set: the user's current one (0 for a new user), whatever the caller put there.
        Session expected = session with { SecurityEpoch = 0 };
        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.True(result.IsSuccess);
        Assert.Empty(result.Evicted);
        Assert.False(result.PresentedFound);
        Assert.Null(result.PresentedRevoked);
        Assert.False(result.IsNewDevice);
        Assert.Empty(result.KnownDevicesBefore);
        AssertSameSession(expected, result.Session);
        AssertSameSession(expected, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Create_SessionWithoutDeviceDataOrBinding_RoundTripsEmpties()
    {
        ISessionStore store = await NewStoreAsync();
        Session withEmptyDevice = NewSession(NewUserId()) with { Device = new SessionDevice(null, null, null) };
        Session bare = NewSession(NewUserId());

        await InsertAsync(store, withEmptyDevice);
        await InsertAsync(store, bare);

        AssertSameSession(withEmptyDevice, await store.FindAsync(withEmptyDevice.Id, Ct));
        Session? found = await store.FindAsync(bare.Id, Ct);
        AssertSameSession(bare, found);
        Assert.Null(found!.Device);
        Assert.Null(found.KeyBinding);
        Assert.Empty(found.Data);
        Assert.Empty(found.AuthenticationMethods);
    }

    [Fact]
    public virtual async Task Create_AfterTheEpochAdvanced_StampsTheCurrentEpoch()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0) with { AdvanceEpoch = true }, Ct);
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.MfaChanged, T0) with { AdvanceEpoch = true }, Ct);

        Session stored = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));

        Assert.Equal(2, stored.SecurityEpoch);
        Assert.Equal(2, (await store.FindAsync(stored.Id, Ct))!.SecurityEpoch);
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, stored.Id, T0.AddMinutes(2)));
    }

    [Fact]
    public virtual async Task Create_ExpectedEpochIsCurrent_Creates()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0) with { AdvanceEpoch = true }, Ct);
        Session session = NewSession(user, T0.AddMinutes(1));

        SessionCreateResult result = await store.CreateAsync(Creation(session) with { ExpectedSecurityEpoch = 1 }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.Equal(1, result.Session!.SecurityEpoch);
    }

    [Fact]
    public virtual async Task Create_ExpectedEpochMoved_ReturnsEpochMovedAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // The credential check read epoch 0; an invalidation moved it to 1 before the session could be written.
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0) with { AdvanceEpoch = true }, Ct);
        Session presented = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));
        Session crowded = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));
        Session session = NewSession(user, T0.AddMinutes(2));
        SessionCreation creation = Creation(session) with
        {
            ExpectedSecurityEpoch = 0,
            PresentedId = presented.Id,
            Limit = new SessionLimit(1, SessionLimitMode.EvictOldest),
            Device = NewDevice("laptop", T0.AddMinutes(2)),
            MaxDevices = 3,
        };

        SessionCreateResult result = await store.CreateAsync(creation, Ct);

        Assert.Equal(SessionCreateStatus.EpochMoved, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Session);
        Assert.Empty(result.Evicted);
        Assert.Null(await store.FindAsync(session.Id, Ct));
        AssertSameSession(presented, await store.FindAsync(presented.Id, Ct));
        AssertSameSession(crowded, await store.FindAsync(crowded.Id, Ct));
        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Empty(state.KnownDevices);
    }

    [Fact]
    public virtual async Task Create_PresentedSessionOfTheSameUser_RevokesItWithItsFamiliesInTheSameStep()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session presented = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, presented);
        Session session = NewSession(user, T0.AddMinutes(5));

        SessionCreateResult result = await store.CreateAsync(Creation(session) with { PresentedId = presented.Id }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.True(result.PresentedFound);
        Session expectedRevoked = presented.Revoke(RevocationReason.Regenerated, T0.AddMinutes(5));
        AssertSameSession(expectedRevoked, result.PresentedRevoked);
        AssertSameSession(expectedRevoked, await store.FindAsync(presented.Id, Ct));
        AssertSameFamily(family.Revoke(RevocationReason.Regenerated, T0.AddMinutes(5)), await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.Empty(result.Evicted);
        AssertSameIds([session.Id], ListedIds(await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(6), Ct)));
    }

    [Fact]
    public virtual async Task Create_PresentedSessionRevokedAlready_IsFoundAndKeepsItsFirstReason()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session presented = await InsertAsync(store, NewSession(user));
        Session revoked = (await store.RevokeAsync(presented.Id, user, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;

        SessionCreateResult result = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(2))) with { PresentedId = presented.Id }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.True(result.PresentedFound);
        Assert.Null(result.PresentedRevoked);
        AssertSameSession(revoked, await store.FindAsync(presented.Id, Ct));
    }

    [Fact]
    public virtual async Task Create_PresentedSessionOfAnotherUser_IsNotFoundAndLeftAlone()
    {
        ISessionStore store = await NewStoreAsync();
        Session theirs = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily theirFamily = await IssueAsync(store, theirs);
        string user = NewUserId();

        SessionCreateResult result = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(1))) with { PresentedId = theirs.Id }, Ct);

        // Revoking another user's session is the manager's separate decision, never a side effect of this sign-in.
        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.False(result.PresentedFound);
        Assert.Null(result.PresentedRevoked);
        AssertSameSession(theirs, await store.FindAsync(theirs.Id, Ct));
        AssertSameFamily(theirFamily, await store.FindRefreshFamilyByTokenAsync(theirFamily.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task Create_PresentedSessionUnknown_IsNotFound()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = NewSession(NewUserId());

        SessionCreateResult result = await store.CreateAsync(Creation(session) with { PresentedId = NewSessionId() }, Ct);

        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.False(result.PresentedFound);
        Assert.Null(result.PresentedRevoked);
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Create_WithDevices_RemembersEachInTheSameStepAndReportsTheListBefore()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice laptop = new("laptop", NewTokenHash().ToString(), "Firefox on Linux", "198.51.100.0/24", T0, T0);

        SessionCreateResult first = await store.CreateAsync(Creation(NewSession(user)) with { Device = laptop, MaxDevices = 1 }, Ct);
        SessionCreateResult again = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(1))) with { Device = laptop with { LastSeenAt = T0.AddMinutes(1) }, MaxDevices = 1 }, Ct);
        KnownDevice seenAgain = laptop with { LastSeenAt = T0.AddMinutes(1) };
        Assert.Equal([seenAgain], (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        SessionCreateResult phone = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(2))) with { Device = NewDevice("phone", T0.AddMinutes(2)), MaxDevices = 1 }, Ct);

        Assert.True(first.IsNewDevice);
        Assert.Empty(first.KnownDevicesBefore);
        Assert.False(again.IsNewDevice);
        Assert.Equal([laptop], again.KnownDevicesBefore);
        Assert.True(phone.IsNewDevice);
        Assert.Equal([seenAgain], phone.KnownDevicesBefore);
        Assert.Equal([NewDevice("phone", T0.AddMinutes(2))], (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
    }

    [Fact]
    public virtual async Task Create_WithoutDevice_LeavesKnownDevicesAsTheyAre()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("laptop", T0), 3, Ct));

        SessionCreateResult result = await store.CreateAsync(Creation(NewSession(user, T0.AddMinutes(1))), Ct);

        Assert.False(result.IsNewDevice);
        Assert.Equal([NewDevice("laptop", T0)], (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public virtual async Task Create_DuplicateId_ThrowsAndWritesNothingElse(bool sameUser)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session existing = await InsertAsync(store, NewSession(sameUser ? user : NewUserId()));
        Session presented = await InsertAsync(store, NewSession(user));
        Session crowded = await InsertAsync(store, NewSession(user));
        Session duplicate = NewSession(user, T0.AddMinutes(1)) with { Id = existing.Id };
        SessionCreation creation = Creation(duplicate) with
        {
            PresentedId = presented.Id,
            Limit = new SessionLimit(1, SessionLimitMode.EvictOldest),
            Device = NewDevice("laptop", T0.AddMinutes(1)),
            MaxDevices = 3,
        };

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(async () => await store.CreateAsync(creation, Ct));

        Assert.IsNotAssignableFrom<OperationCanceledException>(refused);
        AssertSameSession(existing, await store.FindAsync(existing.Id, Ct));
        AssertSameSession(presented, await store.FindAsync(presented.Id, Ct));
        AssertSameSession(crowded, await store.FindAsync(crowded.Id, Ct));
        Assert.Empty((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
    }

    [Fact]
    public virtual async Task Find_UnknownId_ReturnsNull()
    {
        ISessionStore store = await NewStoreAsync();
        await InsertAsync(store, NewSession(NewUserId()));

        Assert.Null(await store.FindAsync(NewSessionId(), Ct));
    }

    [Fact]
    public virtual async Task Find_RevokedOrExpiredSession_ReturnsTheRecordUnjudged()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session revoked = await InsertAsync(store, NewSession(user));
        Session expected = (await store.RevokeAsync(revoked.Id, null, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;
        Session expired = await InsertAsync(store, NewSession(user, T0.AddHours(-20)));

        AssertSameSession(expected, await store.FindAsync(revoked.Id, Ct));
        AssertSameSession(expired, await store.FindAsync(expired.Id, Ct));
    }

    [Fact]
    public virtual async Task Validate_LiveSession_ValidAndTouchedOnlyWhenTheRenewalIsDue()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        SessionCheck early = await store.ValidateAsync(session.Id, Rules, T0.AddSeconds(59), touch: true, Ct);
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
        DateTimeOffset due = T0.AddMinutes(1).AddTicks(3);
        SessionCheck renewed = await store.ValidateAsync(session.Id, Rules, due, touch: true, Ct);

        Assert.Equal(SessionValidationStatus.Valid, early.Status);
        Assert.True(early.IsValid);
        AssertSameSession(session, early.Session);
        Assert.Equal(SessionValidationStatus.Valid, renewed.Status);
        Session expected = session.Touch(Rules, due);
        Assert.Equal(due, expected.LastSeenAt);
        Assert.Equal(session.Version + 1, expected.Version);
        AssertSameSession(expected, renewed.Session);
        AssertSameSession(expected, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Validate_WithoutTouch_WritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        SessionCheck check = await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(20), touch: false, Ct);

        Assert.Equal(SessionValidationStatus.Valid, check.Status);
        AssertSameSession(session, check.Session);
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Validate_Touch_NeverMovesIdleExpiryPastAbsoluteExpiry()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), absolute: TimeSpan.FromMinutes(40)));

        SessionCheck check = await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(20), touch: true, Ct);

        Assert.Equal(T0.AddMinutes(40), check.Session!.IdleExpiresAt);
        Assert.Equal(T0.AddMinutes(40), (await store.FindAsync(session.Id, Ct))!.IdleExpiresAt);
    }

    [Fact]
    public virtual async Task Validate_UnknownId_NotFound()
    {
        ISessionStore store = await NewStoreAsync();

        SessionCheck check = await store.ValidateAsync(NewSessionId(), Rules, T0, touch: true, Ct);

        Assert.Equal(SessionValidationStatus.NotFound, check.Status);
        Assert.Null(check.Session);
        Assert.False(check.IsValid);
    }

    [Fact]
    public virtual async Task Validate_RevokedSession_RevokedAndNeverTouched()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Session revoked = (await store.RevokeAsync(session.Id, null, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;

        SessionCheck check = await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(10), touch: true, Ct);

        Assert.Equal(SessionValidationStatus.Revoked, check.Status);
        AssertSameSession(revoked, check.Session);
        AssertSameSession(revoked, await store.FindAsync(session.Id, Ct));
    }

    [Theory]
    [InlineData(30, 0, SessionValidationStatus.ExpiredIdle)]       // the stored idle expiry, to the tick
    [InlineData(30, -1, SessionValidationStatus.Valid)]
    [InlineData(720, 0, SessionValidationStatus.ExpiredAbsolute)]  // the stored absolute expiry, to the tick
    public virtual async Task Validate_AtTheStoredExpiry_ExpiresToTheTick(int minutes, int ticks, SessionValidationStatus expected)
    {
        ISessionStore store = await NewStoreAsync();

        // For the absolute case the idle lifetime equals the absolute one, so only the absolute expiry can decide.
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: minutes == 720 ? Absolute : Idle));
        SessionRules rules = minutes == 720 ? LongRules : Rules;

        SessionCheck check = await store.ValidateAsync(session.Id, rules, T0.AddMinutes(minutes).AddTicks(ticks), touch: true, Ct);

        Assert.Equal(expected, check.Status);
        if (expected != SessionValidationStatus.Valid)
        {
            AssertSameSession(session, await store.FindAsync(session.Id, Ct));
        }
    }

    [Fact]
    public virtual async Task Validate_StoredExpiriesLongerThanTheRules_TheRulesCapThem()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // A record written under a laxer configuration (or tampered with) cannot outlive the rules in force.
        Session idleLong = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromHours(5)));
        Session absoluteLong = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromDays(2), absolute: TimeSpan.FromDays(2)));

        Assert.Equal(SessionValidationStatus.ExpiredIdle, await StatusAsync(store, idleLong.Id, T0 + Idle));
        Assert.Equal(SessionValidationStatus.ExpiredAbsolute, await StatusAsync(store, absoluteLong.Id, T0 + Absolute, LongRules));
    }

    [Fact]
    public virtual async Task Validate_RecordFromTheFuture_ClockSkewBeyondTheToleranceOnly()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session ahead = await InsertAsync(store, NewSession(user, T0.AddSeconds(31)));
        Session withinTolerance = await InsertAsync(store, NewSession(user, T0.AddSeconds(30)));

        SessionCheck skewed = await store.ValidateAsync(ahead.Id, Rules, T0, touch: true, Ct);

        Assert.Equal(SessionValidationStatus.ClockSkew, skewed.Status);
        AssertSameSession(ahead, await store.FindAsync(ahead.Id, Ct));
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, withinTolerance.Id, T0));
    }

    [Fact]
    public virtual async Task List_MixedSessions_ReturnsOnlyThoseOfThatUserValidNow()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        DateTimeOffset now = T0.AddMinutes(50);
        Session live = await InsertAsync(store, NewSession(user, T0.AddMinutes(40)));
        Session touched = await InsertAsync(store, NewSession(user));
        await store.ValidateAsync(touched.Id, Rules, T0.AddMinutes(25), touch: true, Ct);
        await InsertAsync(store, NewSession(user));                                          // idle expiry == now - 20 minutes
        await InsertAsync(store, NewSession(user, T0.AddMinutes(20)));                       // idle expiry == now
        await InsertAsync(store, NewSession(user, now - Absolute, idle: 2 * Absolute, absolute: 2 * Absolute)); // past the rules' lifetimes
        await InsertAsync(store, NewSession(user, now.AddMinutes(1)));                       // from the future beyond the skew
        Session revoked = await InsertAsync(store, NewSession(user, T0.AddMinutes(45)));
        await store.RevokeAsync(revoked.Id, null, RevocationReason.Logout, T0.AddMinutes(46), Ct);
        await InsertAsync(store, NewSession(NewUserId(), T0.AddMinutes(45)));

        IReadOnlyList<Session> listed = await store.ListUserSessionsAsync(user, Rules, now, Ct);

        AssertSameIds([live.Id, touched.Id], ListedIds(listed));
        AssertSameSession(live, listed.Single(s => s.Id == live.Id));
        Assert.Empty(await store.ListUserSessionsAsync(NewUserId(), Rules, now, Ct));
    }

    private static IEnumerable<Tokens.SessionId> ListedIds(IReadOnlyList<Session> sessions)
    {
        foreach (Session session in sessions)
        {
            yield return session.Id;
        }
    }

    private static KnownDevice NewDevice(string key, DateTimeOffset seen) => new(key, null, "Firefox on Linux", "198.51.100.0/24", seen, seen);
}
