using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    private const int RegenerateAttempts = 3;

    /// <summary>
    /// Replaces the session a client holds with a new one under a new token, after sign-in or on any
    /// privilege change (step-up to multi-factor, user to admin, re-authentication).
    /// </summary>
    /// <param name="token">The token the client presented.</param>
    /// <param name="change">What changes, or <see langword="null"/> for a plain rotation of the identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token, or why the session was not replaced.</returns>
    /// <exception cref="ArgumentException">The replacement data bag is too large.</exception>
    /// <remarks>
    /// Security (fixation): the new session is created and the old one revoked, with its refresh
    /// families, in one atomic store step, so there is no moment at which both work. The absolute
    /// expiry carries over: regeneration never lengthens a session's life.
    /// </remarks>
    public ValueTask<SessionRegenerationResult> RegenerateAsync(string? token, SessionChange? change = null, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryParse(token, out SessionToken? parsed))
        {
            return ValueTask.FromResult(SessionRegenerationResult.NotValid(SessionValidationStatus.Malformed));
        }

        return RegenerateAsync(parsed, change, cancellationToken);
    }

    /// <summary>Replaces the session a client holds with a new one under a new token.</summary>
    /// <param name="token">The parsed token the client presented.</param>
    /// <param name="change">What changes, or <see langword="null"/> for a plain rotation of the identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token, or why the session was not replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The replacement data bag is too large.</exception>
    public async ValueTask<SessionRegenerationResult> RegenerateAsync(SessionToken token, SessionChange? change = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(token);
        IReadOnlyDictionary<string, string>? data = change?.Data is null ? null : CheckData(change.Data);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.Regenerate");
        for (int attempt = 0; attempt < RegenerateAttempts; attempt++)
        {
            SessionValidationResult validation = await ValidateCoreAsync(token.Id, touch: false, cancellationToken).ConfigureAwait(false);
            if (!validation.TryGetValue(out Session? current))
            {
                activity?.SetTag("sessioncore.outcome", validation.Status.ToString());
                return SessionRegenerationResult.NotValid(validation.Status);
            }

            DateTimeOffset now = _time.GetUtcNow();
            SessionToken next = SessionToken.Mint(_tokens);
            Session replacement = current with
            {
                Id = next.Id,
                LastSeenAt = now,
                IdleExpiresAt = Min(now + _settings.IdleTimeout, current.AbsoluteExpiresAt),
                AuthenticatedAt = change?.Reauthenticated == true ? now : current.AuthenticatedAt,
                AuthenticationLevel = change?.AuthenticationLevel ?? current.AuthenticationLevel,
                SecurityEpoch = change?.SecurityEpoch ?? current.SecurityEpoch,
                Data = data ?? current.Data,
                Version = 0,
                RevokedAt = null,
                RevocationReason = null,
            };

            SessionRegenerateStatus status;
            try
            {
                status = await _store.RegenerateAsync(current.Id, current.Version, replacement, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                SessionCoreTelemetry.StoreFailures.Add(1);
                activity?.SetTag("sessioncore.outcome", nameof(SessionRegenerationStatus.StoreUnavailable));
                return SessionRegenerationResult.Failure(SessionRegenerationStatus.StoreUnavailable);
            }

            switch (status)
            {
                case SessionRegenerateStatus.Regenerated:
                    SessionCoreTelemetry.SessionsRegenerated.Add(1);
                    activity?.SetTag("sessioncore.outcome", nameof(SessionRegenerationStatus.Regenerated));
                    await RaiseAsync(new SessionRegenerated(replacement.UserId, replacement.Id, now, current.Id, replacement.AuthenticationLevel), cancellationToken).ConfigureAwait(false);
                    return SessionRegenerationResult.Success(next, replacement, current.Id);
                case SessionRegenerateStatus.Conflict:
                    // A concurrent renewal bumped the version; read again and retry with the fresh record.
                    continue;
                case SessionRegenerateStatus.NotFound:
                    activity?.SetTag("sessioncore.outcome", nameof(SessionValidationStatus.NotFound));
                    return SessionRegenerationResult.NotValid(SessionValidationStatus.NotFound);
                default:
                    activity?.SetTag("sessioncore.outcome", nameof(SessionValidationStatus.Revoked));
                    return SessionRegenerationResult.NotValid(SessionValidationStatus.Revoked);
            }
        }

        activity?.SetTag("sessioncore.outcome", nameof(SessionRegenerationStatus.Conflict));
        return SessionRegenerationResult.Failure(SessionRegenerationStatus.Conflict);
    }
}
