using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Revocation of one session, of a user's sessions (except, keep, epoch advance), the epoch invariant and the global instant.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task Revoke_LiveSession_ReturnsTheRevokedRecordAndKeepsIt()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        DateTimeOffset at = T0.AddMinutes(5).AddTicks(1);

        Session? revoked = await store.RevokeAsync(session.Id, null, RevocationReason.Logout, at, Ct);

        Session expected = session.Revoke(RevocationReason.Logout, at);
        Assert.True(expected.Version > session.Version);
        AssertSameSession(expected, revoked);
        AssertSameSession(expected, await store.FindAsync(session.Id, Ct));
        Assert.Equal(SessionValidationStatus.Revoked, await StatusAsync(store, session.Id, at));
    }

    [Fact]
    public virtual async Task Revoke_AlreadyRevoked_ReturnsNullAndKeepsTheFirstReason()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Session first = (await store.RevokeAsync(session.Id, null, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;

        Assert.Null(await store.RevokeAsync(session.Id, null, RevocationReason.Administrative, T0.AddMinutes(2), Ct));

        AssertSameSession(first, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Revoke_UnknownId_ReturnsNull()
    {
        ISessionStore store = await NewStoreAsync();

        Assert.Null(await store.RevokeAsync(NewSessionId(), null, RevocationReason.Logout, T0, Ct));
        Assert.Null(await store.RevokeAsync(NewSessionId(), NewUserId(), RevocationReason.Logout, T0, Ct));
    }

    [Fact]
    public virtual async Task Revoke_ForTheOwner_RevokesAndForAnotherUser_ReturnsNullAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, session);

        Assert.Null(await store.RevokeAsync(session.Id, NewUserId(), RevocationReason.Logout, T0.AddMinutes(1), Ct));
        Assert.Null(await store.RevokeAsync(session.Id, user.ToUpperInvariant(), RevocationReason.Logout, T0.AddMinutes(1), Ct));
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));

        Session? revoked = await store.RevokeAsync(session.Id, user, RevocationReason.Logout, T0.AddMinutes(2), Ct);
        AssertSameSession(session.Revoke(RevocationReason.Logout, T0.AddMinutes(2)), revoked);
    }

    [Fact]
    public virtual async Task Revoke_ExpiredSession_StillRevokesTheRecord()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        Session? revoked = await store.RevokeAsync(session.Id, null, RevocationReason.Administrative, T0.AddHours(2), Ct);

        AssertSameSession(session.Revoke(RevocationReason.Administrative, T0.AddHours(2)), revoked);
    }

    [Fact]
    public virtual async Task Revoke_SessionWithFamilies_RevokesEveryFamilyWithTheSameReason()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        Session other = await InsertAsync(store, NewSession(user));
        RefreshFamily f1 = await IssueAsync(store, session);
        RefreshFamily f2 = await IssueAsync(store, session);
        RefreshFamily untouched = await IssueAsync(store, other);
        RefreshRedemption r = Redemption(f2.CurrentTokenHash, T0.AddMinutes(1));
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r, Ct)).Status);

        Assert.NotNull(await store.RevokeAsync(session.Id, null, RevocationReason.Administrative, T0.AddMinutes(2), Ct));

        foreach (RefreshTokenHash hash in new[] { f1.CurrentTokenHash, r.SuccessorTokenHash, f2.CurrentTokenHash })
        {
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(hash, Ct);
            Assert.True(found!.IsRevoked);
            Assert.Equal(RevocationReason.Administrative, found.RevocationReason);
            Assert.Equal(T0.AddMinutes(2), found.RevokedAt);
            Assert.True(found.SealedCurrentToken.IsEmpty);
        }

        AssertSameFamily(untouched, await store.FindRefreshFamilyByTokenAsync(untouched.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_All_RevokesEverySessionAndFamilyOfThatUserOnly()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, b);
        Session already = await InsertAsync(store, NewSession(user));
        Session alreadyRevoked = (await store.RevokeAsync(already.Id, null, RevocationReason.Logout, T0, Ct))!;
        Session other = await InsertAsync(store, NewSession(NewUserId()));

        UserRevocationResult result = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.SuspectedBreach, T0.AddMinutes(3)), Ct);

        AssertSameIds([a.Id, b.Id], result.Revoked);
        Assert.Equal(0, result.SecurityEpoch);
        Assert.Null(result.Kept);
        AssertSameSession(a.Revoke(RevocationReason.SuspectedBreach, T0.AddMinutes(3)), await store.FindAsync(a.Id, Ct));
        AssertSameFamily(family.Revoke(RevocationReason.SuspectedBreach, T0.AddMinutes(3)), await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        AssertSameSession(alreadyRevoked, await store.FindAsync(already.Id, Ct));
        AssertSameSession(other, await store.FindAsync(other.Id, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Empty(await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(3), Ct));
        Assert.Empty((await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.SuspectedBreach, T0.AddMinutes(4)), Ct)).Revoked);
    }

    [Fact]
    public virtual async Task RevokeUserSessions_Except_LeavesThatSessionExactlyAsItIs()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session keep = await InsertAsync(store, NewSession(user));
        RefreshFamily keptFamily = await IssueAsync(store, keep);
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));

        UserRevocationResult result = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.Logout, T0.AddMinutes(3)) with { Except = keep.Id }, Ct);

        AssertSameIds([a.Id, b.Id], result.Revoked);
        Assert.Null(result.Kept);
        AssertSameSession(keep, await store.FindAsync(keep.Id, Ct));
        AssertSameFamily(keptFamily, await store.FindRefreshFamilyByTokenAsync(keptFamily.CurrentTokenHash, Ct));
        AssertSameIds([keep.Id], ListedIds(await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(4), Ct)));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_AdvanceEpoch_MovesTheEpochAndRevokesEverything()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session a = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, a);
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("laptop", T0), 3, Ct));

        UserRevocationResult result = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with { AdvanceEpoch = true }, Ct);

        Assert.Equal(1, result.SecurityEpoch);
        AssertSameIds([a.Id], result.Revoked);
        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Equal([NewDevice("laptop", T0)], state.KnownDevices);
        Assert.Equal(1, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Equal(RevocationReason.PasswordChanged, (await store.FindAsync(a.Id, Ct))!.RevocationReason);
        Assert.Equal(RevocationReason.PasswordChanged, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.RevocationReason);
        Assert.Equal(2, (await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.MfaChanged, T0.AddMinutes(2)) with { AdvanceEpoch = true }, Ct)).SecurityEpoch);
    }

    [Fact]
    public virtual async Task RevokeUserSessions_ExceptWithEpochAdvance_ThrowsArgumentExceptionAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session a = await InsertAsync(store, NewSession(user));
        Session b = await InsertAsync(store, NewSession(user));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
            await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with { AdvanceEpoch = true, Except = a.Id }, Ct));

        AssertSameSession(a, await store.FindAsync(a.Id, Ct));
        AssertSameSession(b, await store.FindAsync(b.Id, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_KeepWithEpochAdvance_RegeneratesItUnderTheNewEpochInTheSameStep()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        RefreshFamily currentFamily = await IssueAsync(store, current);
        Session other = await InsertAsync(store, NewSession(user));
        DateTimeOffset now = T0.AddMinutes(4);
        SessionReplacement replacement = new() { NewId = NewSessionId(), AuthenticationLevel = 2 };

        UserRevocationResult result = await store.RevokeUserSessionsAsync(
            RevokeAll(user, RevocationReason.PasswordChanged, now) with { AdvanceEpoch = true, Keep = (current.Id, replacement) },
            Ct);

        Session expected = current.Regenerate(replacement, Rules, 1, now);
        Assert.Equal(1, result.SecurityEpoch);
        AssertSameIds([other.Id], result.Revoked);
        Assert.NotNull(result.Kept);
        Assert.True(result.Kept.IsSuccess);
        AssertSameSession(expected, result.Kept.Replacement);
        AssertSameSession(current.Revoke(RevocationReason.Regenerated, now), result.Kept.Previous);
        AssertSameSession(expected, await store.FindAsync(replacement.NewId, Ct));
        AssertSameSession(current.Revoke(RevocationReason.Regenerated, now), await store.FindAsync(current.Id, Ct));
        AssertSameFamily(currentFamily.Revoke(RevocationReason.Regenerated, now), await store.FindRefreshFamilyByTokenAsync(currentFamily.CurrentTokenHash, Ct));
        Assert.Equal(RevocationReason.PasswordChanged, (await store.FindAsync(other.Id, Ct))!.RevocationReason);
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, replacement.NewId, now.AddMinutes(1)));
        AssertSameIds([replacement.NewId], ListedIds(await store.ListUserSessionsAsync(user, Rules, now.AddMinutes(1), Ct)));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_KeepWithoutEpochAdvance_RegeneratesItUnderTheSameEpoch()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        Session other = await InsertAsync(store, NewSession(user));
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        UserRevocationResult result = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.Logout, T0.AddMinutes(2)) with { Keep = (current.Id, replacement) }, Ct);

        Assert.Equal(0, result.SecurityEpoch);
        AssertSameIds([other.Id], result.Revoked);
        AssertSameSession(current.Regenerate(replacement, Rules, 0, T0.AddMinutes(2)), result.Kept!.Replacement);
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_KeepOfAnotherUser_NotFoundAndThatSessionIsLeftAlone()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session mine = await InsertAsync(store, NewSession(user));
        Session theirs = await InsertAsync(store, NewSession(NewUserId()));
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        UserRevocationResult result = await store.RevokeUserSessionsAsync(
            RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with { AdvanceEpoch = true, Keep = (theirs.Id, replacement) },
            Ct);

        Assert.Equal(SessionValidationStatus.NotFound, result.Kept!.Status);
        Assert.Null(result.Kept.Replacement);
        AssertSameIds([mine.Id], result.Revoked);
        AssertSameSession(theirs, await store.FindAsync(theirs.Id, Ct));
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(theirs.UserId, Ct));
    }

    [Theory]
    [InlineData(SessionValidationStatus.Revoked)]
    [InlineData(SessionValidationStatus.ExpiredIdle)]
    [InlineData(SessionValidationStatus.ClockSkew)]
    public virtual async Task RevokeUserSessions_KeepNotValid_IsRevokedWithTheRest(SessionValidationStatus status)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        (Session current, DateTimeOffset now) = await SessionInStateAsync(store, user, status);
        Session other = await InsertAsync(store, NewSession(user, now));
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        UserRevocationResult result = await store.RevokeUserSessionsAsync(
            RevokeAll(user, RevocationReason.PasswordChanged, now) with { AdvanceEpoch = true, Keep = (current.Id, replacement) },
            Ct);

        Assert.Equal(status, result.Kept!.Status);
        Assert.False(result.Kept.IsSuccess);
        Assert.Null(result.Kept.Replacement);
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        AssertSameIds(status == SessionValidationStatus.Revoked ? [other.Id] : [current.Id, other.Id], result.Revoked);
        Assert.True((await store.FindAsync(current.Id, Ct))!.IsRevoked);
        Assert.Equal(1, result.SecurityEpoch);
    }

    [Fact]
    public virtual async Task RevokeUserSessions_KeepWithDuplicateReplacementId_ThrowsAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        Session other = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, other);
        UserRevocation revocation = RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with
        {
            AdvanceEpoch = true,
            Keep = (current.Id, new SessionReplacement { NewId = other.Id }),
        };

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(async () => await store.RevokeUserSessionsAsync(revocation, Ct));

        Assert.IsNotAssignableFrom<OperationCanceledException>(refused);
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));
        AssertSameSession(current, await store.FindAsync(current.Id, Ct));
        AssertSameSession(other, await store.FindAsync(other.Id, Ct));
        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task RevokeUserSessions_UnknownUser_RevokesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        UserRevocationResult plain = await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.Logout, T0), Ct);

        Assert.Empty(plain.Revoked);
        Assert.Equal(0, plain.SecurityEpoch);
        Assert.Null(plain.Kept);
    }

    [Fact]
    public virtual async Task EpochInvariant_SessionsOfAnOlderEpoch_AreRevokedInEveryJudgement()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session old = await InsertAsync(store, NewSession(user, idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(old, rules: LongRules));
        Session oldToo = await InsertAsync(store, NewSession(user, idle: Absolute));
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)) with { AdvanceEpoch = true }, Ct);
        Session fresh = await InsertAsync(store, NewSession(user, T0.AddMinutes(2)));
        DateTimeOffset now = T0.AddMinutes(3);
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        Assert.Equal(0, old.SecurityEpoch);
        Assert.Equal(1, fresh.SecurityEpoch);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.ValidateAsync(old.Id, LongRules, now, touch: true, Ct)).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.RegenerateAsync(new SessionRegeneration { CurrentId = old.Id, Replacement = replacement, Rules = LongRules, Now = now }, Ct)).Status);
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        AssertSameIds([fresh.Id], ListedIds(await store.ListUserSessionsAsync(user, LongRules, now, Ct)));
        RefreshFamilyCreation creation = FamilyCreation(oldToo, now, rules: LongRules);
        Assert.Equal(SessionValidationStatus.Revoked, (await store.CreateRefreshFamilyAsync(creation, Ct)).Status);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct));
        Assert.Equal(SessionBindStatus.NotValid, (await store.BindKeyAsync(old.Id, NewKeyBinding(now), LongRules, now, Ct)).Status);
        RefreshRedeemResult redeemed = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, now, rules: LongRules), Ct);
        Assert.NotEqual(RefreshRedeemStatus.Rotated, redeemed.Status);
        Assert.Equal(family.CurrentTokenHash, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.CurrentTokenHash);
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, fresh.Id, now));

        // A sign-in that read the old epoch before its credential check must not be written.
        Assert.Equal(SessionCreateStatus.EpochMoved, (await store.CreateAsync(Creation(NewSession(user, now)) with { ExpectedSecurityEpoch = 0 }, Ct)).Status);
    }

    [Fact]
    public virtual async Task RevokeEverySession_MovesTheInstantForwardOnly()
    {
        ISessionStore store = await NewStoreAsync();
        DateTimeOffset instant = GlobalRevocationInstant;

        Assert.Equal(instant, await store.RevokeEverySessionAsync(instant, Ct));
        Assert.Equal(instant, await store.RevokeEverySessionAsync(instant - TimeSpan.FromHours(1), Ct));
        Assert.Equal(instant, await store.RevokeEverySessionAsync(instant, Ct));
    }

    [Fact]
    public virtual async Task RevokeEverySession_SessionsCreatedAtOrBeforeTheInstant_AreRevokedInEveryJudgement()
    {
        ISessionStore store = await NewStoreAsync();
        DateTimeOffset instant = GlobalRevocationInstant;
        DateTimeOffset now = instant.AddMinutes(5);
        string user = NewUserId();

        // On a database shared with an earlier run the instant may be in force already (reading it moves nothing that matters).
        bool inForceAlready = await store.RevokeEverySessionAsync(DateTimeOffset.UnixEpoch, Ct) >= instant.AddMinutes(-1);
        Session before = await InsertAsync(store, NewSession(user, instant.AddMinutes(-1)));
        RefreshFamily? beforeFamily = inForceAlready ? null : await IssueAsync(store, FamilyCreation(before, instant.AddMinutes(-1)));
        Session atInstant = await InsertAsync(store, NewSession(user, instant));
        Session after = await InsertAsync(store, NewSession(user, instant.AddTicks(1)));
        RefreshFamily afterFamily = await IssueAsync(store, FamilyCreation(after, instant.AddTicks(1)));

        Assert.Equal(instant, await store.RevokeEverySessionAsync(instant, Ct));

        Assert.Equal(SessionValidationStatus.Revoked, await StatusAsync(store, before.Id, now));
        Assert.Equal(SessionValidationStatus.Revoked, await StatusAsync(store, atInstant.Id, now));
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, after.Id, now));
        AssertSameIds([after.Id], ListedIds(await store.ListUserSessionsAsync(user, Rules, now, Ct)));
        SessionReplacement replacement = new() { NewId = NewSessionId() };
        Assert.Equal(SessionValidationStatus.Revoked, (await store.RegenerateAsync(new SessionRegeneration { CurrentId = atInstant.Id, Replacement = replacement, Rules = Rules, Now = now }, Ct)).Status);
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        Assert.Equal(SessionValidationStatus.Revoked, (await store.CreateRefreshFamilyAsync(FamilyCreation(before, now), Ct)).Status);
        Assert.Equal(SessionBindStatus.NotValid, (await store.BindKeyAsync(before.Id, NewKeyBinding(now), Rules, now, Ct)).Status);
        if (beforeFamily is not null)
        {
            RefreshRedeemResult dead = await store.RedeemRefreshTokenAsync(Redemption(beforeFamily.CurrentTokenHash, now), Ct);
            Assert.Equal(RefreshRedeemStatus.SessionNotLive, dead.Status);
            Assert.Equal(SessionValidationStatus.Revoked, dead.SessionStatus);
            Assert.Equal(0, dead.Family!.Generation);
        }

        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(Redemption(afterFamily.CurrentTokenHash, now), Ct)).Status);

        // The revoked sessions no longer count against a limit.
        SessionCreateResult limited = await store.CreateAsync(Creation(NewSession(user, now)) with { Limit = new SessionLimit(2, SessionLimitMode.RejectNew) }, Ct);
        Assert.Equal(SessionCreateStatus.Created, limited.Status);
        Assert.Empty(limited.Evicted);
    }
}
