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

    public Task<RefreshFamily?> FamilyAsync(string anyTokenHash) => Store.FindRefreshFamilyByTokenAsync(anyTokenHash).AsTask();

    public async Task<RefreshFamily> RequireFamilyAsync(string anyTokenHash) =>
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

/// <summary>Delegates to a real store, counts refresh writes and can be told to fail.</summary>
internal sealed class ObservedStore(ISessionStore inner) : ISessionStore
{
    private int _rotations;
    private int _familyCreations;
    private int _writes;

    public int Rotations => _rotations;

    public int FamilyCreations => _familyCreations;

    /// <summary>Gets the number of calls that may change state (whatever they did).</summary>
    public int Writes => _writes;

    public Func<string, bool>? FailWhen { get; set; }

    public Func<RefreshFamily, RefreshFamily>? RewriteRedeemedFamily { get; set; }

    public ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(CreateAsync));
        return inner.CreateAsync(session, limit, now, cancellationToken);
    }

    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        Check(nameof(FindAsync));
        return inner.FindAsync(id, cancellationToken);
    }

    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default)
    {
        Write(nameof(TouchAsync));
        return inner.TouchAsync(id, expectedVersion, lastSeenAt, idleExpiresAt, cancellationToken);
    }

    public ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(RegenerateAsync));
        return inner.RegenerateAsync(currentId, expectedVersion, replacement, now, cancellationToken);
    }

    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(RevokeAsync));
        return inner.RevokeAsync(id, reason, now, cancellationToken);
    }

    public ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(RevokeUserSessionsAsync));
        return inner.RevokeUserSessionsAsync(userId, except, reason, now, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(nameof(ListUserSessionsAsync));
        return inner.ListUserSessionsAsync(userId, now, cancellationToken);
    }

    public ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(CreateRefreshFamilyAsync));
        Interlocked.Increment(ref _familyCreations);
        return inner.CreateRefreshFamilyAsync(family, now, cancellationToken);
    }

    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        Check(nameof(FindRefreshFamilyByTokenAsync));
        return inner.FindRefreshFamilyByTokenAsync(tokenHash, cancellationToken);
    }

    public async ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        // The compare-and-swap is asked on every redemption; it writes only when it rotates.
        Check(nameof(RedeemRefreshTokenAsync));
        RefreshRedeemResult result = await inner.RedeemRefreshTokenAsync(redemption, cancellationToken);
        if (result.Status == RefreshRedeemStatus.Rotated)
        {
            Interlocked.Increment(ref _rotations);
            Interlocked.Increment(ref _writes);
        }

        if (RewriteRedeemedFamily is { } rewrite && result.Family is not null)
        {
            result = result with { Family = rewrite(result.Family) };
        }

        return result;
    }

    public ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(RevokeRefreshFamilyAsync));
        return inner.RevokeRefreshFamilyAsync(familyId, reason, now, cancellationToken);
    }

    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        Check(nameof(GetUserSecurityStateAsync));
        return inner.GetUserSecurityStateAsync(userId, cancellationToken);
    }

    public ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        Write(nameof(IncrementSecurityEpochAsync));
        return inner.IncrementSecurityEpochAsync(userId, cancellationToken);
    }

    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        Write(nameof(RememberDeviceAsync));
        return inner.RememberDeviceAsync(userId, device, maxDevices, cancellationToken);
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(PurgeExpiredAsync));
        return inner.PurgeExpiredAsync(now, cancellationToken);
    }

    public ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Write(nameof(TryUseOnceAsync));
        return inner.TryUseOnceAsync(key, expiresAt, now, cancellationToken);
    }

    private void Check(string operation)
    {
        if (FailWhen?.Invoke(operation) == true)
        {
            throw new SessionStoreException();
        }
    }

    private void Write(string operation)
    {
        Check(operation);
        Interlocked.Increment(ref _writes);
    }
}
