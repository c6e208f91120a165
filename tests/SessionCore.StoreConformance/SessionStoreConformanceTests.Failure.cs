using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.StoreConformance;

public abstract partial class SessionStoreConformanceTests
{
    private const string NoFailureHook = "The derived suite offers no way to make the backend unavailable (override MakeUnavailableAsync).";

    [Fact]
    public async Task UnavailableBackend_EveryPrimitive_Throws()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = await InsertAsync(store, NewSession(user));
        RefreshFamily family = await InsertAsync(store, NewFamily(session));
        Assert.SkipUnless(await MakeUnavailableAsync(store), NoFailureHook);

        await AssertStoreFailureAsync(() => store.CreateAsync(NewSession(user), SessionLimit.None, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.FindAsync(session.Id, Ct), user);
        await AssertStoreFailureAsync(() => store.TouchAsync(session.Id, session.Version, T0.AddMinutes(1), T0.AddMinutes(31), Ct), user);
        await AssertStoreFailureAsync(() => store.RegenerateAsync(session.Id, session.Version, NewSession(user), T0, Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeAsync(session.Id, RevocationReason.Logout, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeUserSessionsAsync(user, null, RevocationReason.Logout, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.ListUserSessionsAsync(user, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.CreateRefreshFamilyAsync(NewFamily(session), T0, Ct), user);
        await AssertStoreFailureAsync(() => store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct), user);
        await AssertStoreFailureAsync(() => store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, T0.AddMinutes(1)), Ct), user);
        await AssertStoreFailureAsync(() => store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, T0, Ct), user);
        await AssertStoreFailureAsync(() => store.GetUserSecurityStateAsync(user, Ct), user);
        await AssertStoreFailureAsync(() => store.IncrementSecurityEpochAsync(user, Ct), user);
        await AssertStoreFailureAsync(() => store.RememberDeviceAsync(user, NewDevice("k", T0), 3, Ct), user);
        await AssertStoreFailureAsync(() => store.PurgeExpiredAsync(T0, Ct), user);
    }

    [Fact]
    public async Task UnavailableBackend_SessionManager_ReturnsStoreUnavailable()
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

        Assert.Equal(SessionValidationStatus.StoreUnavailable, validation.Status);
        Assert.False(validation.IsValid);
        Assert.Equal(SignInStatus.StoreUnavailable, signIn.Status);
        Assert.Null(signIn.Token);
        Assert.Equal(SessionOperationStatus.StoreUnavailable, revoke);
        Assert.False(regenerate.IsSuccess);
        Assert.Null(await manager.ListSessionsAsync(user, Ct));
        Assert.Null(await manager.RevokeAllAsync(user, RevocationReason.PasswordChanged, null, Ct));
    }

    [Fact]
    public async Task AvailableBackend_SessionManager_SignsInValidatesAndRevokes()
    {
        // The positive control for the test above: the same flow succeeds while the backend is up.
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

    private static async Task AssertStoreFailureAsync<T>(Func<ValueTask<T>> call, string userId)
    {
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(async () => await call());
        Assert.IsNotAssignableFrom<OperationCanceledException>(ex);

        // The contract asks adapters to wrap driver failures; the message must not carry user data.
        Assert.IsType<SessionStoreException>(ex);
        Assert.DoesNotContain(userId, ex.Message, StringComparison.Ordinal);
    }
}
