using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    /// <summary>Lists a user's live sessions as view models for a "where you are signed in" page.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="current">The caller's session, marked <see cref="SessionSummary.IsCurrent"/>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sessions, most recently seen first, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public async ValueTask<SessionSummaryListResult> ListSessionSummariesAsync(string userId, SessionId? current = null, CancellationToken cancellationToken = default)
    {
        SessionListResult listed = await ListSessionsAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!listed.TryGetValue(out IReadOnlyList<Session>? sessions))
        {
            return SessionSummaryListResult.StoreUnavailable;
        }

        SessionSummary[] summaries = new SessionSummary[sessions.Count];
        for (int i = 0; i < summaries.Length; i++)
        {
            Session s = sessions[i];
            summaries[i] = new SessionSummary(
                s.Id,
                string.IsNullOrEmpty(s.Device?.UserAgent) ? UserAgentFamily.Unknown : s.Device.UserAgent,
                s.Device?.Network,
                s.CreatedAt,
                s.LastSeenAt,
                s.AuthenticationLevel,
                current is SessionId c && c == s.Id)
            {
                Location = s.Location,
                SignInRisk = s.SignInRisk,
            };
        }

        return new SessionSummaryListResult(summaries);
    }

    /// <summary>
    /// "Sign out that device": revokes one session of the user who holds <paramref name="currentToken"/>.
    /// The acting user is taken from the token, so nobody can revoke another user's session.
    /// </summary>
    /// <param name="currentToken">The caller's token.</param>
    /// <param name="target">The session to revoke (from <see cref="SessionSummary.Id"/>); may be the caller's own.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="SessionOperationStatus.NothingToDo"/> when the token opens no live session or the target is not the user's.</returns>
    public async ValueTask<SessionOperationStatus> RevokeOwnSessionAsync(string? currentToken, SessionId target, CancellationToken cancellationToken = default)
    {
        (SessionOperationStatus failure, Session? caller) = await CallerAsync(currentToken, cancellationToken).ConfigureAwait(false);
        return caller is null ? failure : await RevokeUserSessionAsync(caller.UserId, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"Sign out everywhere else": revokes every session of the caller's user except the caller's own.</summary>
    /// <param name="currentToken">The caller's token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="SessionOperationStatus.Done"/> when at least one session was revoked.</returns>
    public async ValueTask<SessionOperationStatus> RevokeOtherSessionsAsync(string? currentToken, CancellationToken cancellationToken = default)
    {
        (SessionOperationStatus failure, Session? caller) = await CallerAsync(currentToken, cancellationToken).ConfigureAwait(false);
        if (caller is null)
        {
            return failure;
        }

        SessionRevocationResult revoked = await RevokeAllAsync(caller.UserId, RevocationReason.Logout, caller.Id, cancellationToken).ConfigureAwait(false);
        return revoked.Status;
    }

    private async ValueTask<(SessionOperationStatus Failure, Session? Caller)> CallerAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(token, out SessionToken? parsed))
        {
            return (SessionOperationStatus.NothingToDo, null);
        }

        SessionValidationResult validation = await ValidateCoreAsync(parsed.Id, touch: false, cancellationToken).ConfigureAwait(false);
        if (validation.TryGetValue(out Session? session))
        {
            return (SessionOperationStatus.Done, session);
        }

        return (validation.Status == SessionValidationStatus.StoreUnavailable ? SessionOperationStatus.StoreUnavailable : SessionOperationStatus.NothingToDo, null);
    }
}
