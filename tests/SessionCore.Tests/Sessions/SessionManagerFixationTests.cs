using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Sessions;

// The manager runs on the in-memory store, whose calls complete synchronously; a test-cancellation token adds nothing here.
#pragma warning disable xUnit1051

public sealed class SessionManagerFixationTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("mallory")]
    public async Task SignIn_PresentedValidToken_IsRevokedNeverAdopted(string presentedOwner)
    {
        PolicyTestHost host = new();
        SignInResult planted = await host.SignInAsync(presentedOwner);
        string plantedToken = planted.Value.Reveal();

        SignInResult signIn = await host.SignInAsync("alice", r => r.PresentedToken = plantedToken);

        Assert.True(signIn.IsSuccess);
        Assert.NotEqual(plantedToken, signIn.Value.Reveal());
        Assert.NotEqual(planted.Session!.Id, signIn.Session!.Id);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(plantedToken)).Status);
        Session revoked = (await host.Store.FindAsync(planted.Session.Id))!;
        Assert.Equal(RevocationReason.Regenerated, revoked.RevocationReason);
        Assert.True((await host.Manager.ValidateAsync(signIn.Value.Reveal())).IsValid);
    }

    [Fact]
    public async Task SignIn_PresentedUnknownToken_NeverBecomesASession()
    {
        PolicyTestHost host = new();
        string forged = "sc_" + new string('A', 43);

        SignInResult signIn = await host.SignInAsync("alice", r => r.PresentedToken = forged);

        Assert.NotEqual(forged, signIn.Value.Reveal());
        Assert.Equal(SessionValidationStatus.NotFound, (await host.Manager.ValidateAsync(forged)).Status);
        Assert.Null(await host.Store.FindAsync(SessionId.FromTokenValue(forged)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sc_tooShort")]
    [InlineData("not-a-token-at-all")]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public async Task SignIn_PresentedForgedToken_NeverBecomesASession(string forged)
    {
        PolicyTestHost host = new();

        SignInResult signIn = await host.SignInAsync("alice", r => r.PresentedToken = forged);

        Assert.NotEqual(forged, signIn.Value.Reveal());
        Assert.False((await host.Manager.ValidateAsync(forged)).IsValid);
        Assert.Single((await host.Manager.ListSessionsAsync("alice")).Value);
    }

    [Fact]
    public async Task SignIn_PresentedExpiredToken_StaysDeadAndIsNotReused()
    {
        PolicyTestHost host = new();
        SignInResult old = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromHours(13));

        SignInResult signIn = await host.SignInAsync("alice", r => r.PresentedToken = old.Value.Reveal());

        Assert.NotEqual(old.Session!.Id, signIn.Session!.Id);
        Assert.False((await host.Manager.ValidateAsync(old.Value.Reveal())).IsValid);
        Assert.Equal([signIn.Session.Id], (await host.Manager.ListSessionsAsync("alice")).Value.Select(s => s.Id));
    }

    [Fact]
    public async Task Regenerate_PrivilegeChange_OldDeadNewLiveInOneStep()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        int countBefore = ((InMemorySessionStore)host.Store).Count;

        SessionRegenerationResult result = await host.Manager.RegenerateAsync(signIn.Value.Reveal(), new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });

        Assert.True(result.IsSuccess);
        Assert.NotEqual(signIn.Value.Reveal(), result.Value.Reveal());
        Assert.Equal(signIn.Session!.Id, result.PreviousId);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(signIn.Value.Reveal())).Status);
        SessionValidationResult live = await host.Manager.ValidateAsync(result.Value.Reveal());
        Assert.Equal(2, live.Value.AuthenticationLevel);
        Assert.Equal(signIn.Session.AbsoluteExpiresAt, live.Value.AbsoluteExpiresAt);
        Assert.Equal(countBefore + 1, ((InMemorySessionStore)host.Store).Count);
        SessionRegenerated raised = Assert.Single(host.Events.Of<SessionRegenerated>());
        Assert.Equal(signIn.Session.Id, raised.PreviousSessionId);
    }

    [Fact]
    public async Task Regenerate_UsesSingleAtomicStoreStep()
    {
        DelegatingStore store = new(new InMemorySessionStore());
        PolicyTestHost host = new(store: store);
        SignInResult signIn = await host.SignInAsync("alice");
        store.ResetCalls();

        SessionRegenerationResult regenerated = await host.Manager.RegenerateAsync(signIn.Value.Reveal(), new SessionChange { AuthenticationLevel = 3 });

        Assert.True(regenerated.IsSuccess);
        Assert.Equal(1, store.Calls(nameof(ISessionStore.RegenerateAsync)));
        Assert.Equal(1, store.TotalCalls);
    }

    [Fact]
    public async Task Regenerate_RevokedOrUnknownToken_CreatesNothing()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        await host.Manager.RevokeAsync(signIn.Value.Reveal());

        SessionRegenerationResult revoked = await host.Manager.RegenerateAsync(signIn.Value.Reveal());
        SessionRegenerationResult unknown = await host.Manager.RegenerateAsync("sc_" + new string('A', 43));

        Assert.Equal(SessionValidationStatus.Revoked, revoked.Validation);
        Assert.Equal(SessionValidationStatus.NotFound, unknown.Validation);
        Assert.Empty((await host.Manager.ListSessionsAsync("alice")).Value);
    }
}
