using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Tests.TestSupport;

/// <summary>
/// Wraps a store to count calls and, on demand, fail every call the way a dead database would.
/// </summary>
internal sealed class DelegatingStore(ISessionStore inner) : ISessionStore
{
    private int _finds;
    private int _touches;

    public bool Fail { get; set; }

    public bool FailTouch { get; set; }

    /// <summary>Runs after every successful create, to interleave another operation at that point.</summary>
    public Func<ValueTask>? AfterCreate { get; set; }

    /// <summary>Runs once, after the next revocation of a user's sessions, to interleave another operation at that point.</summary>
    public Func<ValueTask>? AfterNextRevokeUserSessions { get; set; }

    public Exception FailureToThrow { get; set; } = new SessionStoreException("connection refused");

    public int Finds => Volatile.Read(ref _finds);

    public int Touches => Volatile.Read(ref _touches);

    public async ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        SessionCreateResult result = await inner.CreateAsync(session, limit, now, cancellationToken);
        if (result.Created && AfterCreate is not null)
        {
            await AfterCreate();
        }

        return result;
    }

    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _finds);
        ThrowIfFailing();
        return inner.FindAsync(id, cancellationToken);
    }

    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _touches);
        if (FailTouch)
        {
            throw FailureToThrow;
        }

        ThrowIfFailing();
        return inner.TouchAsync(id, expectedVersion, lastSeenAt, idleExpiresAt, cancellationToken);
    }

    public ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.RegenerateAsync(currentId, expectedVersion, replacement, now, cancellationToken);
    }

    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.RevokeAsync(id, reason, now, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        IReadOnlyList<SessionId> revoked = await inner.RevokeUserSessionsAsync(userId, except, reason, now, cancellationToken);
        Func<ValueTask>? after = AfterNextRevokeUserSessions;
        AfterNextRevokeUserSessions = null;
        if (after is not null)
        {
            await after();
        }

        return revoked;
    }

    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.ListUserSessionsAsync(userId, now, cancellationToken);
    }

    public ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.CreateRefreshFamilyAsync(family, now, cancellationToken);
    }

    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.FindRefreshFamilyByTokenAsync(tokenHash, cancellationToken);
    }

    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.RedeemRefreshTokenAsync(redemption, cancellationToken);
    }

    public ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.RevokeRefreshFamilyAsync(familyId, reason, now, cancellationToken);
    }

    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.GetUserSecurityStateAsync(userId, cancellationToken);
    }

    public ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.IncrementSecurityEpochAsync(userId, cancellationToken);
    }

    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.RememberDeviceAsync(userId, device, maxDevices, cancellationToken);
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.PurgeExpiredAsync(now, cancellationToken);
    }

    public ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        return inner.TryUseOnceAsync(key, expiresAt, now, cancellationToken);
    }

    private void ThrowIfFailing()
    {
        if (Fail)
        {
            throw FailureToThrow;
        }
    }
}
