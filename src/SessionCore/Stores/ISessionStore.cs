using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// Persistence for sessions, refresh families and per-user security state. A store holds no policy:
/// it persists records and performs the few operations that must be atomic or indexed. The session
/// manager decides everything else.
/// </summary>
/// <remarks>
/// <para>
/// Security: every method documented as atomic must be atomic under any interleaving of calls from
/// any number of threads and processes that share the backing database; the public conformance suite
/// checks this under concurrency. Infrastructure failures are thrown (preferably as
/// <see cref="SessionStoreException"/>); the manager turns any exception into a fail-closed outcome.
/// </para>
/// <para>
/// "Revoking" a session also revokes every refresh family bound to it, with the same reason, so that
/// no refresh token outlives its session. Revoked records are kept until purged so that the manager
/// can tell "revoked" from "unknown".
/// </para>
/// </remarks>
/// <threadsafety>Implementations must be safe to share between threads.</threadsafety>
public interface ISessionStore
{
    /// <summary>
    /// Atomically inserts <paramref name="session"/> while enforcing <paramref name="limit"/> on the
    /// user's live sessions (not revoked, not expired at <paramref name="now"/>). With
    /// <see cref="SessionLimitMode.EvictOldest"/> the least recently seen live sessions are revoked
    /// (reason <see cref="RevocationReason.Evicted"/>) until the new one fits; with
    /// <see cref="SessionLimitMode.RejectNew"/> nothing is written when the user is at the limit.
    /// </summary>
    /// <param name="session">The new session; its identifier is not yet in the store.</param>
    /// <param name="limit">The limit to enforce, or <see cref="SessionLimit.None"/>.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the session was created, and which sessions were evicted.</returns>
    ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Finds a session by identifier, revoked or not.</summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session, or <see langword="null"/> when the store holds none with that identifier.</returns>
    ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically records activity: when the session exists, is not revoked and its version equals
    /// <paramref name="expectedVersion"/>, sets the two times and increments the version.
    /// </summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="lastSeenAt">The new last-seen time.</param>
    /// <param name="idleExpiresAt">The new idle expiry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the record was updated.</returns>
    ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically replaces a session: when <paramref name="currentId"/> is live at <paramref name="now"/>
    /// and at <paramref name="expectedVersion"/>, revokes it (reason <see cref="RevocationReason.Regenerated"/>,
    /// with its refresh families) and inserts <paramref name="replacement"/>, in one step. Otherwise writes nothing.
    /// </summary>
    /// <param name="currentId">The session being replaced.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="replacement">The new session.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Atomically revokes one session and its refresh families, if it is not revoked already.</summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this call revoked it.</returns>
    ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every not-yet-revoked session of a user (and their refresh families), except
    /// <paramref name="except"/> when given. Atomic with respect to <see cref="CreateAsync"/> for the same user.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="except">A session to keep, or <see langword="null"/>.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identifiers this call revoked.</returns>
    ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Lists a user's live sessions (not revoked, not expired at <paramref name="now"/>).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions, in no particular order.</returns>
    ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Atomically inserts a new refresh family, when its session is live at <paramref name="now"/>.</summary>
    /// <param name="family">The family, at generation 0 and version 0.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the session is missing, revoked or expired; nothing is written then.</returns>
    ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Finds the family that holds a token hash as current, previous or spent.</summary>
    /// <param name="tokenHash">The refresh token hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The family, or <see langword="null"/>.</returns>
    ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// The refresh compare-and-swap. Atomically: find the family holding the presented hash; when it is
    /// not revoked, the presented hash is its current token, the token and family are unexpired and the
    /// family's session is live (not revoked, before its idle and its absolute expiry), write
    /// <see cref="RefreshFamily.Rotate"/> and return <see cref="RefreshRedeemStatus.Rotated"/>. In every
    /// other case write nothing and say why. Of any number of concurrent redemptions of one token, at
    /// most one rotates.
    /// </summary>
    /// <param name="redemption">The presented hash and the prepared successor.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The status and the family as it now stands.</returns>
    ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default);

    /// <summary>Atomically revokes a refresh family, if it is not revoked already.</summary>
    /// <param name="familyId">The family.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this call revoked it.</returns>
    ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads a user's security state; an unknown user has epoch 0 and no devices.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state.</returns>
    ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads only a user's security epoch (0 for an unknown user): what online access-token validation needs on
    /// every request. The default reads the whole state; a store whose known devices cost extra to read overrides it.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The epoch, equal to <see cref="UserSecurityState.SecurityEpoch"/> of <see cref="GetUserSecurityStateAsync"/>.</returns>
    async ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        (await GetUserSecurityStateAsync(userId, cancellationToken).ConfigureAwait(false)).SecurityEpoch;

    /// <summary>Atomically increments a user's security epoch.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new epoch.</returns>
    ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds a device to the user's known devices, or refreshes its <see cref="KnownDevice.LastSeenAt"/>
    /// when one with the same <see cref="KnownDevice.Key"/> exists; keeps at most <paramref name="maxDevices"/>,
    /// dropping the least recently seen.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="device">The device.</param>
    /// <param name="maxDevices">How many devices to keep (at least 1).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the device was not known before.</returns>
    ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes sessions past their absolute or idle expiry, revoked sessions past their absolute expiry,
    /// and refresh families past their absolute expiry.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many records were deleted.</returns>
    ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remembers a single-use value until <paramref name="expiresAt"/>, or says it was seen: atomically, when the
    /// store holds no entry for <paramref name="key"/> that expires after <paramref name="now"/>, records one that
    /// expires at <paramref name="expiresAt"/> and returns <see langword="true"/>; otherwise writes nothing (the
    /// live entry keeps its expiry) and returns <see langword="false"/>. Of any number of concurrent calls with one
    /// key, from any number of processes sharing the backing database, at most one returns <see langword="true"/>
    /// while its entry lives.
    /// </summary>
    /// <param name="key">The hashed name of the value (see <see cref="SingleUseKey.Create(string, string, string)"/>).</param>
    /// <param name="expiresAt">Until when the value must be refused again; after <paramref name="now"/>.</param>
    /// <param name="now">The current time; an entry is live while it expires after this instant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this call used the value; <see langword="false"/> when it was used already.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresAt"/> is not after <paramref name="now"/>.</exception>
    /// <remarks>
    /// Security: this is the replay cache of DPoP proofs and browser-binding challenges. Entries must be bounded:
    /// expired entries are deleted by the store (native expiry, a TTL index, <see cref="PurgeExpiredAsync"/>, or
    /// opportunistically), and a store that cannot record an entry throws rather than answer
    /// <see langword="true"/> (fail closed).
    /// </remarks>
    ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default);
}
