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

public sealed class SessionManagerLimitTests
{
    [Fact]
    public async Task SignIn_FiftyParallelWithEvictOldest_LeavesExactlyThreeLive()
    {
        PolicyTestHost host = new(o => { o.MaxSessionsPerUser = 3; o.LimitMode = SessionLimitMode.EvictOldest; });

        SignInResult[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => host.SignInAsync("alice"))));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(3, (await host.Manager.ListSessionsAsync("alice")).Value.Count);
        int live = 0;
        foreach (SignInResult result in results)
        {
            live += (await host.Manager.ValidateAsync(result.Value.Reveal())).IsValid ? 1 : 0;
        }

        Assert.Equal(3, live);
        int evictedTotal = results.Sum(r => r.Evicted.Count);
        Assert.Equal(47, evictedTotal);
        Assert.Equal(47, host.Events.Of<SessionEvicted>().Count);
        Assert.Equal(
            results.SelectMany(r => r.Evicted).Select(id => id.ToString()).Order().ToArray(),
            host.Events.Of<SessionEvicted>().Select(e => e.SessionId.ToString()).Order().ToArray());
    }

    [Fact]
    public async Task SignIn_FiftyParallelWithRejectNew_ThreeSucceedRestTypedLimitReached()
    {
        PolicyTestHost host = new(o => { o.MaxSessionsPerUser = 3; o.LimitMode = SessionLimitMode.RejectNew; });

        SignInResult[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => host.SignInAsync("alice"))));

        Assert.Equal(3, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r =>
        {
            Assert.Equal(SignInStatus.LimitReached, r.Status);
            Assert.Null(r.Token);
            Assert.False(r.TryGetValue(out _));
        });
        Assert.Equal(3, (await host.Manager.ListSessionsAsync("alice")).Value.Count);
        Assert.Empty(host.Events.Of<SessionEvicted>());
    }

    [Fact]
    public async Task SignIn_EvictOldest_EvictsLeastRecentlySeenAndRaisesEvent()
    {
        PolicyTestHost host = new(o => { o.MaxSessionsPerUser = 2; o.RenewalInterval = TimeSpan.Zero; });
        SignInResult a = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        SignInResult b = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.Manager.ValidateAsync(a.Value.Reveal()); // a is now seen more recently than b

        SignInResult c = await host.SignInAsync("alice");

        SessionId evicted = Assert.Single(c.Evicted);
        Assert.Equal(b.Session!.Id, evicted);
        SessionEvicted raised = Assert.Single(host.Events.Of<SessionEvicted>());
        Assert.Equal(b.Session.Id, raised.SessionId);
        Assert.Equal(c.Session!.Id, raised.NewSessionId);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(b.Value.Reveal())).Status);
        Assert.Equal(RevocationReason.Evicted, (await host.Store.FindAsync(b.Session.Id))!.RevocationReason);
    }

    [Fact]
    public async Task SignIn_LimitCountsUsersSeparately()
    {
        PolicyTestHost host = new(o => { o.MaxSessionsPerUser = 1; o.LimitMode = SessionLimitMode.RejectNew; });

        Assert.True((await host.SignInAsync("alice")).IsSuccess);
        Assert.True((await host.SignInAsync("bob")).IsSuccess);
        Assert.Equal(SignInStatus.LimitReached, (await host.SignInAsync("alice")).Status);
    }
}
