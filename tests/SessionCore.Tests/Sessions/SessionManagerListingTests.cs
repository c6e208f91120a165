using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.Sessions;

// The manager runs on the in-memory store, whose calls complete synchronously; a test-cancellation token adds nothing here.
#pragma warning disable xUnit1051

public sealed class SessionManagerListingTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public async Task ListSessionSummaries_MarksCurrentAndOrdersByLastSeen()
    {
        PolicyTestHost host = new();
        SignInResult first = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", null));
        host.Time.Advance(TimeSpan.FromMinutes(5));
        SignInResult second = await host.SignInAsync("alice");
        await host.SignInAsync("bob");

        IReadOnlyList<SessionSummary>? list = (await host.Manager.ListSessionSummariesAsync("alice", first.Session!.Id)).Summaries;

        Assert.NotNull(list);
        Assert.Equal([second.Session!.Id, first.Session.Id], list.Select(s => s.Id));
        Assert.False(list[0].IsCurrent);
        Assert.True(list[1].IsCurrent);
        Assert.Equal("Firefox on Linux", list[1].Device);
        Assert.Equal("203.0.113.0/24", list[1].Network);
        Assert.Equal(UserAgentFamily.Unknown, list[0].Device);
        Assert.Equal(first.Session.CreatedAt, list[1].CreatedAt);
    }

    [Fact]
    public async Task RevokeOwnSession_RevokesTargetOfSameUser()
    {
        PolicyTestHost host = new();
        SignInResult phone = await host.SignInAsync("alice");
        SignInResult laptop = await host.SignInAsync("alice");

        SessionOperationStatus status = await host.Manager.RevokeOwnSessionAsync(laptop.Value.Reveal(), phone.Session!.Id);

        Assert.Equal(SessionOperationStatus.Done, status);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(phone.Value.Reveal())).Status);
        Assert.True((await host.Manager.ValidateAsync(laptop.Value.Reveal())).IsValid);
    }

    [Fact]
    public async Task RevokeOwnSession_OtherUsersSession_IsNothingToDo()
    {
        PolicyTestHost host = new();
        SignInResult alice = await host.SignInAsync("alice");
        SignInResult mallory = await host.SignInAsync("mallory");

        SessionOperationStatus status = await host.Manager.RevokeOwnSessionAsync(mallory.Value.Reveal(), alice.Session!.Id);

        Assert.Equal(SessionOperationStatus.NothingToDo, status);
        Assert.True((await host.Manager.ValidateAsync(alice.Value.Reveal())).IsValid);
    }

    [Fact]
    public async Task RevokeOwnSession_InvalidCallerToken_IsNothingToDo()
    {
        PolicyTestHost host = new();
        SignInResult alice = await host.SignInAsync("alice");

        Assert.Equal(SessionOperationStatus.NothingToDo, await host.Manager.RevokeOwnSessionAsync("junk", alice.Session!.Id));
        Assert.True((await host.Manager.ValidateAsync(alice.Value.Reveal())).IsValid);
    }

    [Fact]
    public async Task RevokeOtherSessions_KeepsOnlyCaller()
    {
        PolicyTestHost host = new();
        SignInResult[] others = [await host.SignInAsync("alice"), await host.SignInAsync("alice")];
        SignInResult current = await host.SignInAsync("alice");
        SignInResult bob = await host.SignInAsync("bob");

        Assert.Equal(SessionOperationStatus.Done, await host.Manager.RevokeOtherSessionsAsync(current.Value.Reveal()));

        foreach (SignInResult other in others)
        {
            Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(other.Value.Reveal())).Status);
        }

        Assert.True((await host.Manager.ValidateAsync(current.Value.Reveal())).IsValid);
        Assert.True((await host.Manager.ValidateAsync(bob.Value.Reveal())).IsValid);
        Assert.Equal(SessionOperationStatus.NothingToDo, await host.Manager.RevokeOtherSessionsAsync(current.Value.Reveal()));
    }
}
