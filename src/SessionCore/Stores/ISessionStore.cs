using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// Persistence for sessions, refresh families and per-user security state. Each method is one operation of the
/// session manager and costs the store one atomic step (one round trip where the backend allows): a store never
/// holds policy, it applies the decision set (<see cref="StoreDecisions"/>, or scripts that mirror it) inside that
/// step and returns what the manager needs next.
/// </summary>
/// <remarks>
/// <para>
/// Security: every method must be atomic under any interleaving of calls from any number of threads and processes
/// that share the backing database; the public conformance suite checks this under concurrency. Infrastructure
/// failures are thrown, as <see cref="SessionStoreException"/> wrapping the driver's exception (caller cancellation as
/// <see cref="OperationCanceledException"/>); the manager turns any exception into a fail-closed outcome.
/// </para>
/// <para>
/// Revoking a session also revokes every refresh family bound to it, with the same reason, so that no refresh token
/// outlives its session. Revoked records are kept until purged so that the manager can tell "revoked" from "unknown".
/// A session whose security epoch is below its user's, or that was created at or before the global revocation
/// instant, never validates, whatever its record says.
/// </para>
/// </remarks>
/// <threadsafety>Implementations must be safe to share between threads.</threadsafety>
public interface ISessionStore
{
    /// <summary>
    /// A sign-in, atomically: checks the expected security epoch, enforces the concurrent-session limit (evicting or
    /// refusing), inserts the session under the user's current epoch, revokes the presented session when it is this
    /// user's, and remembers the device (<see cref="StoreDecisions.Create"/>).
    /// </summary>
    /// <param name="creation">The sign-in.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was written.</returns>
    ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default);

    /// <summary>Reads a session record as stored, revoked or not, without judging it (for operators and tools).</summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session, or <see langword="null"/> when the store holds none with that identifier.</returns>
    ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// A validation, atomically: finds the session, judges it against the rules, the user's current epoch and the global
    /// revocation instant, and when it opens and <paramref name="touch"/> is set, writes a due sliding renewal
    /// (<see cref="StoreDecisions.Validate"/>).
    /// </summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <param name="touch">Whether a due sliding renewal is written.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The verdict and the session as it now stands.</returns>
    ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default);

    /// <summary>
    /// A regeneration, atomically: when the current session opens, inserts the replacement and revokes the current
    /// session with its refresh families (reason <see cref="RevocationReason.Regenerated"/>); otherwise writes nothing
    /// (<see cref="StoreDecisions.Regenerate"/>).
    /// </summary>
    /// <param name="regeneration">The regeneration.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was written.</returns>
    ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default);

    /// <summary>Atomically revokes one session and its refresh families, if it is not revoked already (<see cref="StoreDecisions.Revoke"/>).</summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="userId">The user the session must belong to, or <see langword="null"/> for any.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session as this call revoked it, or <see langword="null"/> when it is unknown, another user's, or revoked already.</returns>
    ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically revokes a user's sessions and their families: optionally advances the user's security epoch, leaves one
    /// session as it is, or keeps one by regenerating it under the resulting epoch — all or nothing
    /// (<see cref="StoreDecisions.RevokeUserSessions"/>). Atomic with respect to <see cref="CreateAsync"/> for the same user.
    /// </summary>
    /// <param name="revocation">The revocation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was written.</returns>
    ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default);

    /// <summary>Lists a user's sessions that open at <paramref name="now"/> (<see cref="StoreDecisions.ListUserSessions"/>).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions, in no particular order.</returns>
    ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically binds a session that opens to a device key, unless it is bound already; a binding is never replaced or
    /// removed (<see cref="StoreDecisions.BindKey"/>).
    /// </summary>
    /// <param name="id">The session identifier.</param>
    /// <param name="binding">The key.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically inserts a new refresh family for a session that opens, capping its lifetime at the session's absolute
    /// expiry, and writes a due sliding renewal of the session (<see cref="StoreDecisions.CreateRefreshFamily"/>).
    /// </summary>
    /// <param name="creation">The family to create.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was written.</returns>
    ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default);

    /// <summary>Reads the family that holds a token hash as current, previous or spent, without judging it (for operators and tools).</summary>
    /// <param name="tokenHash">The refresh token hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The family, or <see langword="null"/>.</returns>
    ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// The refresh compare-and-swap, atomically: finds the family holding the presented hash, judges its session, decides
    /// with <see cref="RefreshFamily.Classify"/>, and writes the outcome — the rotation and the session's due renewal, or
    /// for reuse the revocation of the family and its session (<see cref="StoreDecisions.Redeem"/>). Of any number of
    /// concurrent redemptions of one token, at most one rotates.
    /// </summary>
    /// <param name="redemption">The presented hash, the prepared successor and the rules.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The decision, and the family and session as they now stand.</returns>
    ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default);

    /// <summary>Atomically revokes the family holding a token hash, if it is not revoked already (<see cref="StoreDecisions.RevokeRefreshFamily"/>).</summary>
    /// <param name="tokenHash">A hash of any token of the family.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The family as this call revoked it, or <see langword="null"/>.</returns>
    ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads a user's security state; an unknown user has epoch 0 and no devices.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state.</returns>
    ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads only a user's security epoch (0 for an unknown user). The default reads the whole state; a store whose known
    /// devices cost extra to read overrides it.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The epoch, equal to <see cref="UserSecurityState.SecurityEpoch"/> of <see cref="GetUserSecurityStateAsync"/>.</returns>
    async ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        (await GetUserSecurityStateAsync(userId, cancellationToken).ConfigureAwait(false)).SecurityEpoch;

    /// <summary>
    /// Atomically adds a device to the user's known devices, or refreshes it when one with the same
    /// <see cref="KnownDevice.Key"/> exists; keeps at most <paramref name="maxDevices"/>, dropping the least recently seen
    /// (<see cref="StoreDecisions.RememberDevice"/>).
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="device">The device.</param>
    /// <param name="maxDevices">How many devices to keep (at least 1).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the device was not known before.</returns>
    ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default);

    /// <summary>
    /// Break-glass: revokes every session of every user at once by moving the global revocation instant to
    /// <paramref name="now"/> (never backwards). Every session created at or before it stops validating, and with it
    /// every refresh family and online-validated access token.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The global revocation instant now in force.</returns>
    ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes what can no longer be used: sessions for which <see cref="Session.IsPurgeableAt"/> holds and families for which
    /// <see cref="RefreshFamily.IsPurgeableAt"/> holds, with their index entries.
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
