using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
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
    public async ValueTask<SessionOperationStatus> RevokeAsync(SessionId id, RevocationReason reason = RevocationReason.Administrative, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RevokeByIdCoreAsync(id, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                ? SessionOperationStatus.Done
                : SessionOperationStatus.NothingToDo;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return SessionOperationStatus.StoreUnavailable;
        }
    }

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
    public async ValueTask<SessionOperationStatus> RevokeUserSessionAsync(string userId, SessionId id, RevocationReason reason, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        try
        {
            Session? session = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (session is null || session.Id != id || !string.Equals(session.UserId, userId, StringComparison.Ordinal))
            {
                return SessionOperationStatus.NothingToDo;
            }

            return await RevokeByIdCoreAsync(id, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                ? SessionOperationStatus.Done
                : SessionOperationStatus.NothingToDo;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return SessionOperationStatus.StoreUnavailable;
        }
    }

    /// <summary>Revokes all of a user's sessions, or all but one ("sign out everywhere else").</summary>
    /// <param name="userId">The user.</param>
    /// <param name="reason">Why.</param>
    /// <param name="except">A session to keep, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions revoked, or <see langword="null"/> when the store could not answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public async ValueTask<IReadOnlyList<SessionId>?> RevokeAllAsync(string userId, RevocationReason reason, SessionId? except = null, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        try
        {
            return await RevokeAllCoreAsync(userId, reason, except, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return null;
        }
    }

    /// <summary>
    /// Responds to an account event: bumps the user's security epoch (so online-validated access tokens
    /// die at once), revokes every session and refresh family of the user, and optionally keeps the
    /// session the user acted from, regenerated under a new token and the new epoch.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="trigger">What happened.</param>
    /// <param name="keep">The token of the session to keep, or <see langword="null"/> to revoke all. Ignored unless it opens a live session of this user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was revoked, the new epoch, and the kept session's new token.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long, or <paramref name="keep"/> is given with <see cref="InvalidationTrigger.AccountDisabled"/>.</exception>
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

        SessionToken? keptToken = null;
        if (SessionToken.TryParse(keep, out SessionToken? parsed))
        {
            SessionValidationResult validation = await ValidateCoreAsync(parsed.Id, touch: false, cancellationToken).ConfigureAwait(false);
            if (validation.TryGetValue(out Session? current) && string.Equals(current.UserId, userId, StringComparison.Ordinal))
            {
                keptToken = parsed;
            }
        }

        long epoch;
        IReadOnlyList<SessionId> revoked;
        try
        {
            epoch = await _store.IncrementSecurityEpochAsync(userId, cancellationToken).ConfigureAwait(false);
            revoked = await RevokeAllCoreAsync(userId, reason, keptToken?.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return new UserInvalidationResult(SessionOperationStatus.StoreUnavailable, [], 0, null);
        }

        SessionRegenerationResult? kept = null;
        if (keptToken is not null)
        {
            // Not marked as re-authenticated: the library saw no proof here, and a freshness window must
            // only be opened by the host after it checked a credential (RegenerateAsync with Reauthenticated).
            kept = await RegenerateAsync(keptToken, new SessionChange { SecurityEpoch = epoch }, cancellationToken).ConfigureAwait(false);

            // Between the revocation above and that step the kept session was the user's only live one, and
            // another request holding its token could have regenerated it into a replacement on the old epoch
            // (our own step then fails). Sweep once more, sparing only our replacement: nothing on the old
            // epoch survives, including the kept session itself when it could not be moved.
            try
            {
                IReadOnlyList<SessionId> late = await RevokeAllCoreAsync(userId, reason, kept.IsSuccess ? kept.Session!.Id : null, cancellationToken).ConfigureAwait(false);
                if (late.Count > 0)
                {
                    revoked = [.. revoked, .. late];
                }
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                SessionCoreTelemetry.StoreFailures.Add(1);
                return new UserInvalidationResult(SessionOperationStatus.StoreUnavailable, revoked, epoch, kept);
            }
        }

        SessionOperationStatus status = kept is { IsSuccess: false, Status: SessionRegenerationStatus.StoreUnavailable }
            ? SessionOperationStatus.StoreUnavailable
            : SessionOperationStatus.Done;
        return new UserInvalidationResult(status, revoked, epoch, kept);
    }

    private async ValueTask<IReadOnlyList<SessionId>> RevokeAllCoreAsync(string userId, RevocationReason reason, SessionId? except, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        IReadOnlyList<SessionId> revoked = await _store.RevokeUserSessionsAsync(userId, except, reason, now, cancellationToken).ConfigureAwait(false);
        foreach (SessionId id in revoked)
        {
            SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(reason));
            await RaiseAsync(new SessionRevoked(userId, id, now, reason), cancellationToken).ConfigureAwait(false);
        }

        return revoked;
    }

    private async ValueTask<bool> RevokeByIdCoreAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Session? session = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (session is null || !await _store.RevokeAsync(id, reason, now, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(reason));
        await RaiseAsync(new SessionRevoked(session.UserId, id, now, reason), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
