using System;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Refresh families: creation, every outcome of the redemption compare-and-swap, bindings, and revocation by any hash.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task CreateRefreshFamily_ValidSession_StoresEveryFieldIncludingItsBinding()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        DateTimeOffset now = T0.AddTicks(5);
        RefreshFamilyCreation creation = FamilyCreation(session, now) with { ClientId = "client-ünï:{$}", KeyThumbprint = NewTokenHash().ToString() };

        RefreshFamilyCreateResult result = await store.CreateRefreshFamilyAsync(creation, Ct);

        RefreshFamily expected = new()
        {
            FamilyId = creation.FamilyId,
            SessionId = session.Id,
            UserId = session.UserId,
            ClientId = creation.ClientId,
            KeyThumbprint = creation.KeyThumbprint,
            CreatedAt = now,
            AbsoluteExpiresAt = now + creation.Lifetime,
            CurrentTokenHash = creation.TokenHash,
            CurrentIssuedAt = now,
            CurrentIdleExpiresAt = now + creation.IdleLifetime,
        };
        Assert.True(result.IsSuccess);
        Assert.Equal(SessionValidationStatus.Valid, result.Status);
        AssertSameFamily(expected, result.Family);
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct));
        AssertSameSession(session, result.Session);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(NewTokenHash(), Ct));
    }

    [Fact]
    public virtual async Task CreateRefreshFamily_LifetimeBeyondTheSession_CappedAtItsAbsoluteExpiry()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), absolute: TimeSpan.FromHours(2)));
        RefreshFamilyCreation creation = FamilyCreation(session, T0.AddMinutes(10), lifetime: TimeSpan.FromDays(7), idle: TimeSpan.FromDays(1));

        RefreshFamily family = await IssueAsync(store, creation);

        Assert.Equal(session.AbsoluteExpiresAt, family.AbsoluteExpiresAt);
        Assert.Equal(session.AbsoluteExpiresAt, family.CurrentIdleExpiresAt);
        Assert.Equal(session.AbsoluteExpiresAt, (await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct))!.AbsoluteExpiresAt);
    }

    [Fact]
    public virtual async Task CreateRefreshFamily_RenewalDue_TouchesTheSessionInTheSameStep()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        RefreshFamilyCreateResult early = await store.CreateRefreshFamilyAsync(FamilyCreation(session, T0.AddSeconds(30)), Ct);
        RefreshFamilyCreateResult due = await store.CreateRefreshFamilyAsync(FamilyCreation(session, T0.AddMinutes(5)), Ct);

        AssertSameSession(session, early.Session);
        Session touched = session.Touch(Rules, T0.AddMinutes(5));
        AssertSameSession(touched, due.Session);
        AssertSameSession(touched, await store.FindAsync(session.Id, Ct));
    }

    [Theory]
    [InlineData(SessionValidationStatus.NotFound)]
    [InlineData(SessionValidationStatus.Revoked)]
    [InlineData(SessionValidationStatus.ExpiredIdle)]
    [InlineData(SessionValidationStatus.ExpiredAbsolute)]
    [InlineData(SessionValidationStatus.ClockSkew)]
    public virtual async Task CreateRefreshFamily_SessionNotValid_ReturnsItsStatusAndWritesNothing(SessionValidationStatus status)
    {
        ISessionStore store = await NewStoreAsync();
        (Session? session, DateTimeOffset now) = status == SessionValidationStatus.NotFound
            ? (NewSession(NewUserId()), T0)
            : await SessionInStateAsync(store, NewUserId(), status);
        Session? before = await store.FindAsync(session.Id, Ct);
        RefreshFamilyCreation creation = FamilyCreation(session, now);

        RefreshFamilyCreateResult result = await store.CreateRefreshFamilyAsync(creation, Ct);

        Assert.Equal(status, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Family);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct));
        if (before is null)
        {
            Assert.Null(result.Session);
        }
        else
        {
            AssertSameSession(before, result.Session);
            AssertSameSession(before, await store.FindAsync(session.Id, Ct));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public virtual async Task CreateRefreshFamily_DuplicateFamilyIdOrTokenHash_ThrowsAndWritesNothing(bool duplicateId)
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily existing = await IssueAsync(store, FamilyCreation(session, T0.AddSeconds(10)));
        Session before = (await store.FindAsync(session.Id, Ct))!;

        // The renewal is due at T0 + 5 minutes, so a partial write would show on the session too.
        RefreshFamilyCreation creation = FamilyCreation(session, T0.AddMinutes(5));
        creation = duplicateId ? creation with { FamilyId = existing.FamilyId } : creation with { TokenHash = existing.CurrentTokenHash };

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(async () => await store.CreateRefreshFamilyAsync(creation, Ct));

        Assert.IsNotAssignableFrom<OperationCanceledException>(refused);
        AssertSameFamily(existing, await store.FindRefreshFamilyByTokenAsync(existing.CurrentTokenHash, Ct));
        AssertSameSession(before, await store.FindAsync(session.Id, Ct));
        if (duplicateId)
        {
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct));
        }
    }

    [Fact]
    public virtual async Task Redeem_CurrentToken_RotatesExactlyAsRefreshFamilyRotate()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshRedemption first = Redemption(family.CurrentTokenHash, T0.AddMinutes(10).AddTicks(1));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(first, Ct);

        RefreshFamily expected = family.Rotate(first, out RefreshTokenHash? forgotten);
        Assert.Null(forgotten);
        Assert.Equal(RefreshRedeemStatus.Rotated, result.Status);
        Assert.Equal(SessionValidationStatus.Valid, result.SessionStatus);
        Assert.False(result.SessionRevoked);
        AssertSameFamily(expected, result.Family);
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(first.SuccessorTokenHash, Ct));
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));

        // A second rotation moves the first token into the spent list, and every hash still finds the family.
        RefreshRedemption second = Redemption(first.SuccessorTokenHash, T0.AddMinutes(20));
        RefreshRedeemResult again = await store.RedeemRefreshTokenAsync(second, Ct);
        Assert.Equal(RefreshRedeemStatus.Rotated, again.Status);
        expected = expected.Rotate(second, out _);
        AssertSameFamily(expected, again.Family);
        Assert.Equal([family.CurrentTokenHash], again.Family!.SpentTokenHashes);
        foreach (RefreshTokenHash hash in new[] { family.CurrentTokenHash, first.SuccessorTokenHash, second.SuccessorTokenHash })
        {
            AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(hash, Ct));
        }
    }

    [Fact]
    public virtual async Task Redeem_Rotation_RenewsTheSessionInTheSameStepWhenDue()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshRedemption redemption = Redemption(family.CurrentTokenHash, T0.AddMinutes(10));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Session touched = session.Touch(Rules, T0.AddMinutes(10));
        AssertSameSession(touched, result.Session);
        AssertSameSession(touched, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Redeem_SuccessorIdleBeyondTheFamily_CappedAtItsAbsoluteExpiry()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, lifetime: TimeSpan.FromMinutes(90), rules: LongRules));
        RefreshRedemption redemption = Redemption(family.CurrentTokenHash, T0.AddMinutes(45), rules: LongRules) with { SuccessorIdleExpiresAt = T0.AddHours(5) };

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(family.AbsoluteExpiresAt, result.Family!.CurrentIdleExpiresAt);
        Assert.Equal(family.AbsoluteExpiresAt, (await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct))!.CurrentIdleExpiresAt);
    }

    [Fact]
    public virtual async Task Redeem_UnknownToken_NotFoundAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        RefreshRedemption redemption = Redemption(NewTokenHash(), T0);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(RefreshRedeemStatus.NotFound, result.Status);
        Assert.Null(result.Family);
        Assert.Null(result.Session);
        Assert.False(result.SessionRevoked);
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
    }

    [Fact]
    public virtual async Task Redeem_PreviousTokenWithinTheGraceWindow_GraceRetryWritesNothingToTheFamily()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        TimeSpan grace = TimeSpan.FromMinutes(5);
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace);
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;
        Session afterRotation = (await store.FindAsync(session.Id, Ct))!;

        // The client lost the answer and retries with the same token at the last instant of the window.
        RefreshRedemption retry = Redemption(family.CurrentTokenHash, T0.AddMinutes(1) + grace, grace);
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(retry, Ct);

        Assert.Equal(RefreshRedeemStatus.GraceRetry, result.Status);
        Assert.False(result.SessionRevoked);
        AssertSameFamily(rotated, result.Family);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(retry.SuccessorTokenHash, Ct));
        Session touched = afterRotation.Touch(Rules, retry.Now);
        AssertSameSession(touched, result.Session);
        AssertSameSession(touched, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Redeem_PreviousTokenAfterTheGraceWindow_ReusedRevokesFamilyAndSessionInTheSameStep()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshFamily sibling = await IssueAsync(store, session);
        Session other = await InsertAsync(store, NewSession(user));
        RefreshFamily otherFamily = await IssueAsync(store, other);
        TimeSpan grace = TimeSpan.FromSeconds(10);
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace);
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(rotation, Ct)).Status);
        DateTimeOffset now = T0.AddMinutes(1) + grace + TimeSpan.FromTicks(1);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, now, grace), Ct);

        Assert.Equal(RefreshRedeemStatus.Reused, result.Status);
        Assert.True(result.SessionRevoked);
        Assert.Equal(SessionValidationStatus.Valid, result.SessionStatus);
        Assert.Equal(RevocationReason.RefreshTokenReuse, result.Family!.RevocationReason);
        Assert.True(result.Family.SealedCurrentToken.IsEmpty);
        Assert.Equal(RevocationReason.RefreshTokenReuse, result.Session!.RevocationReason);
        RefreshFamily? stored = await store.FindRefreshFamilyByTokenAsync(rotation.SuccessorTokenHash, Ct);
        AssertSameFamily(result.Family, stored);
        Assert.Equal(now, stored!.RevokedAt);
        AssertSameSession(result.Session, await store.FindAsync(session.Id, Ct));
        Assert.Equal(RevocationReason.RefreshTokenReuse, (await store.FindRefreshFamilyByTokenAsync(sibling.CurrentTokenHash, Ct))!.RevocationReason);
        AssertSameSession(other, await store.FindAsync(other.Id, Ct));
        AssertSameFamily(otherFamily, await store.FindRefreshFamilyByTokenAsync(otherFamily.CurrentTokenHash, Ct));

        // The successor the thief raced for is dead too.
        RefreshRedeemResult successor = await store.RedeemRefreshTokenAsync(Redemption(rotation.SuccessorTokenHash, now.AddSeconds(1), grace), Ct);
        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, successor.Status);
        Assert.False(successor.SessionRevoked);
    }

    [Fact]
    public virtual async Task Redeem_OlderSpentTokenEvenWithinTheGraceWindow_Reused()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        TimeSpan grace = TimeSpan.FromMinutes(5);
        RefreshRedemption r1 = Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace);
        await store.RedeemRefreshTokenAsync(r1, Ct);
        await store.RedeemRefreshTokenAsync(Redemption(r1.SuccessorTokenHash, T0.AddMinutes(2), grace), Ct);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(3), grace), Ct);

        Assert.Equal(RefreshRedeemStatus.Reused, result.Status);
        Assert.True(result.SessionRevoked);
        Assert.True((await store.FindAsync(session.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public virtual async Task Redeem_PreviousTokenWithoutAGraceWindow_Reused()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(1)), Ct);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(1)), Ct);

        Assert.Equal(RefreshRedeemStatus.Reused, result.Status);
        Assert.True(result.SessionRevoked);
    }

    [Fact]
    public virtual async Task Redeem_RevokedFamily_FamilyRevokedRevokesTheSessionOnce()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshFamily revokedFamily = (await store.RevokeRefreshFamilyAsync(family.CurrentTokenHash, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;
        RefreshRedemption redemption = Redemption(family.CurrentTokenHash, T0.AddMinutes(2));

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);
        RefreshRedeemResult again = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(3)), Ct);

        // A token of a revoked family is evidence of theft: the session goes, and the family keeps its first reason.
        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
        Assert.True(result.SessionRevoked);
        AssertSameFamily(revokedFamily, result.Family);
        AssertSameFamily(revokedFamily, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
        Session revokedSession = session.Revoke(RevocationReason.RefreshTokenReuse, T0.AddMinutes(2));
        AssertSameSession(revokedSession, result.Session);
        AssertSameSession(revokedSession, await store.FindAsync(session.Id, Ct));
        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, again.Status);
        Assert.False(again.SessionRevoked);
        AssertSameSession(revokedSession, again.Session);
    }

    [Fact]
    public virtual async Task Redeem_RevokedSession_NeverRotates()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        Session revoked = (await store.RevokeAsync(session.Id, null, RevocationReason.Logout, T0.AddMinutes(1), Ct))!;

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(2)), Ct);

        Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
        Assert.False(result.SessionRevoked);
        Assert.Equal(0, result.Family!.Generation);
        AssertSameSession(revoked, await store.FindAsync(session.Id, Ct));
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(61, false)]
    [InlineData(480, true)]
    public virtual async Task Redeem_PastTheTokensIdleOrTheFamilysAbsoluteExpiry_ExpiredAndWritesNothing(int minutes, bool absolute)
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));

        // Idle 1 hour; absolute 8 hours. The absolute case keeps the token itself unexpired by rotating first.
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, rules: LongRules));
        RefreshTokenHash presented = family.CurrentTokenHash;
        if (absolute)
        {
            RefreshRedemption r = Redemption(presented, T0.AddMinutes(30), rules: LongRules) with { SuccessorIdleExpiresAt = T0.AddHours(20) };
            Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(r, Ct)).Status);
            presented = r.SuccessorTokenHash;
        }

        RefreshFamily before = (await store.FindRefreshFamilyByTokenAsync(presented, Ct))!;
        RefreshRedemption redemption = Redemption(presented, T0.AddMinutes(minutes), rules: LongRules);
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(redemption, Ct);

        Assert.Equal(RefreshRedeemStatus.Expired, result.Status);
        AssertSameFamily(before, result.Family);
        AssertSameFamily(before, await store.FindRefreshFamilyByTokenAsync(presented, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
    }

    [Fact]
    public virtual async Task Redeem_SpentTokenOfAnExpiredFamily_ExpiredAndRevokesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, lifetime: TimeSpan.FromHours(1), rules: LongRules));
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(10), rules: LongRules);
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;

        // A dead family's old token is no evidence of theft.
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddHours(1), rules: LongRules), Ct);

        Assert.Equal(RefreshRedeemStatus.Expired, result.Status);
        Assert.False(result.SessionRevoked);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public virtual async Task Redeem_PreviousTokenWithinGraceAfterTheSuccessorExpired_Expired()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, rules: LongRules));
        TimeSpan grace = TimeSpan.FromHours(2);
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace, LongRules);
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, rotated.CurrentIdleExpiresAt, grace, LongRules), Ct);

        Assert.Equal(RefreshRedeemStatus.Expired, result.Status);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task Redeem_SessionPastItsIdleExpiry_SessionNotLiveAndSpendsNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session idle = await InsertAsync(store, NewSession(NewUserId(), idle: TimeSpan.FromMinutes(10)));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(idle, idle: TimeSpan.FromHours(3)));
        RefreshRedemption first = Redemption(family.CurrentTokenHash, T0.AddMinutes(10));

        RefreshRedeemResult atExpiry = await store.RedeemRefreshTokenAsync(first, Ct);
        RefreshRedeemResult later = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(40)), Ct);

        // Deciding after a swap would spend the token without delivering its successor, so the client's
        // next try would look like reuse of a rotated token.
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, atExpiry.Status);
        Assert.Equal(SessionValidationStatus.ExpiredIdle, atExpiry.SessionStatus);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, later.Status);
        AssertSameFamily(family, later.Family);
        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(first.SuccessorTokenHash, Ct));
        Assert.False((await store.FindAsync(idle.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public virtual async Task Redeem_SessionPastItsAbsoluteExpiryOrPurged_SessionNotLive()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // A session written under a laxer configuration: its stored expiries (and so its family's) outlast the rules in force.
        Session lax = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromDays(1), absolute: TimeSpan.FromDays(1)));
        RefreshFamily outliving = await IssueAsync(store, FamilyCreation(lax, lifetime: TimeSpan.FromHours(20), idle: TimeSpan.FromHours(20), rules: LongRules));
        Session purged = await InsertAsync(store, NewSession(user, idle: TimeSpan.FromMinutes(10)));
        RefreshFamily orphan = await IssueAsync(store, FamilyCreation(purged, idle: TimeSpan.FromHours(3)));
        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddMinutes(20), Ct));

        RefreshRedeemResult pastAbsolute = await store.RedeemRefreshTokenAsync(Redemption(outliving.CurrentTokenHash, T0 + Absolute, rules: LongRules), Ct);
        RefreshRedeemResult missing = await store.RedeemRefreshTokenAsync(Redemption(orphan.CurrentTokenHash, T0.AddMinutes(30)), Ct);

        Assert.Equal(RefreshRedeemStatus.SessionNotLive, pastAbsolute.Status);
        Assert.Equal(SessionValidationStatus.ExpiredAbsolute, pastAbsolute.SessionStatus);
        AssertSameFamily(outliving, pastAbsolute.Family);
        Assert.Equal(RefreshRedeemStatus.SessionNotLive, missing.Status);
        Assert.Equal(SessionValidationStatus.NotFound, missing.SessionStatus);
        Assert.Null(missing.Session);
        AssertSameFamily(orphan, missing.Family);
        AssertSameFamily(orphan, await store.FindRefreshFamilyByTokenAsync(orphan.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task Redeem_PreviousTokenWithinGraceOfASessionNoLongerValid_SessionNotLive()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        TimeSpan grace = TimeSpan.FromMinutes(5);
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace);
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;

        // Judged under stricter rules, the session has been idle too long by the time of the retry.
        SessionRules strict = new(TimeSpan.FromMinutes(2), Absolute, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(4), grace, strict), Ct);

        Assert.Equal(RefreshRedeemStatus.SessionNotLive, result.Status);
        Assert.Equal(SessionValidationStatus.ExpiredIdle, result.SessionStatus);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public virtual async Task Redeem_RotationAheadOfTheClockBeyondTheSkew_RetryConflictAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        TimeSpan grace = TimeSpan.FromMinutes(5);

        // A node whose clock runs two minutes ahead rotated the family; this node's retry cannot judge the window.
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(3), grace);
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;
        Session afterRotation = (await store.FindAsync(session.Id, Ct))!;

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace), Ct);

        Assert.Equal(RefreshRedeemStatus.RetryConflict, result.Status);
        Assert.False(result.SessionRevoked);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        AssertSameSession(afterRotation, await store.FindAsync(session.Id, Ct));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("client-b", "key-a")]
    [InlineData("client-a", null)]
    [InlineData("client-a", "key-b")]
    [InlineData(null, "key-a")]
    public virtual async Task Redeem_BindingMismatch_WritesNothingEvenForASpentToken(string? clientId, string? proofKey)
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session) with { ClientId = "client-a", KeyThumbprint = "key-a" });
        RefreshRedemption rotation = Redemption(family.CurrentTokenHash, T0.AddMinutes(1)) with { ClientId = "client-a", ProofKeyThumbprint = "key-a" };
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(rotation, Ct)).Family!;
        Session before = (await store.FindAsync(session.Id, Ct))!;

        // The current token and a spent one: a caller without the family's client and key can neither rotate nor burn it.
        RefreshRedeemResult current = await store.RedeemRefreshTokenAsync(Redemption(rotation.SuccessorTokenHash, T0.AddMinutes(5)) with { ClientId = clientId, ProofKeyThumbprint = proofKey }, Ct);
        RefreshRedeemResult spent = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(5)) with { ClientId = clientId, ProofKeyThumbprint = proofKey }, Ct);

        Assert.Equal(RefreshRedeemStatus.BindingMismatch, current.Status);
        Assert.Equal(RefreshRedeemStatus.BindingMismatch, spent.Status);
        Assert.False(current.SessionRevoked);
        Assert.False(spent.SessionRevoked);
        AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        AssertSameSession(before, await store.FindAsync(session.Id, Ct));

        RefreshRedemption rightful = Redemption(rotation.SuccessorTokenHash, T0.AddMinutes(6)) with { ClientId = "client-a", ProofKeyThumbprint = "key-a" };
        RefreshRedeemResult next = await store.RedeemRefreshTokenAsync(rightful, Ct);
        Assert.Equal(RefreshRedeemStatus.Rotated, next.Status);
        Assert.Equal("client-a", next.Family!.ClientId);
        Assert.Equal("key-a", next.Family.KeyThumbprint);
    }

    [Fact]
    public virtual async Task Redeem_BindingMismatchOnARevokedFamily_RevokesNothingMore()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session) with { KeyThumbprint = "key-a" });
        await store.RevokeRefreshFamilyAsync(family.CurrentTokenHash, RevocationReason.Logout, T0.AddMinutes(1), Ct);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(2)) with { ProofKeyThumbprint = "key-b" }, Ct);

        Assert.Equal(RefreshRedeemStatus.BindingMismatch, result.Status);
        Assert.False(result.SessionRevoked);
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task Redeem_UnboundFamily_AcceptsAnyClientAndProof()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);

        RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(1)) with { ClientId = "any", ProofKeyThumbprint = "any-key" }, Ct);

        Assert.Equal(RefreshRedeemStatus.Rotated, result.Status);
        Assert.Null(result.Family!.ClientId);
        Assert.Null(result.Family.KeyThumbprint);
    }

    [Fact]
    public virtual async Task Redeem_DuplicateSuccessorHash_ThrowsAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshFamily other = await IssueAsync(store, session);
        RefreshRedemption redemption = Redemption(family.CurrentTokenHash, T0.AddMinutes(5)) with { SuccessorTokenHash = other.CurrentTokenHash };

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(async () => await store.RedeemRefreshTokenAsync(redemption, Ct));

        Assert.IsNotAssignableFrom<OperationCanceledException>(refused);
        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
        AssertSameFamily(other, await store.FindRefreshFamilyByTokenAsync(other.CurrentTokenHash, Ct));
        AssertSameSession(session, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task RevokeRefreshFamily_ByAnyHashOfTheFamily_RevokesOnceWithTheFirstReason()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        RefreshRedemption r1 = Redemption(family.CurrentTokenHash, T0.AddMinutes(1));
        await store.RedeemRefreshTokenAsync(r1, Ct);
        RefreshRedemption r2 = Redemption(r1.SuccessorTokenHash, T0.AddMinutes(2));
        RefreshFamily rotated = (await store.RedeemRefreshTokenAsync(r2, Ct)).Family!;

        // The oldest (spent) hash is enough; the session is not touched.
        RefreshFamily? revoked = await store.RevokeRefreshFamilyAsync(family.CurrentTokenHash, RevocationReason.Logout, T0.AddMinutes(3), Ct);

        RefreshFamily expected = rotated.Revoke(RevocationReason.Logout, T0.AddMinutes(3));
        AssertSameFamily(expected, revoked);
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(r2.SuccessorTokenHash, Ct));
        Assert.Null(await store.RevokeRefreshFamilyAsync(r2.SuccessorTokenHash, RevocationReason.Administrative, T0.AddMinutes(4), Ct));
        Assert.Null(await store.RevokeRefreshFamilyAsync(r1.SuccessorTokenHash, RevocationReason.Administrative, T0.AddMinutes(4), Ct));
        Assert.Null(await store.RevokeRefreshFamilyAsync(NewTokenHash(), RevocationReason.Logout, T0, Ct));
        AssertSameFamily(expected, await store.FindRefreshFamilyByTokenAsync(r1.SuccessorTokenHash, Ct));
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);
    }
}
