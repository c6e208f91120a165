using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Diagnostics;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

/// <summary>A manager, a refresh service and an observable in-memory store on a fake clock.</summary>
internal sealed class RotationHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public RotationHarness(RefreshTokenOptions? options = null, SessionOptions? sessionOptions = null, ObservedStore? store = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Store = store ?? new ObservedStore(new InMemorySessionStore());
        SessionManagerBuilder builder = new()
        {
            Store = Store,
            TimeProvider = Time,
            Options = sessionOptions ?? new SessionOptions { IdleTimeout = TimeSpan.FromDays(30), AbsoluteLifetime = TimeSpan.FromDays(30) },
        };
        builder.EventSinks.Add(Events);
        Manager = builder.Build();
        Service = new RefreshTokenService(Manager, options ?? new RefreshTokenOptions());
    }

    public FakeTimeProvider Time { get; }

    public ObservedStore Store { get; }

    public SessionManager Manager { get; }

    public RefreshTokenService Service { get; }

    public RecordingSink Events { get; } = new();

    public async Task<(SessionToken Token, Session Session)> SignInAsync(string userId = "alice")
    {
        SignInResult result = await Manager.SignInAsync(new SignInRequest(userId));
        Assert.True(result.IsSuccess);
        return (result.Value, result.Session);
    }

    public async Task<(SessionToken SessionToken, RefreshTokenResult Issued)> SignInAndIssueAsync(string userId = "alice")
    {
        (SessionToken token, _) = await SignInAsync(userId);
        RefreshTokenResult issued = await Service.IssueAsync(token.Reveal());
        Assert.Equal(RefreshTokenStatus.Issued, issued.Status);
        return (token, issued);
    }

    public Task<RefreshFamily?> FamilyAsync(RefreshTokenHash anyTokenHash) => Store.FindRefreshFamilyByTokenAsync(anyTokenHash).AsTask();

    public async Task<RefreshFamily> RequireFamilyAsync(RefreshTokenHash anyTokenHash) =>
        await FamilyAsync(anyTokenHash) ?? throw new InvalidOperationException("family missing");

    public void Dispose() => Service.Dispose();
}

internal sealed class RecordingSink : ISessionEventSink
{
    private readonly ConcurrentQueue<SessionEvent> _events = new();

    public IReadOnlyList<SessionEvent> All => [.. _events];

    public IReadOnlyList<RefreshTokenReuseDetected> Reuses => [.. _events.OfType<RefreshTokenReuseDetected>()];

    public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(sessionEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The shared observing store, plus what rotation tests count: rotations, family creations and state-changing calls.</summary>
internal sealed class ObservedStore(ISessionStore inner) : DelegatingStore(inner)
{
    private static readonly HashSet<string> s_reads = new(StringComparer.Ordinal)
    {
        nameof(ISessionStore.FindAsync),
        nameof(ISessionStore.FindRefreshFamilyByTokenAsync),
        nameof(ISessionStore.ListUserSessionsAsync),
        nameof(ISessionStore.GetUserSecurityStateAsync),
        nameof(ISessionStore.GetSecurityEpochAsync),
    };

    private int _rotations;
    private int _familyCreations;

    public int Rotations => _rotations;

    public int FamilyCreations => _familyCreations;

    /// <summary>Gets the number of calls that may change state (whatever they did); a redemption counts only when it rotated.</summary>
    public int Writes => CallCounts.Where(c => !s_reads.Contains(c.Key) && c.Key != nameof(ISessionStore.RedeemRefreshTokenAsync)).Sum(c => c.Value) + _rotations;

    public Func<RefreshFamily, RefreshFamily>? RewriteRedeemedFamily { get; set; }

    public override async ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default)
    {
        RefreshFamilyCreateResult result = await base.CreateRefreshFamilyAsync(creation, cancellationToken);
        if (result.IsSuccess)
        {
            Interlocked.Increment(ref _familyCreations);
        }

        return result;
    }

    public override async ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        RefreshRedeemResult result = await base.RedeemRefreshTokenAsync(redemption, cancellationToken);
        if (result.Status == RefreshRedeemStatus.Rotated)
        {
            Interlocked.Increment(ref _rotations);
        }

        return RewriteRedeemedFamily is { } rewrite && result.Family is not null ? result with { Family = rewrite(result.Family) } : result;
    }
}
