using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the code shown in docs/getting-started.md, so the page cannot describe code that no longer works.
public sealed class GettingStartedSnippetsTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";

    [Fact]
    public async Task HappyPath_SignInValidateRegenerateSignOut_EachStepWorks()
    {
        SessionManager manager = GettingStartedSnippets.BuildWithoutDependencyInjection();

        string? cookie = await GettingStartedSnippets.SignInAsync(manager, null, Firefox, "203.0.113.7", null);
        Assert.NotNull(cookie);
        Assert.Equal("alice", await GettingStartedSnippets.ValidateAsync(manager, cookie));

        string next = await GettingStartedSnippets.RegenerateAsync(manager, cookie);
        Assert.NotEqual(cookie, next);
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, cookie));
        Session session = (await manager.ValidateAsync(next, TestContext.Current.CancellationToken)).Value;
        Assert.Equal(2, session.AuthenticationLevel);

        Assert.Equal(SessionOperationStatus.Done, await GettingStartedSnippets.SignOutAsync(manager, next));
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, next));
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, "junk"));
    }

    [Fact]
    public async Task SignIn_PresentedCookieOfALiveSession_IsRevokedNotAdopted()
    {
        SessionManager manager = GettingStartedSnippets.BuildWithoutDependencyInjection();
        string? first = await GettingStartedSnippets.SignInAsync(manager, null, Firefox, null, null);

        string? second = await GettingStartedSnippets.SignInAsync(manager, first, Firefox, null, null);

        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, first));
        Assert.Equal("alice", await GettingStartedSnippets.ValidateAsync(manager, second));
    }

    [Fact]
    public async Task BuildWithDependencyInjection_ResolvedManager_SignsIn()
    {
        Assert.Equal(SignInStatus.SignedIn, await GettingStartedSnippets.BuildWithDependencyInjectionAsync());
    }

    [Fact]
    public async Task EndSessions_PasswordChangeKeepingCurrent_OnlyTheReplacementLives()
    {
        SessionManager manager = GettingStartedSnippets.BuildWithoutDependencyInjection();
        string current = (await GettingStartedSnippets.SignInAsync(manager, null, Firefox, null, null))!;
        string other = (await GettingStartedSnippets.SignInAsync(manager, null, Firefox, null, null))!;
        SessionId currentId = (await manager.ValidateAsync(current, TestContext.Current.CancellationToken)).Value.Id;
        SessionId otherId = (await manager.ValidateAsync(other, TestContext.Current.CancellationToken)).Value.Id;

        string replacement = await GettingStartedSnippets.EndSessionsAsync(manager, current, otherId, currentId);

        Assert.NotEqual(current, replacement);
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, current));
        Assert.Null(await GettingStartedSnippets.ValidateAsync(manager, other));
        Assert.Equal("alice", await GettingStartedSnippets.ValidateAsync(manager, replacement));
    }

    [Fact]
    public async Task Purge_AfterAbsoluteExpiry_DeletesTheRecord()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        InMemorySessionStore store = new();
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Equal(0, await GettingStartedSnippets.PurgeAsync(manager));
        time.Advance(TimeSpan.FromHours(13));

        Assert.Equal(1, await GettingStartedSnippets.PurgeAsync(manager));
        Assert.Equal(0, store.Count);
    }
}
