using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    /// <summary>
    /// Validates a presented token and checks that its authentication is recent enough (and strong
    /// enough) for a sensitive operation such as changing the password or e-mail address.
    /// </summary>
    /// <param name="token">The presented token; junk yields <see cref="FreshnessStatus.NotAuthenticated"/>.</param>
    /// <param name="requirement">What the operation demands.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Fresh, or what the host must ask of the user.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requirement"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Security: after the user re-authenticates, regenerate the session with
    /// <see cref="SessionChange.Reauthenticated"/> (and the new <see cref="SessionChange.AuthenticationLevel"/>),
    /// which also changes the token. Only that resets the authentication time.
    /// </remarks>
    public async ValueTask<FreshnessResult> CheckFreshnessAsync(string? token, FreshnessRequirement requirement, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(requirement);
        if (!SessionToken.TryParse(token, out SessionToken? parsed))
        {
            return NotAuthenticated(SessionValidationStatus.Malformed, requirement);
        }

        SessionValidationResult validation = await ValidateCoreAsync(parsed.Id, touch: true, cancellationToken).ConfigureAwait(false);
        return validation.TryGetValue(out Session? session)
            ? Evaluate(session, requirement, _time.GetUtcNow())
            : NotAuthenticated(validation.Status, requirement);
    }

    /// <summary>Checks the freshness of a session the host has just validated.</summary>
    /// <param name="session">The session, from <see cref="ValidateAsync(string?, CancellationToken)"/>.</param>
    /// <param name="requirement">What the operation demands.</param>
    /// <returns>Fresh, or what the host must ask of the user.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>Security: a revoked or expired session is answered with <see cref="FreshnessStatus.NotAuthenticated"/>.</remarks>
    public FreshnessResult CheckFreshness(Session session, FreshnessRequirement requirement)
    {
        Throw.IfNull(session);
        Throw.IfNull(requirement);
        DateTimeOffset now = _time.GetUtcNow();

        // The session was read earlier in the request, so the user's current epoch is not at hand here: the record is
        // judged on its own epoch (CheckFreshnessAsync judges it against the store).
        SessionValidationStatus status = session.Classify(Rules, session.SecurityEpoch, null, now);
        return status == SessionValidationStatus.Valid ? Evaluate(session, requirement, now) : NotAuthenticated(status, requirement);
    }

    private static FreshnessResult Evaluate(Session session, FreshnessRequirement requirement, DateTimeOffset now)
    {
        TimeSpan age = now - session.AuthenticatedAt;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        // A level that is too low wins: authenticating again at the higher level also resets the age.
        FreshnessStatus status = session.AuthenticationLevel < requirement.MinimumAuthenticationLevel
            ? FreshnessStatus.StepUpRequired
            : age < requirement.MaxAge ? FreshnessStatus.Fresh : FreshnessStatus.ReauthenticationRequired;
        return new FreshnessResult(status, SessionValidationStatus.Valid, session, age, requirement.MinimumAuthenticationLevel);
    }

    private static FreshnessResult NotAuthenticated(SessionValidationStatus validation, FreshnessRequirement requirement) =>
        new(FreshnessStatus.NotAuthenticated, validation, null, TimeSpan.Zero, requirement.MinimumAuthenticationLevel);
}
