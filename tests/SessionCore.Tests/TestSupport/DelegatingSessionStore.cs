using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Tests.TestSupport;

/// <summary>Forwards every call to an inner store; tests override one primitive to inject failures.</summary>
internal abstract class DelegatingSessionStore(ISessionStore inner) : ISessionStore
{
    protected ISessionStore Inner { get; } = inner;

    public virtual ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.CreateAsync(session, limit, now, cancellationToken);

    public virtual ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) => Inner.FindAsync(id, cancellationToken);

    public virtual ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default) => Inner.TouchAsync(id, expectedVersion, lastSeenAt, idleExpiresAt, cancellationToken);

    public virtual ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.RegenerateAsync(currentId, expectedVersion, replacement, now, cancellationToken);

    public virtual ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.RevokeAsync(id, reason, now, cancellationToken);

    public virtual ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.RevokeUserSessionsAsync(userId, except, reason, now, cancellationToken);

    public virtual ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.ListUserSessionsAsync(userId, now, cancellationToken);

    public virtual ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.CreateRefreshFamilyAsync(family, now, cancellationToken);

    public virtual ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default) => Inner.FindRefreshFamilyByTokenAsync(tokenHash, cancellationToken);

    public virtual ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default) => Inner.RedeemRefreshTokenAsync(redemption, cancellationToken);

    public virtual ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.RevokeRefreshFamilyAsync(familyId, reason, now, cancellationToken);

    public virtual ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) => Inner.GetUserSecurityStateAsync(userId, cancellationToken);

    public virtual ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) => Inner.IncrementSecurityEpochAsync(userId, cancellationToken);

    public virtual ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) => Inner.RememberDeviceAsync(userId, device, maxDevices, cancellationToken);

    public virtual ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.PurgeExpiredAsync(now, cancellationToken);

    public virtual ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default) => Inner.TryUseOnceAsync(key, expiresAt, now, cancellationToken);
}
