using System;
using System.Globalization;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using SessionCore.AspNetCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore.Authorization;

/// <summary>
/// Decides <see cref="SessionFreshnessRequirement"/>: for a request authenticated by the session cookie, through
/// <see cref="SessionManager.CheckFreshness(Session, FreshnessRequirement)"/>; otherwise from the principal's
/// <c>auth_time</c> and <c>sc_level</c> claims (an access token). A principal without them fails.
/// </summary>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public sealed class SessionFreshnessAuthorizationHandler : AuthorizationHandler<SessionFreshnessRequirement>
{
    private readonly SessionManager _sessions;

    /// <summary>Initializes a new instance of the <see cref="SessionFreshnessAuthorizationHandler"/> class.</summary>
    /// <param name="sessions">The session manager (its clock and rules).</param>
    /// <exception cref="ArgumentNullException"><paramref name="sessions"/> is <see langword="null"/>.</exception>
    public SessionFreshnessAuthorizationHandler(SessionManager sessions) => _sessions = Throw.IfNull(sessions);

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionFreshnessRequirement requirement)
    {
        Throw.IfNull(context);
        Throw.IfNull(requirement);
        string? sid = context.User.FindFirst(SessionCoreClaimTypes.SessionId)?.Value;
        Session? session = (context.Resource as HttpContext)?.Features.Get<SessionCoreFeature>()?.Session;
        bool fresh = session is not null && sid is not null && string.Equals(session.Id.ToString(), sid, StringComparison.Ordinal)
            ? IsFresh(session, requirement)
            : IsFresh(context.User, requirement);
        if (fresh)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, requirement.MinimumAuthenticationLevel is null ? "Reauthentication required." : "Reauthentication or step-up required."));
        }

        return Task.CompletedTask;
    }

    private bool IsFresh(Session session, SessionFreshnessRequirement requirement) =>
        requirement.Freshness is { } freshness
            ? _sessions.CheckFreshness(session, freshness).IsFresh
            : session.AuthenticationLevel >= (requirement.MinimumAuthenticationLevel ?? 1);

    private bool IsFresh(ClaimsPrincipal user, SessionFreshnessRequirement requirement)
    {
        if (requirement.MinimumAuthenticationLevel is { } minimum
            && !(int.TryParse(user.FindFirst(SessionCoreClaimTypes.AuthenticationLevel)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int level) && level >= minimum))
        {
            return false;
        }

        if (requirement.MaxAge is not { } maxAge)
        {
            return user.Identity?.IsAuthenticated == true;
        }

        if (!long.TryParse(user.FindFirst(SessionCoreClaimTypes.AuthenticationTime)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        TimeSpan age = _sessions.TimeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age < maxAge;
    }
}
