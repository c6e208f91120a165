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
        IReadOnlyList<string>? methods = CheckMethods(change?.AuthenticationMethods);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.Regenerate");
        DateTimeOffset now = _time.GetUtcNow();
        SessionToken next = SessionToken.Mint(_tokens);
        SessionRegeneration regeneration = new()
        {
            CurrentId = token.Id,
            Replacement = new SessionReplacement
            {
                NewId = next.Id,
                Reauthenticated = change?.Reauthenticated == true,
                AuthenticationLevel = change?.AuthenticationLevel,
                AuthenticationMethods = methods,
                Data = data,
            },
            Rules = Rules,
            Now = now,
        };

        StoreOutcome<SessionRegenerateResult> outcome = await CallStoreAsync(regeneration, static (store, g, ct) => store.RegenerateAsync(g, ct), cancellationToken).ConfigureAwait(false);
        SessionRegenerationResult result;
        if (!outcome.Succeeded)
        {
            result = SessionRegenerationResult.Failure(SessionRegenerationStatus.StoreUnavailable);
        }
        else if (outcome.Value.IsSuccess && outcome.Value.Replacement!.Id == next.Id && outcome.Value.Previous?.Id == token.Id)
        {
            result = await ReportRegeneratedAsync(outcome.Value, next, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            SessionValidationResult judged = await JudgedAsync(
                outcome.Value.Status == SessionValidationStatus.Valid ? SessionValidationStatus.StoreUnavailable : outcome.Value.Status,
                outcome.Value.Previous,
                token.Id,
                now,
                cancellationToken).ConfigureAwait(false);
            result = SessionRegenerationResult.NotValid(judged.Status);
        }

        activity?.SetTag("sessioncore.outcome", result.ToString());
        return result;
    }

    private async ValueTask<SessionRegenerationResult> ReportRegeneratedAsync(SessionRegenerateResult regenerated, SessionToken next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Session replacement = regenerated.Replacement!;
        SessionCoreTelemetry.SessionsRegenerated.Add(1);
        await RaiseAsync(new SessionRegenerated(replacement.UserId, replacement.Id, now, regenerated.Previous!.Id, replacement.AuthenticationLevel), cancellationToken).ConfigureAwait(false);
        return SessionRegenerationResult.Success(next, replacement, regenerated.Previous.Id);
    }
}
