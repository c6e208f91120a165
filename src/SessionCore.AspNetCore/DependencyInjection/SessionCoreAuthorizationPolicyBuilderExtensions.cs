using System;
using SessionCore.AspNetCore.Authorization;
using SessionCore.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Freshness and step-up requirements for authorization policies.</summary>
public static class SessionCoreAuthorizationPolicyBuilderExtensions
{
    /// <summary>Requires an authenticated user whose last authentication is younger than <paramref name="maxAge"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="maxAge">The greatest age, at most 30 days.</param>
    /// <param name="minimumAuthenticationLevel">The lowest authentication level too, or <see langword="null"/> for any.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is not positive or above 30 days, or the level is below 1.</exception>
    public static AuthorizationPolicyBuilder RequireFreshSession(this AuthorizationPolicyBuilder builder, TimeSpan maxAge, int? minimumAuthenticationLevel = null)
    {
        Throw.IfNull(builder);
        return builder.RequireAuthenticatedUser().AddRequirements(new SessionFreshnessRequirement(maxAge, minimumAuthenticationLevel));
    }

    /// <summary>Requires an authenticated user at <paramref name="minimumAuthenticationLevel"/> or above (step-up).</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="minimumAuthenticationLevel">The lowest authentication level, at least 1.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumAuthenticationLevel"/> is below 1.</exception>
    public static AuthorizationPolicyBuilder RequireAuthenticationLevel(this AuthorizationPolicyBuilder builder, int minimumAuthenticationLevel)
    {
        Throw.IfNull(builder);
        return builder.RequireAuthenticatedUser().AddRequirements(new SessionFreshnessRequirement(null, minimumAuthenticationLevel));
    }
}
