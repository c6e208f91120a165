using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;

namespace SessionCore.Jwt;

// The online stage: the session named by sid and the user's security epoch, through the store.
public sealed partial class AccessTokenValidator
{
    private async ValueTask<AccessTokenValidationResult> ValidateCoreAsync(string? token, CancellationToken cancellationToken)
    {
        AccessTokenValidationResult result = ValidateOffline(token.AsSpan());
        if (!result.IsSuccess || _settings.ValidationMode == AccessTokenValidationMode.Offline)
        {
            return result;
        }

        AccessTokenClaims claims = result.Value;
        if (claims.SessionId.IsEmpty || claims.SecurityEpoch is not long epoch)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.MissingClaim);
        }

        Session? session;
        long? userEpoch = null;
        try
        {
            session = await _store!.FindAsync(claims.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is not null && _settings.CheckUserSecurityEpoch && session.IsLiveAt(_time.GetUtcNow()))
            {
                userEpoch = await _store.GetSecurityEpochAsync(session.UserId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.StoreUnavailable);
        }

        AccessTokenValidationStatus status = ClassifySession(session, claims, epoch, userEpoch, _time.GetUtcNow());
        return status == AccessTokenValidationStatus.Valid ? result : AccessTokenValidationResult.Failure(status);
    }

    private static AccessTokenValidationStatus ClassifySession(Session? session, AccessTokenClaims claims, long epoch, long? userEpoch, DateTimeOffset now)
    {
        if (session is null || session.Id != claims.SessionId)
        {
            return AccessTokenValidationStatus.SessionNotFound;
        }

        if (session.IsRevoked)
        {
            return AccessTokenValidationStatus.SessionRevoked;
        }

        if (!session.IsLiveAt(now))
        {
            return AccessTokenValidationStatus.SessionExpired;
        }

        if (!string.Equals(session.UserId, claims.Subject, StringComparison.Ordinal) || session.SecurityEpoch != epoch || (userEpoch is long current && current != epoch))
        {
            return AccessTokenValidationStatus.EpochMismatch;
        }

        return AccessTokenValidationStatus.Valid;
    }
}
