using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Failures: a backend that goes away, a caller that cancels, and a fault between the writes of one operation.
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>Gets the multi-write operations the fault case interrupts at every write.</summary>
    public static TheoryData<string> FaultedOperations => ["invalidation-with-keep", "sign-in-with-eviction", "regeneration", "refresh-reuse"];

    [Fact]
    public virtual async Task UnavailableBackend_EveryOperation_ThrowsSessionStoreException()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, session);
        Assert.SkipUnless(await MakeUnavailableAsync(store), NoFailureHook);

        await AssertStoreFailureAsync(() => store.CreateAsync(Creation(NewSession(user)), Ct), user);
        await AssertStoreFailureAsync(() => store.FindAsync(session.Id, Ct), user);
        await AssertStoreFailureAsync(() => store.ValidateAsync(session.Id, Rules, T0.AddMinutes(5), touch: true, Ct), user);
        await AssertStoreFailureAsync(() => store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = new SessionReplacement { NewId = NewSessionId() }, Rules = Rules, Now = T0 }, Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeAsync(session.Id, user, RevocationReason.Logout, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.Logout, T0) with { AdvanceEpoch = true }, Ct), user);
        await AssertStoreFailureAsync(() => store.ListUserSessionsAsync(user, Rules, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.BindKeyAsync(session.Id, NewKeyBinding(T0), Rules, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.CreateRefreshFamilyAsync(FamilyCreation(session), Ct), user);
        await AssertStoreFailureAsync(() => store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct), user);
        await AssertStoreFailureAsync(() => store.RedeemRefreshTokenAsync(Redemption(family.CurrentTokenHash, T0.AddMinutes(1)), Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeRefreshFamilyAsync(family.CurrentTokenHash, RevocationReason.Logout, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.GetUserSecurityStateAsync(user, Ct), user);
        await AssertStoreFailureAsync(() => store.GetSecurityEpochAsync(user, Ct), user);
        await AssertStoreFailureAsync(() => store.RememberDeviceAsync(user, NewDevice("k", T0), 3, Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeEverySessionAsync(DateTimeOffset.UnixEpoch, Ct), user);
        await AssertStoreFailureAsync(() => store.PurgeExpiredAsync(T0, Ct), user);
    }

    [Fact]
    public virtual async Task UnavailableBackend_SessionManager_AnswersStoreUnavailable()
    {
        ISessionStore store = await NewStoreAsync();
        FakeTimeProvider time = new(T0);
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        string user = NewUserId();
        SignInResult signedIn = await manager.SignInAsync(new SignInRequest(user), Ct);
        Assert.True(signedIn.IsSuccess);
        string token = signedIn.Value.Reveal();
        Assert.SkipUnless(await MakeUnavailableAsync(store), NoFailureHook);

        SessionValidationResult validation = await manager.ValidateAsync(token, Ct);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest(user), Ct);
        SessionOperationStatus revoke = await manager.RevokeAsync(token, RevocationReason.Logout, Ct);
        SessionRegenerationResult regenerate = await manager.RegenerateAsync(token, null, Ct);
        UserInvalidationResult invalidation = await manager.InvalidateUserAsync(user, InvalidationTrigger.PasswordChanged, token, Ct);

        Assert.Equal(SessionValidationStatus.StoreUnavailable, validation.Status);
        Assert.False(validation.IsValid);
        Assert.Equal(SignInStatus.StoreUnavailable, signIn.Status);
        Assert.Null(signIn.Token);
        Assert.Equal(SessionOperationStatus.StoreUnavailable, revoke);
        Assert.False(regenerate.IsSuccess);
        Assert.Equal(SessionOperationStatus.StoreUnavailable, (await manager.ListSessionsAsync(user, Ct)).Status);
        Assert.Equal(SessionOperationStatus.StoreUnavailable, (await manager.RevokeAllAsync(user, RevocationReason.PasswordChanged, null, Ct)).Status);
        Assert.Equal(SessionOperationStatus.StoreUnavailable, invalidation.Status);
    }

    [Fact]
    public virtual async Task AvailableBackend_SessionManager_SignsInValidatesAndRevokes()
    {
        // The positive control for the case above: the same flow succeeds while the backend is up.
        ISessionStore store = await NewStoreAsync();
        FakeTimeProvider time = new(T0);
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        string user = NewUserId();

        SignInResult signedIn = await manager.SignInAsync(new SignInRequest(user), Ct);
        string token = signedIn.Value.Reveal();
        time.Advance(TimeSpan.FromMinutes(5));
        SessionValidationResult validation = await manager.ValidateAsync(token, Ct);
        SessionOperationStatus revoke = await manager.RevokeAsync(token, RevocationReason.Logout, Ct);
        SessionValidationResult afterRevoke = await manager.ValidateAsync(token, Ct);

        Assert.True(validation.IsValid);
        Assert.Equal(SessionOperationStatus.Done, revoke);
        Assert.Equal(SessionValidationStatus.Revoked, afterRevoke.Status);
    }

    [Fact]
    public virtual async Task CancelledCaller_EveryOperation_ThrowsOperationCanceledAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await IssueAsync(store, session);
        Session other = await InsertAsync(store, NewSession(user));
        Snapshot before = await SnapshotAsync(store, user, [session.Id, other.Id], [family.CurrentTokenHash]);
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();
        CancellationToken token = cancelled.Token;
        Session fresh = NewSession(user, T0.AddMinutes(5));
        SessionReplacement replacement = new() { NewId = NewSessionId() };
        RefreshFamilyCreation creation = FamilyCreation(session, T0.AddMinutes(5));
        RefreshRedemption redemption = Redemption(family.CurrentTokenHash, T0.AddMinutes(5));
        DateTimeOffset now = T0.AddMinutes(5);

        await AssertCancelledAsync(() => store.CreateAsync(Creation(fresh) with { PresentedId = session.Id, Device = NewDevice("k", now), MaxDevices = 3 }, token));
        await AssertCancelledAsync(() => store.ValidateAsync(session.Id, Rules, now, touch: true, token));
        await AssertCancelledAsync(() => store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = replacement, Rules = Rules, Now = now }, token));
        await AssertCancelledAsync(() => store.RevokeAsync(session.Id, user, RevocationReason.Logout, now, token));
        await AssertCancelledAsync(() => store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, now) with { AdvanceEpoch = true, Keep = (session.Id, replacement) }, token));
        await AssertCancelledAsync(() => store.BindKeyAsync(session.Id, NewKeyBinding(now), Rules, now, token));
        await AssertCancelledAsync(() => store.CreateRefreshFamilyAsync(creation, token));
        await AssertCancelledAsync(() => store.RedeemRefreshTokenAsync(redemption, token));
        await AssertCancelledAsync(() => store.RevokeRefreshFamilyAsync(family.CurrentTokenHash, RevocationReason.Logout, now, token));
        await AssertCancelledAsync(() => store.RememberDeviceAsync(user, NewDevice("k", now), 3, token));
        await AssertCancelledAsync(() => store.PurgeExpiredAsync(T0.AddDays(30), token));
        await AssertCancelledAsync(() => store.FindAsync(session.Id, token));
        await AssertCancelledAsync(() => store.ListUserSessionsAsync(user, Rules, now, token));
        await AssertCancelledAsync(() => store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, token));
        await AssertCancelledAsync(() => store.GetUserSecurityStateAsync(user, token));

        AssertUnchanged(before, await SnapshotAsync(store, user, [session.Id, other.Id], [family.CurrentTokenHash]));
        Assert.Null(await store.FindAsync(fresh.Id, Ct));
        Assert.Null(await store.FindAsync(replacement.NewId, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(creation.TokenHash, Ct));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemption.SuccessorTokenHash, Ct));
    }

    [Theory]
    [MemberData(nameof(FaultedOperations))]
    public virtual async Task FaultBetweenWrites_MultiWriteOperation_LeavesNothingOrEverything(string operation)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        RefreshFamily currentFamily = await IssueAsync(store, current);
        RefreshFamily siblingFamily = await IssueAsync(store, current);
        Session second = await InsertAsync(store, NewSession(user));
        RefreshFamily secondFamily = await IssueAsync(store, second);
        Session third = await InsertAsync(store, NewSession(user, T0.AddMinutes(1)));
        RefreshRedemption rotation = Redemption(currentFamily.CurrentTokenHash, T0.AddSeconds(10));
        Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(rotation, Ct)).Status);
        DateTimeOffset now = T0.AddMinutes(5);
        Session signIn = NewSession(user, now);
        SessionReplacement replacement = new() { NewId = NewSessionId() };
        SessionId[] sessions = [current.Id, second.Id, third.Id, signIn.Id, replacement.NewId];
        RefreshTokenHash[] hashes = [currentFamily.CurrentTokenHash, rotation.SuccessorTokenHash, siblingFamily.CurrentTokenHash, secondFamily.CurrentTokenHash];

        // Each operation below writes several records: a session, its families, the user's state.
        Func<Task> call = operation switch
        {
            "invalidation-with-keep" => async () => await store.RevokeUserSessionsAsync(
                RevokeAll(user, RevocationReason.PasswordChanged, now) with { AdvanceEpoch = true, Keep = (current.Id, replacement) }, Ct),
            "sign-in-with-eviction" => async () => await store.CreateAsync(
                Creation(signIn) with { PresentedId = current.Id, Limit = new SessionLimit(2, SessionLimitMode.EvictOldest), Device = NewDevice("laptop", now), MaxDevices = 3 }, Ct),
            "regeneration" => async () => await store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacement, Rules = Rules, Now = now }, Ct),
            _ => async () => await store.RedeemRefreshTokenAsync(Redemption(currentFamily.CurrentTokenHash, now), Ct),
        };

        Snapshot before = await SnapshotAsync(store, user, sessions, hashes);
        int faults = 0;
        for (int writes = 0; ; writes++)
        {
            Assert.True(writes <= 256, "The operation never completed: the fault hook seems to fire on every call.");
            if (!await InjectFaultAfterWritesAsync(store, writes))
            {
                Assert.Skip(NoFaultHook);
            }

            Exception? fault = await Record.ExceptionAsync(call);
            if (fault is null)
            {
                break;
            }

            Assert.IsNotAssignableFrom<OperationCanceledException>(fault);
            faults++;
            AssertUnchanged(before, await SnapshotAsync(store, user, sessions, hashes));
        }

        // The fault fired at least before the first write; the run that finally got through wrote everything.
        Assert.True(faults >= 1, "The fault hook never fired.");
        Snapshot after = await SnapshotAsync(store, user, sessions, hashes);
        switch (operation)
        {
            case "invalidation-with-keep":
                Assert.Equal(1, after.User.SecurityEpoch);
                Assert.All(after.Sessions.Take(3), s => Assert.True(s!.IsRevoked));
                Assert.Equal(1, after.Sessions[4]!.SecurityEpoch);
                Assert.All(after.Families, f => Assert.True(f!.IsRevoked));
                break;
            case "sign-in-with-eviction":
                Assert.Equal(RevocationReason.Regenerated, after.Sessions[0]!.RevocationReason);
                Assert.Equal(RevocationReason.Evicted, after.Sessions[1]!.RevocationReason);
                Assert.False(after.Sessions[2]!.IsRevoked);
                Assert.NotNull(after.Sessions[3]);
                Assert.Equal(RevocationReason.Regenerated, after.Families[0]!.RevocationReason);
                Assert.Equal(RevocationReason.Evicted, after.Families[3]!.RevocationReason);
                Assert.Single(after.User.KnownDevices);
                break;
            case "regeneration":
                Assert.Equal(RevocationReason.Regenerated, after.Sessions[0]!.RevocationReason);
                Assert.NotNull(after.Sessions[4]);
                Assert.All(after.Families.Take(3), f => Assert.Equal(RevocationReason.Regenerated, f!.RevocationReason));
                break;
            default:
                Assert.Equal(RevocationReason.RefreshTokenReuse, after.Sessions[0]!.RevocationReason);
                Assert.All(after.Families.Take(3), f => Assert.True(f!.IsRevoked));
                Assert.False(after.Families[3]!.IsRevoked);
                break;
        }
    }

    [Fact]
    public virtual async Task Suite_EveryCase_IsPublicVirtual()
    {
        // Adapters override a case to add a check or to skip it with a reason; a sealed or non-virtual case would stop that.
        await Task.CompletedTask;
        MethodInfo[] cases = [.. typeof(SessionStoreConformanceTests)
            .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())];

        Assert.NotEmpty(cases);
        Assert.All(cases, m => Assert.True(m.IsPublic && m.IsVirtual && !m.IsFinal, m.Name + " must be public virtual."));
    }

    private static async Task AssertStoreFailureAsync<T>(Func<ValueTask<T>> call, string userId)
    {
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(async () => await call());
        Assert.IsNotAssignableFrom<OperationCanceledException>(ex);

        // The contract asks adapters to wrap driver failures; the message must not carry user data.
        Assert.IsType<SessionStoreException>(ex);
        Assert.DoesNotContain(userId, ex.Message, StringComparison.Ordinal);
    }

    private static async Task AssertCancelledAsync<T>(Func<ValueTask<T>> call) =>
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call());

    private static async Task<Snapshot> SnapshotAsync(ISessionStore store, string userId, IReadOnlyList<SessionId> sessions, IReadOnlyList<RefreshTokenHash> hashes)
    {
        List<Session?> found = [];
        foreach (SessionId id in sessions)
        {
            found.Add(await store.FindAsync(id, Ct));
        }

        List<RefreshFamily?> families = [];
        foreach (RefreshTokenHash hash in hashes)
        {
            families.Add(await store.FindRefreshFamilyByTokenAsync(hash, Ct));
        }

        return new Snapshot(found, families, await store.GetUserSecurityStateAsync(userId, Ct));
    }

    private static void AssertUnchanged(Snapshot expected, Snapshot actual)
    {
        for (int i = 0; i < expected.Sessions.Count; i++)
        {
            if (expected.Sessions[i] is Session session)
            {
                AssertSameSession(session, actual.Sessions[i]);
            }
            else
            {
                Assert.Null(actual.Sessions[i]);
            }
        }

        for (int i = 0; i < expected.Families.Count; i++)
        {
            if (expected.Families[i] is RefreshFamily family)
            {
                AssertSameFamily(family, actual.Families[i]);
            }
            else
            {
                Assert.Null(actual.Families[i]);
            }
        }

        Assert.Equal(expected.User.SecurityEpoch, actual.User.SecurityEpoch);
        Assert.Equal(expected.User.KnownDevices, actual.User.KnownDevices);
    }

    private sealed record Snapshot(IReadOnlyList<Session?> Sessions, IReadOnlyList<RefreshFamily?> Families, UserSecurityState User);
}
