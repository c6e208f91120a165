using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Devices;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Sessions;

/// <summary>
/// Pins the cost of the seam: every manager and refresh operation is one store call, whatever it finds, so that a
/// networked store pays one round trip per operation and no flow reads back what a store has just read or written.
/// </summary>
public sealed class StoreCallCountTests : IDisposable
{
    private const string User = "alice";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly DelegatingStore _store = new(new InMemorySessionStore());
    private readonly SessionManager _manager;
    private readonly RefreshTokenService _refresh;

    public StoreCallCountTests()
    {
        _manager = new SessionManagerBuilder { Store = _store, TimeProvider = _time }.Build();
        _refresh = new RefreshTokenService(_manager, new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(10) });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _refresh.Dispose();

    [Fact]
    public async Task SignIn_WithoutDevice_OneCall()
    {
        SignInResult result = await _manager.SignInAsync(new SignInRequest(User), Ct);

        Assert.True(result.IsSuccess);
        AssertOneCall(nameof(ISessionStore.CreateAsync));
    }

    [Fact]
    public async Task SignIn_NewDevice_OneCall()
    {
        SignInResult result = await _manager.SignInAsync(new SignInRequest(User) { Client = Laptop() }, Ct);

        Assert.True(result.IsNewDevice);
        AssertOneCall(nameof(ISessionStore.CreateAsync));
    }

    [Fact]
    public async Task SignIn_KnownDevice_OneCall()
    {
        await _manager.SignInAsync(new SignInRequest(User) { Client = Laptop() }, Ct);
        _store.ResetCalls();

        SignInResult result = await _manager.SignInAsync(new SignInRequest(User) { Client = Laptop() }, Ct);

        Assert.True(result.IsSuccess);
        Assert.False(result.IsNewDevice);
        AssertOneCall(nameof(ISessionStore.CreateAsync));
    }

    [Fact]
    public async Task SignIn_WithSignInRiskCheck_ReadsTheKnownDevicesFirst_TwoCalls()
    {
        // The one flow that costs a second call: the risk verdict must precede the write (a refused sign-in writes
        // nothing, a step-up changes the session written), so the known devices are read first.
        DelegatingStore store = new(new InMemorySessionStore());
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = _time, SignInRisk = new SessionCore.Risk.SignInRiskEvaluator() }.Build();

        SignInResult result = await manager.SignInAsync(new SignInRequest(User) { Client = Laptop() }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(1, store.Calls(nameof(ISessionStore.GetUserSecurityStateAsync)));
        Assert.Equal(1, store.Calls(nameof(ISessionStore.CreateAsync)));
        Assert.Equal(2, store.TotalCalls);
    }

    [Fact]
    public async Task SignIn_StaleCookieOfTheSameUser_OneCallRevokesIt()
    {
        string stale = await SignInAsync();
        _store.ResetCalls();

        SignInResult result = await _manager.SignInAsync(new SignInRequest(User) { PresentedToken = stale }, Ct);

        Assert.True(result.IsSuccess);
        AssertOneCall(nameof(ISessionStore.CreateAsync));
        Assert.Equal(SessionValidationStatus.Revoked, (await _manager.ValidateAsync(stale, Ct)).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignIn_StaleCookieOfAnotherUserOrUnknown_TwoCalls(bool anotherUsers)
    {
        // The sign-in cannot revoke another user's session in its own step; the manager revokes it on its own. A
        // cookie the store does not know costs the same second call, since the store answers both alike.
        string presented = anotherUsers ? (await _manager.SignInAsync(new SignInRequest("bob"), Ct)).Value.Reveal() : "sc_" + new string('A', 43);
        _store.ResetCalls();

        SignInResult result = await _manager.SignInAsync(new SignInRequest(User) { PresentedToken = presented }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, _store.TotalCalls);
        Assert.Equal(1, _store.Calls(nameof(ISessionStore.CreateAsync)));
        Assert.Equal(1, _store.Calls(nameof(ISessionStore.RevokeAsync)));
    }

    [Theory]
    [InlineData(10)]   // within the renewal interval: nothing to write
    [InlineData(300)]  // past it: the renewal is written in the same call
    public async Task Validate_OneCall(int seconds)
    {
        string token = await SignInAsync();
        _time.Advance(TimeSpan.FromSeconds(seconds));

        SessionValidationResult result = await _manager.ValidateAsync(token, Ct);

        Assert.True(result.IsValid);
        AssertOneCall(nameof(ISessionStore.ValidateAsync));
    }

    [Fact]
    public async Task CheckFreshness_OneCall()
    {
        string token = await SignInAsync();

        FreshnessResult result = await _manager.CheckFreshnessAsync(token, new FreshnessRequirement(TimeSpan.FromMinutes(5)), Ct);

        Assert.Equal(FreshnessStatus.Fresh, result.Status);
        AssertOneCall(nameof(ISessionStore.ValidateAsync));
    }

    [Fact]
    public async Task Regenerate_OneCall()
    {
        string token = await SignInAsync();

        SessionRegenerationResult result = await _manager.RegenerateAsync(token, new SessionChange { Reauthenticated = true }, Ct);

        Assert.True(result.IsSuccess);
        AssertOneCall(nameof(ISessionStore.RegenerateAsync));
    }

    [Fact]
    public async Task Revoke_OneCall()
    {
        string token = await SignInAsync();

        Assert.Equal(SessionOperationStatus.Done, await _manager.RevokeAsync(token, RevocationReason.Logout, Ct));

        AssertOneCall(nameof(ISessionStore.RevokeAsync));
    }

    [Fact]
    public async Task RevokeAll_OneCall()
    {
        await SignInAsync();
        await SignInAsync();

        SessionRevocationResult result = await _manager.RevokeAllAsync(User, RevocationReason.SuspectedBreach, null, Ct);

        Assert.Equal(2, result.Revoked.Count);
        AssertOneCall(nameof(ISessionStore.RevokeUserSessionsAsync));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvalidateUser_WithOrWithoutKeep_OneCall(bool keep)
    {
        string current = await SignInAsync();
        await SignInAsync();

        UserInvalidationResult result = await _manager.InvalidateUserAsync(User, InvalidationTrigger.PasswordChanged, keep ? current : null, Ct);

        Assert.Equal(SessionOperationStatus.Done, result.Status);
        Assert.Equal(1, result.SecurityEpoch);
        Assert.Equal(keep, result.Kept is { IsSuccess: true });
        AssertOneCall(nameof(ISessionStore.RevokeUserSessionsAsync));
    }

    [Fact]
    public async Task ListSessions_OneCall()
    {
        await SignInAsync();

        SessionListResult result = await _manager.ListSessionsAsync(User, Ct);

        Assert.Single(result.Value);
        AssertOneCall(nameof(ISessionStore.ListUserSessionsAsync));
    }

    [Fact]
    public async Task RevokeEverySession_OneCall()
    {
        Assert.Equal(SessionOperationStatus.Done, await _manager.RevokeEverySessionAsync(Ct));

        AssertOneCall(nameof(ISessionStore.RevokeEverySessionAsync));
    }

    [Fact]
    public async Task RefreshIssue_OneCall()
    {
        string token = await SignInAsync();

        RefreshTokenResult result = await _refresh.IssueAsync(token, cancellationToken: Ct);

        Assert.Equal(RefreshTokenStatus.Issued, result.Status);
        AssertOneCall(nameof(ISessionStore.CreateRefreshFamilyAsync));
    }

    [Fact]
    public async Task RefreshRedeem_Rotation_OneCall()
    {
        string refresh = await IssueRefreshAsync();

        RefreshTokenResult result = await _refresh.RedeemAsync(refresh, cancellationToken: Ct);

        Assert.Equal(RefreshTokenStatus.Rotated, result.Status);
        AssertOneCall(nameof(ISessionStore.RedeemRefreshTokenAsync));
    }

    [Fact]
    public async Task RefreshRedeem_GraceRetry_OneCall()
    {
        string refresh = await IssueRefreshAsync();
        RefreshTokenResult rotated = await _refresh.RedeemAsync(refresh, cancellationToken: Ct);
        _time.Advance(TimeSpan.FromSeconds(2));
        _store.ResetCalls();

        RefreshTokenResult retry = await _refresh.RedeemAsync(refresh, cancellationToken: Ct);

        Assert.Equal(RefreshTokenStatus.GraceRetry, retry.Status);
        Assert.Equal(rotated.Value.Reveal(), retry.Value.Reveal());
        AssertOneCall(nameof(ISessionStore.RedeemRefreshTokenAsync));
    }

    [Fact]
    public async Task RefreshRedeem_Reuse_OneCallRevokesFamilyAndSession()
    {
        string session = await SignInAsync();
        string refresh = await IssueRefreshAsync(session);
        await _refresh.RedeemAsync(refresh, cancellationToken: Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        _store.ResetCalls();

        RefreshTokenResult reused = await _refresh.RedeemAsync(refresh, cancellationToken: Ct);

        Assert.Equal(RefreshTokenStatus.Reused, reused.Status);
        AssertOneCall(nameof(ISessionStore.RedeemRefreshTokenAsync));
        Assert.Equal(SessionValidationStatus.Revoked, (await _manager.ValidateAsync(session, Ct)).Status);
    }

    [Fact]
    public async Task RefreshRevoke_OneCall()
    {
        string refresh = await IssueRefreshAsync();

        Assert.Equal(SessionOperationStatus.Done, await _refresh.RevokeAsync(refresh, Ct));

        AssertOneCall(nameof(ISessionStore.RevokeRefreshFamilyAsync));
    }

    private static ClientInfo Laptop() => new("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "198.51.100.7", null);

    private void AssertOneCall(string operation)
    {
        Assert.Equal(1, _store.Calls(operation));
        Assert.Equal(1, _store.TotalCalls);
    }

    private async Task<string> SignInAsync()
    {
        string token = (await _manager.SignInAsync(new SignInRequest(User), Ct)).Value.Reveal();
        _store.ResetCalls();
        return token;
    }

    private async Task<string> IssueRefreshAsync(string? session = null)
    {
        RefreshTokenResult issued = await _refresh.IssueAsync(session ?? await SignInAsync(), cancellationToken: Ct);
        _store.ResetCalls();
        return issued.Value.Reveal();
    }
}
