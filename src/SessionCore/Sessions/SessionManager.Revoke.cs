using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    /// <summary>Revokes the session a client holds (sign-out).</summary>
    /// <param name="token">The presented token; junk is answered with <see cref="SessionOperationStatus.NothingToDo"/>.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    /// <remarks>Security: the session's refresh families are revoked with it.</remarks>
    public ValueTask<SessionOperationStatus> RevokeAsync(string? token, RevocationReason reason = RevocationReason.Logout, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryParse(token, out SessionToken? parsed))
        {
            return ValueTask.FromResult(SessionOperationStatus.NothingToDo);
        }

        return RevokeAsync(parsed.Id, reason, cancellationToken);
    }

    /// <summary>Revokes a session by identifier (for example from a "your devices" list or an operator tool).</summary>
    /// <param name="id">The session.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    /// <remarks>Security: when acting for a user, check first that the session is theirs (see <see cref="RevokeUserSessionAsync(string, SessionId, RevocationReason, CancellationToken)"/>).</remarks>
    public ValueTask<SessionOperationStatus> RevokeAsync(SessionId id, RevocationReason reason = RevocationReason.Administrative, CancellationToken cancellationToken = default) =>
        RevokeByIdCoreAsync(id, null, reason, _time.GetUtcNow(), cancellationToken);

    /// <summary>Revokes one of a user's sessions, only if it belongs to that user ("sign out that device"); records <see cref="RevocationReason.Logout"/>.</summary>
    /// <param name="userId">The user acting.</param>
    /// <param name="id">The session to revoke.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened; a session of another user is <see cref="SessionOperationStatus.NothingToDo"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public ValueTask<SessionOperationStatus> RevokeUserSessionAsync(string userId, SessionId id, CancellationToken cancellationToken = default) =>
        RevokeUserSessionAsync(userId, id, RevocationReason.Logout, cancellationToken);

    /// <summary>Revokes one of a user's sessions, only if it belongs to that user, recording why (an operator uses <see cref="RevocationReason.Administrative"/>).</summary>
    /// <param name="userId">The user whose session it must be.</param>
    /// <param name="id">The session to revoke.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened; a session of another user is <see cref="SessionOperationStatus.NothingToDo"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public ValueTask<SessionOperationStatus> RevokeUserSessionAsync(string userId, SessionId id, RevocationReason reason, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        return RevokeByIdCoreAsync(id, userId, reason, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Revokes all of a user's sessions, or all but one ("sign out everywhere else").</summary>
    /// <param name="userId">The user.</param>
    /// <param name="reason">Why.</param>
    /// <param name="except">A session to keep as it is, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions revoked, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public async ValueTask<SessionRevocationResult> RevokeAllAsync(string userId, RevocationReason reason, SessionId? except = null, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        DateTimeOffset now = _time.GetUtcNow();
        UserRevocation revocation = new() { UserId = userId, Reason = reason, Except = except, Rules = Rules, Now = now };
        StoreOutcome<UserRevocationResult> outcome = await CallStoreAsync(revocation, static (store, r, ct) => store.RevokeUserSessionsAsync(r, ct), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return SessionRevocationResult.StoreUnavailable;
        }

        await ReportRevokedAsync(userId, outcome.Value.Revoked, reason, now, cancellationToken).ConfigureAwait(false);
        return new SessionRevocationResult(outcome.Value.Revoked.Count == 0 ? SessionOperationStatus.NothingToDo : SessionOperationStatus.Done, outcome.Value.Revoked);
    }

    /// <summary>
    /// Responds to an account event in one atomic store step: advances the user's security epoch (so online-validated
    /// access tokens die at once), revokes every session and refresh family of the user, and optionally keeps the session
    /// the user acted from, regenerated under a new token and the new epoch.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="trigger">What happened.</param>
    /// <param name="keep">The token of the session to keep, or <see langword="null"/> to revoke all. Ignored unless it opens a live session of this user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was revoked, the new epoch, and the kept session's new token.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long, or <paramref name="keep"/> is given with <see cref="InvalidationTrigger.AccountDisabled"/>.</exception>
    /// <remarks>
    /// Security: the epoch and the revocations succeed or fail together, so a failure never leaves sessions of the old
    /// epoch standing; and a session of an older epoch never validates anyway.
    /// </remarks>
    public async ValueTask<UserInvalidationResult> InvalidateUserAsync(string userId, InvalidationTrigger trigger, string? keep = null, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        if (trigger == InvalidationTrigger.AccountDisabled && keep is not null)
        {
            throw new ArgumentException(Error.KeepWithDisabledAccount, nameof(keep));
        }

        RevocationReason reason = trigger switch
        {
            InvalidationTrigger.PasswordChanged => RevocationReason.PasswordChanged,
            InvalidationTrigger.MfaChanged => RevocationReason.MfaChanged,
            InvalidationTrigger.AccountDisabled => RevocationReason.AccountDisabled,
            _ => RevocationReason.SuspectedBreach,
        };

        DateTimeOffset now = _time.GetUtcNow();

        // Not marked as re-authenticated: the library saw no proof here, and a freshness window must only be opened by
        // the host after it checked a credential (RegenerateAsync with Reauthenticated).
        SessionToken? next = SessionToken.TryParse(keep, out SessionToken? kept) ? SessionToken.Mint(_tokens) : null;
        UserRevocation revocation = new()
        {
            UserId = userId,
            Reason = reason,
            AdvanceEpoch = true,
            Keep = kept is null ? null : (kept.Id, new SessionReplacement { NewId = next!.Id }),
            Rules = Rules,
            Now = now,
        };

        StoreOutcome<UserRevocationResult> outcome = await CallStoreAsync(revocation, static (store, r, ct) => store.RevokeUserSessionsAsync(r, ct), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return new UserInvalidationResult(SessionOperationStatus.StoreUnavailable, [], 0, null);
        }

        UserRevocationResult result = outcome.Value;
        SessionRegenerationResult? keptResult = null;
        if (result.Kept is SessionRegenerateResult regenerated)
        {
            // A kept session that is not this user's or does not open is revoked with the rest, as if none was named.
            keptResult = regenerated.IsSuccess && regenerated.Replacement!.Id == next!.Id
                ? await ReportRegeneratedAsync(regenerated, next, now, cancellationToken).ConfigureAwait(false)
                : null;
        }

        await ReportRevokedAsync(userId, result.Revoked, reason, now, cancellationToken).ConfigureAwait(false);
        return new UserInvalidationResult(SessionOperationStatus.Done, result.Revoked, result.SecurityEpoch, keptResult);
    }

    /// <summary>
    /// Break-glass, for a signing-key or store compromise: revokes every session of every user at once, with every
    /// refresh family and online-validated access token. Sessions created after this call are not affected.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    /// <remarks>
    /// Security: takes effect in one store write; every later validation on every node refuses the older sessions. Access
    /// tokens validated offline stay valid until they expire; rotate the signing key to end those too.
    /// </remarks>
    public async ValueTask<SessionOperationStatus> RevokeEverySessionAsync(CancellationToken cancellationToken = default)
    {
        StoreOutcome<DateTimeOffset> outcome = await CallStoreAsync(_time.GetUtcNow(), static (store, now, ct) => store.RevokeEverySessionAsync(now, ct), cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? SessionOperationStatus.Done : SessionOperationStatus.StoreUnavailable;
    }

    private async ValueTask<SessionOperationStatus> RevokeByIdCoreAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        StoreOutcome<Session?> outcome = await CallStoreAsync(
            (id, userId, reason, now),
            static (store, a, ct) => store.RevokeAsync(a.id, a.userId, a.reason, a.now, ct),
            cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return SessionOperationStatus.StoreUnavailable;
        }

        if (outcome.Value is not Session revoked || revoked.Id != id)
        {
            return SessionOperationStatus.NothingToDo;
        }

        await ReportRevokedAsync(revoked, reason, now, cancellationToken).ConfigureAwait(false);
        return SessionOperationStatus.Done;
    }

    private async ValueTask ReportRevokedAsync(Session session, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(reason));
        await RaiseAsync(new SessionRevoked(session.UserId, session.Id, now, reason), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReportRevokedAsync(string userId, IReadOnlyList<SessionId> revoked, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (SessionId id in revoked)
        {
            SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(reason));
            await RaiseAsync(new SessionRevoked(userId, id, now, reason), cancellationToken).ConfigureAwait(false);
        }
    }
}
