using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Regeneration and key binding: the replacement is exactly Session.Regenerate, the binding moves with it and is never lost.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public virtual async Task Regenerate_ValidSession_InsertsTheReplacementAndRevokesTheCurrentWithItsFamilies()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user) with { AuthenticationMethods = ["pwd"], Device = new SessionDevice("agent", "192.0.2.0/24", null) });
        RefreshFamily f1 = await IssueAsync(store, current);
        RefreshFamily f2 = await IssueAsync(store, current);
        DateTimeOffset now = T0.AddMinutes(5);
        SessionReplacement replacement = new()
        {
            NewId = NewSessionId(),
            Reauthenticated = true,
            AuthenticationLevel = 2,
            AuthenticationMethods = ["pwd", "otp"],
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["role"] = "admin" },
        };

        SessionRegenerateResult result = await store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacement, Rules = Rules, Now = now }, Ct);

        Session stored = (await store.FindAsync(current.Id, Ct))!;
        Session expected = current.Regenerate(replacement, Rules, current.SecurityEpoch, now);
        Assert.Equal(SessionValidationStatus.Valid, result.Status);
        Assert.True(result.IsSuccess);
        AssertSameSession(expected, result.Replacement);
        AssertSameSession(expected, await store.FindAsync(replacement.NewId, Ct));
        AssertSameSession(current.Revoke(RevocationReason.Regenerated, now), result.Previous);
        AssertSameSession(current.Revoke(RevocationReason.Regenerated, now), stored);
        AssertSameFamily(f1.Revoke(RevocationReason.Regenerated, now), await store.FindRefreshFamilyByTokenAsync(f1.CurrentTokenHash, Ct));
        AssertSameFamily(f2.Revoke(RevocationReason.Regenerated, now), await store.FindRefreshFamilyByTokenAsync(f2.CurrentTokenHash, Ct));
        AssertSameIds([replacement.NewId], ListedIds(await store.ListUserSessionsAsync(user, Rules, now, Ct)));
    }

    [Fact]
    public virtual async Task Regenerate_WithoutChanges_KeepsEveryFieldButTheIdentifierAndTheLastSeenTimes()
    {
        ISessionStore store = await NewStoreAsync();
        Session current = await InsertAsync(store, NewSession(NewUserId()) with
        {
            AuthenticationLevel = 3,
            AuthenticationMethods = ["hwk"],
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["k"] = "v" },
        });
        SessionReplacement replacement = new() { NewId = NewSessionId() };
        DateTimeOffset now = T0.AddMinutes(7);

        SessionRegenerateResult result = await store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacement, Rules = Rules, Now = now }, Ct);

        Session expected = current.Regenerate(replacement, Rules, current.SecurityEpoch, now);
        Assert.Equal(current.AuthenticatedAt, expected.AuthenticatedAt);
        Assert.Equal(current.CreatedAt, expected.CreatedAt);
        AssertSameSession(expected, result.Replacement);
        AssertSameSession(expected, await store.FindAsync(replacement.NewId, Ct));
    }

    [Fact]
    public virtual async Task Regenerate_BoundSession_MovesTheBindingToTheReplacement()
    {
        ISessionStore store = await NewStoreAsync();
        Session current = await InsertAsync(store, NewSession(NewUserId()));
        SessionKeyBinding binding = NewKeyBinding(T0.AddMinutes(1));
        Assert.Equal(SessionBindStatus.Bound, (await store.BindKeyAsync(current.Id, binding, Rules, T0.AddMinutes(1), Ct)).Status);
        SessionReplacement replacement = new() { NewId = NewSessionId(), Reauthenticated = true };

        SessionRegenerateResult result = await store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacement, Rules = Rules, Now = T0.AddMinutes(2) }, Ct);

        Assert.True(result.IsSuccess);
        Session? moved = await store.FindAsync(replacement.NewId, Ct);
        Assert.Equal(binding, moved!.KeyBinding);
        Assert.Equal(binding, result.Replacement!.KeyBinding);

        // The binding stays where it was made as well: revocation ends a session, it does not unbind it.
        Assert.Equal(binding, (await store.FindAsync(current.Id, Ct))!.KeyBinding);
        Assert.Equal(SessionBindStatus.BoundToOtherKey, (await store.BindKeyAsync(replacement.NewId, NewKeyBinding(T0.AddMinutes(3)), Rules, T0.AddMinutes(3), Ct)).Status);
    }

    [Theory]
    [InlineData(SessionValidationStatus.Revoked)]
    [InlineData(SessionValidationStatus.ExpiredIdle)]
    [InlineData(SessionValidationStatus.ExpiredAbsolute)]
    [InlineData(SessionValidationStatus.ClockSkew)]
    public virtual async Task Regenerate_SessionNotValid_ReturnsItsStatusAndWritesNothing(SessionValidationStatus status)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        (Session current, DateTimeOffset now) = await SessionInStateAsync(store, user, status);
        RefreshFamily? family = status == SessionValidationStatus.Revoked ? null : await IssueAsync(store, FamilyCreation(current, current.CreatedAt, rules: LongRules));
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        SessionRegenerateResult result = await store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacement, Rules = Rules, Now = now }, Ct);

        Assert.Equal(status, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Replacement);
        Session stored = (await store.FindAsync(current.Id, Ct))!;
        AssertSameSession(stored, result.Previous);
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        if (family is not null)
        {
            Assert.False(stored.IsRevoked);
            Assert.False((await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.IsRevoked);
        }
    }

    [Fact]
    public virtual async Task Regenerate_UnknownSession_NotFoundAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        SessionReplacement replacement = new() { NewId = NewSessionId() };

        SessionRegenerateResult result = await store.RegenerateAsync(new SessionRegeneration { CurrentId = NewSessionId(), Replacement = replacement, Rules = Rules, Now = T0 }, Ct);

        Assert.Equal(SessionValidationStatus.NotFound, result.Status);
        Assert.Null(result.Previous);
        Assert.Null(result.Replacement);
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
    }

    [Fact]
    public virtual async Task Regenerate_DuplicateReplacementId_ThrowsAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, current);
        Session other = await InsertAsync(store, NewSession(user));
        SessionRegeneration regeneration = new() { CurrentId = current.Id, Replacement = new SessionReplacement { NewId = other.Id }, Rules = Rules, Now = T0.AddMinutes(5) };

        Exception refused = await Assert.ThrowsAnyAsync<Exception>(async () => await store.RegenerateAsync(regeneration, Ct));

        Assert.IsNotAssignableFrom<OperationCanceledException>(refused);
        AssertSameSession(current, await store.FindAsync(current.Id, Ct));
        AssertSameSession(other, await store.FindAsync(other.Id, Ct));
        AssertSameFamily(family, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
    }

    [Fact]
    public virtual async Task BindKey_ValidUnboundSession_BindsAndPersistsTheKey()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        SessionKeyBinding binding = NewKeyBinding(T0.AddMinutes(1).AddTicks(7));

        SessionBindResult result = await store.BindKeyAsync(session.Id, binding, Rules, T0.AddMinutes(1), Ct);

        Session expected = session with { KeyBinding = binding, Version = session.Version + 1 };
        Assert.Equal(SessionBindStatus.Bound, result.Status);
        Assert.Equal(SessionValidationStatus.Valid, result.SessionStatus);
        AssertSameSession(expected, result.Session);
        AssertSameSession(expected, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task BindKey_BoundToTheSameKey_AlreadyBoundAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        SessionKeyBinding binding = NewKeyBinding(T0);
        Session bound = (await store.BindKeyAsync(session.Id, binding, Rules, T0, Ct)).Session!;

        SessionBindResult again = await store.BindKeyAsync(session.Id, binding with { BoundAt = T0.AddMinutes(1) }, Rules, T0.AddMinutes(1), Ct);

        Assert.Equal(SessionBindStatus.AlreadyBound, again.Status);
        Assert.Equal(SessionValidationStatus.Valid, again.SessionStatus);
        AssertSameSession(bound, again.Session);
        AssertSameSession(bound, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task BindKey_BoundToAnotherKey_RefusedAndTheBindingNeverChanges()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        Session bound = (await store.BindKeyAsync(session.Id, NewKeyBinding(T0), Rules, T0, Ct)).Session!;

        SessionBindResult other = await store.BindKeyAsync(session.Id, NewKeyBinding(T0.AddMinutes(1)), Rules, T0.AddMinutes(1), Ct);

        Assert.Equal(SessionBindStatus.BoundToOtherKey, other.Status);
        AssertSameSession(bound, other.Session);
        AssertSameSession(bound, await store.FindAsync(session.Id, Ct));
    }

    [Theory]
    [InlineData(SessionValidationStatus.NotFound)]
    [InlineData(SessionValidationStatus.Revoked)]
    [InlineData(SessionValidationStatus.ExpiredIdle)]
    [InlineData(SessionValidationStatus.ExpiredAbsolute)]
    [InlineData(SessionValidationStatus.ClockSkew)]
    public virtual async Task BindKey_SessionNotValid_NotValidAndWritesNothing(SessionValidationStatus status)
    {
        ISessionStore store = await NewStoreAsync();
        (Session? session, DateTimeOffset now) = status == SessionValidationStatus.NotFound
            ? (null, T0)
            : await SessionInStateAsync(store, NewUserId(), status);
        SessionId id = session?.Id ?? NewSessionId();
        Session? before = await store.FindAsync(id, Ct);

        SessionBindResult result = await store.BindKeyAsync(id, NewKeyBinding(now), Rules, now, Ct);

        Assert.Equal(SessionBindStatus.NotValid, result.Status);
        Assert.Equal(status, result.SessionStatus);
        if (before is null)
        {
            Assert.Null(result.Session);
            Assert.Null(await store.FindAsync(id, Ct));
        }
        else
        {
            AssertSameSession(before, result.Session);
            AssertSameSession(before, await store.FindAsync(id, Ct));
        }
    }

    [Fact]
    public virtual async Task BindKey_Binding_SurvivesTouchRegenerationAndInvalidationKeep()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        SessionKeyBinding binding = NewKeyBinding(T0);
        await store.BindKeyAsync(session.Id, binding, Rules, T0, Ct);

        SessionCheck touched = await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(5), touch: true, Ct);
        SessionId regeneratedId = NewSessionId();
        await store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = new SessionReplacement { NewId = regeneratedId }, Rules = Rules, Now = T0.AddMinutes(6) }, Ct);
        SessionId keptId = NewSessionId();
        UserRevocationResult invalidated = await store.RevokeUserSessionsAsync(
            RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(7)) with { AdvanceEpoch = true, Keep = (regeneratedId, new SessionReplacement { NewId = keptId }) },
            Ct);

        Assert.Equal(T0.AddMinutes(5), touched.Session!.LastSeenAt);
        Assert.Equal(binding, touched.Session.KeyBinding);
        Assert.Equal(binding, (await store.FindAsync(regeneratedId, Ct))!.KeyBinding);
        Assert.Equal(binding, invalidated.Kept!.Replacement!.KeyBinding);
        Session kept = (await store.FindAsync(keptId, Ct))!;
        Assert.Equal(binding, kept.KeyBinding);
        Assert.Equal(1, kept.SecurityEpoch);
        Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, keptId, T0.AddMinutes(8)));
    }

    /// <summary>Creates a session of <paramref name="userId"/> that is judged <paramref name="status"/> at the returned instant.</summary>
    private static async Task<(Session Session, DateTimeOffset Now)> SessionInStateAsync(ISessionStore store, string userId, SessionValidationStatus status)
    {
        switch (status)
        {
            case SessionValidationStatus.Revoked:
                Session live = await InsertAsync(store, NewSession(userId));
                await store.RevokeAsync(live.Id, userId, RevocationReason.Logout, T0.AddMinutes(1), Ct);
                return ((await store.FindAsync(live.Id, Ct))!, T0.AddMinutes(2));
            case SessionValidationStatus.ExpiredIdle:
                return (await InsertAsync(store, NewSession(userId)), T0 + Idle);
            case SessionValidationStatus.ExpiredAbsolute:
                return (await InsertAsync(store, NewSession(userId, T0 - Absolute + TimeSpan.FromMinutes(10), idle: Absolute)), T0.AddMinutes(10));
            case SessionValidationStatus.ClockSkew:
                return (await InsertAsync(store, NewSession(userId, T0.AddMinutes(5))), T0);
            default:
                return (await InsertAsync(store, NewSession(userId)), T0.AddMinutes(1));
        }
    }
}
