using System;
using Microsoft.AspNetCore.Authorization;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore.Authorization;

/// <summary>
/// An authorization requirement: the user authenticated recently enough, and at a high enough level, for a
/// sensitive operation. Build it with <c>RequireFreshSession</c> or <c>RequireAuthenticationLevel</c> on an
/// <see cref="AuthorizationPolicyBuilder"/>.
/// </summary>
/// <remarks>
/// Security: a failed requirement answers 403. The host then asks the user to authenticate again (or step up) and
/// regenerates the session with <c>HttpContext.RegenerateSessionAsync</c> and <see cref="SessionChange.Reauthenticated"/>,
/// which changes the token; only that resets the authentication time.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionFreshnessRequirement : IAuthorizationRequirement
{
    /// <summary>Initializes a new instance of the <see cref="SessionFreshnessRequirement"/> class.</summary>
    /// <param name="maxAge">The greatest age of the last authentication, or <see langword="null"/> for any age.</param>
    /// <param name="minimumAuthenticationLevel">The lowest authentication level, or <see langword="null"/> for any.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is not positive or above <see cref="FreshnessRequirement.MaxAgeLimit"/>, or the level is below 1.</exception>
    public SessionFreshnessRequirement(TimeSpan? maxAge, int? minimumAuthenticationLevel)
    {
        if (maxAge is { } age)
        {
            Freshness = new FreshnessRequirement(age, minimumAuthenticationLevel);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(minimumAuthenticationLevel ?? 1, 1, nameof(minimumAuthenticationLevel));
        MaxAge = maxAge;
        MinimumAuthenticationLevel = minimumAuthenticationLevel;
    }

    /// <summary>Gets the greatest age of the last authentication, or <see langword="null"/> for any age.</summary>
    public TimeSpan? MaxAge { get; }

    /// <summary>Gets the lowest authentication level, or <see langword="null"/> for any.</summary>
    public int? MinimumAuthenticationLevel { get; }

    internal FreshnessRequirement? Freshness { get; }

    /// <summary>Describes the requirement.</summary>
    /// <returns>The maximum age and minimum level.</returns>
    public override string ToString() => $"{nameof(SessionFreshnessRequirement)} maxAge={MaxAge?.ToString() ?? "any"} level>={MinimumAuthenticationLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"}";
}
