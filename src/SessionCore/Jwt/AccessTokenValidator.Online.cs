using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;

namespace SessionCore.Jwt;

// The online stage: the session named by sid and the user's security epoch, through the store.
public sealed partial class AccessTokenValidator
{
    // The session's own recorded expiries (written with the host's session options) bound it; these widest rules add
    // nothing of their own, so a resource server needs no copy of the session options. No renewal is ever written.
    private static readonly SessionRules s_recordedLifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(400), TimeSpan.Zero, TimeSpan.FromMinutes(5));

    private async ValueTask<AccessTokenValidationResult> ValidateCoreAsync(string? token, CancellationToken cancellationToken)
    {
        AccessTokenValidationResult result = ValidateOffline(token.AsSpan(), allowBound: true);
        if (!result.IsSuccess || _settings.ValidationMode == AccessTokenValidationMode.Offline)
        {
            return result;
        }

        AccessTokenClaims claims = result.Value;
        if (claims.SessionId.IsEmpty || claims.SecurityEpoch is not long epoch)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.MissingClaim);
        }

        SessionCheck check;
        try
        {
            check = await _store!.ValidateAsync(claims.SessionId, s_recordedLifetimes, _time.GetUtcNow(), touch: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.StoreUnavailable);
        }

        AccessTokenValidationStatus status = ClassifySession(check, claims, epoch);
        return status == AccessTokenValidationStatus.Valid ? result : AccessTokenValidationResult.Failure(status);
    }

    private static AccessTokenValidationStatus ClassifySession(SessionCheck check, AccessTokenClaims claims, long epoch)
    {
        Session? session = check.Session;
        if (session is null || session.Id != claims.SessionId)
        {
            return AccessTokenValidationStatus.SessionNotFound;
        }

        if (!string.Equals(session.UserId, claims.Subject, StringComparison.Ordinal) || session.SecurityEpoch != epoch)
        {
            return AccessTokenValidationStatus.EpochMismatch;
        }

        return check.Status switch
        {
            SessionValidationStatus.Valid => AccessTokenValidationStatus.Valid,

            // Revoked, or left behind by the user's epoch or by the revocation of every session.
            SessionValidationStatus.Revoked => AccessTokenValidationStatus.SessionRevoked,
            SessionValidationStatus.NotFound => AccessTokenValidationStatus.SessionNotFound,
            _ => AccessTokenValidationStatus.SessionExpired,
        };
    }
}
