using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Rotation;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Rotation;

public sealed class RefreshTokenServiceConcurrencyTests
{
    private const int Parallelism = 64;

    [Fact]
    public async Task Redeem_64ParallelInsideGrace_ExactlyOneSuccessorReturnedToAll()
    {
        using RotationHarness h = new(new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(10) });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        string presented = issued.Value.Reveal();

        RefreshTokenResult[] results = await RaceAsync(() => h.Service.RedeemAsync(presented).AsTask());

        Assert.Equal(1, h.Store.Rotations);
        Assert.Single(results, r => r.Status == RefreshTokenStatus.Rotated);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { RefreshTokenStatus.Rotated, RefreshTokenStatus.GraceRetry }));
        string successor = Assert.Single(results.Select(r => r.Value.Reveal()).Distinct());
        RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
        Assert.Equal(1, family.Generation);
        Assert.Empty(family.SpentTokenHashes);
        Assert.Equal(results[0].Value.Hash, family.CurrentTokenHash);
        Assert.NotEqual(presented, successor);
        Assert.False(family.IsRevoked);
    }

    [Fact]
    public async Task Redeem_64ParallelWithoutGrace_OneRotationThenFamilyRevoked()
    {
        using RotationHarness h = new(new RefreshTokenOptions { GraceWindow = TimeSpan.Zero });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        string presented = issued.Value.Reveal();

        RefreshTokenResult[] results = await RaceAsync(() => h.Service.RedeemAsync(presented).AsTask());

        Assert.Equal(1, h.Store.Rotations);
        Assert.True(results.Count(r => r.IsSuccess) <= 1);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Contains(r.Status, new[] { RefreshTokenStatus.Reused, RefreshTokenStatus.SessionNotLive }));
        RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
        Assert.Equal(1, family.Generation);
        Assert.True(family.IsRevoked);
        Assert.NotEmpty(h.Events.Reuses);
    }

    [Fact]
    public async Task Redeem_ParallelChains_FamilyNeverHasTwoActiveTokens()
    {
        using RotationHarness h = new(new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(10) });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        string presented = issued.Value.Reveal();

        // Several rounds: everyone races on the token the previous round produced.
        for (int round = 0; round < 8; round++)
        {
            RefreshTokenResult[] results = await RaceAsync(() => h.Service.RedeemAsync(presented).AsTask());
            string next = Assert.Single(results.Select(r => r.Value.Reveal()).Distinct());
            RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
            Assert.Equal(round + 1, family.Generation);
            Assert.Equal(results[0].Value.Hash, family.CurrentTokenHash);
            Assert.DoesNotContain(family.CurrentTokenHash, family.SpentTokenHashes);
            presented = next;
        }

        Assert.Equal(8, h.Store.Rotations);
    }

    private static async Task<RefreshTokenResult[]> RaceAsync(Func<Task<RefreshTokenResult>> redeem)
    {
        using Barrier start = new(Parallelism);
        Task<RefreshTokenResult>[] tasks = [.. Enumerable.Range(0, Parallelism).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return redeem().GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
        return await Task.WhenAll(tasks);
    }
}
