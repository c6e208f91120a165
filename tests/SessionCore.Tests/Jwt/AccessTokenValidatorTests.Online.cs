using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.Keys;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenValidatorOnlineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public async Task ValidateAsync_LiveSession_IsValid(string algorithm)
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(Registry.Get(algorithm), store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);

        AccessTokenValidationResult result = await fixture.Validator.ValidateAsync(fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!)), Ct);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(signIn.Session!.Id, result.Value.SessionId);
        Assert.Equal(0, result.Value.SecurityEpoch);
        Assert.Equal(AccessTokenValidationMode.Online, fixture.Validator.Mode);
    }

    [Fact]
    public async Task ValidateAsync_RevokedSession_IsSessionRevoked()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));

        await manager.RevokeAsync(signIn.Value.Reveal(), cancellationToken: Ct);

        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
    }

    [Fact]
    public async Task ValidateAsync_AfterPasswordChangeKeepingCurrentSession_OldTokensAndOldEpochAreRefused()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string oldToken = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));

        UserInvalidationResult invalidation = await manager.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, keep: signIn.Value.Reveal(), cancellationToken: Ct);
        Session kept = invalidation.Kept!.Session!;
        string stale = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", SessionId = kept.Id, SecurityEpoch = 0 });
        string fresh = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(kept));

        Assert.Equal(1, kept.SecurityEpoch);
        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await fixture.Validator.ValidateAsync(oldToken, Ct)).Status);
        Assert.Equal(AccessTokenValidationStatus.EpochMismatch, (await fixture.Validator.ValidateAsync(stale, Ct)).Status);
        Assert.True((await fixture.Validator.ValidateAsync(fresh, Ct)).IsSuccess);
    }

    [Fact]
    public async Task ValidateAsync_TokenEpochDiffersFromSessions_IsEpochMismatch()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", SessionId = signIn.Session!.Id, SecurityEpoch = signIn.Session.SecurityEpoch + 1 });

        Assert.Equal(AccessTokenValidationStatus.EpochMismatch, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_SubjectOfAnotherUser_IsEpochMismatch()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "mallory", SessionId = signIn.Session!.Id });

        Assert.Equal(AccessTokenValidationStatus.EpochMismatch, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_IdleExpiredSession_IsSessionExpired()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create(idle: TimeSpan.FromMinutes(5));
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));

        time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(AccessTokenValidationStatus.SessionExpired, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_UnknownSessionOrNoSid_IsRefused()
    {
        (FakeTimeProvider time, InMemorySessionStore store, _) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SessionId unknown = SessionToken.Mint(TokenSource.System).Id;

        Assert.Equal(AccessTokenValidationStatus.SessionNotFound, (await fixture.Validator.ValidateAsync(fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", SessionId = unknown }), Ct)).Status);
        Assert.Equal(AccessTokenValidationStatus.MissingClaim, (await fixture.Validator.ValidateAsync(fixture.Issue("alice"), Ct)).Status);
        Assert.Equal(AccessTokenValidationStatus.Malformed, (await fixture.Validator.ValidateAsync(null, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_StoreFails_IsStoreUnavailable()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: new DelegatingStore(new InMemorySessionStore()) { Fail = true });
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", SessionId = SessionToken.Mint(TokenSource.System).Id });

        Assert.Equal(AccessTokenValidationStatus.StoreUnavailable, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_Cancelled_Throws()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: new DelegatingStore(new InMemorySessionStore()) { Fail = true, FailureToThrow = new OperationCanceledException() });
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", SessionId = SessionToken.Mint(TokenSource.System).Id });
        using CancellationTokenSource cts = new();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fixture.Validator.ValidateAsync(token, cts.Token));
    }

    [Fact]
    public async Task ValidateAsync_Online_IsOneStoreCall()
    {
        FakeTimeProvider time = new(Start);
        DelegatingStore store = new(new InMemorySessionStore());
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));
        store.ResetCalls();

        Assert.True((await fixture.Validator.ValidateAsync(token, Ct)).IsSuccess);
        Assert.Equal(1, store.Calls(nameof(ISessionStore.ValidateAsync)));
        Assert.Equal(1, store.TotalCalls);
    }

    [Fact]
    public async Task ValidateAsync_AfterEverySessionWasRevoked_IsSessionRevoked()
    {
        (FakeTimeProvider time, InMemorySessionStore store, SessionManager manager) = Create();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SessionOperationStatus.Done, await manager.RevokeEverySessionAsync(Ct));

        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_StoreThrows_IsStoreUnavailable()
    {
        FakeTimeProvider time = new(Start);
        DelegatingStore store = new(new InMemorySessionStore());
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, store: store, time: time);
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), Ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));
        store.Fail = true;

        Assert.Equal(AccessTokenValidationStatus.StoreUnavailable, (await fixture.Validator.ValidateAsync(token, Ct)).Status);
    }

    private static (FakeTimeProvider Time, InMemorySessionStore Store, SessionManager Manager) Create(TimeSpan? idle = null)
    {
        FakeTimeProvider time = new(Start);
        InMemorySessionStore store = new();
        SessionManager manager = new SessionManagerBuilder
        {
            Store = store,
            TimeProvider = time,
            Options = { IdleTimeout = idle ?? TimeSpan.FromMinutes(30) },
        }.Build();
        return (time, store, manager);
    }
}
