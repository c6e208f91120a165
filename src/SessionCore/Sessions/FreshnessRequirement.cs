using System;
using SessionCore.Internal;

namespace SessionCore.Sessions;

/// <summary>
/// What a sensitive operation demands of a session ("sudo mode"): authentication younger than
/// <see cref="MaxAge"/>, and optionally at least <see cref="MinimumAuthenticationLevel"/>.
/// </summary>
/// <threadsafety>Immutable; create one per operation kind and share it.</threadsafety>
public sealed class FreshnessRequirement
{
    /// <summary>The longest accepted <see cref="MaxAge"/>.</summary>
    public static readonly TimeSpan MaxAgeLimit = TimeSpan.FromDays(30);

    /// <summary>Initializes a new instance of the <see cref="FreshnessRequirement"/> class.</summary>
    /// <param name="maxAge">How long ago the user may at most have proved who they are; greater than zero and at most 30 days.</param>
    /// <param name="minimumAuthenticationLevel">The lowest acceptable authentication level, or <see langword="null"/> for any.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is out of range, or <paramref name="minimumAuthenticationLevel"/> is negative.</exception>
    public FreshnessRequirement(TimeSpan maxAge, int? minimumAuthenticationLevel = null)
    {
        if (maxAge <= TimeSpan.Zero || maxAge > MaxAgeLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), Error.FreshnessMaxAgeOutOfRange);
        }

        if (minimumAuthenticationLevel < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumAuthenticationLevel), Error.FreshnessLevelNegative);
        }

        MaxAge = maxAge;
        MinimumAuthenticationLevel = minimumAuthenticationLevel;
    }

    /// <summary>Gets how long ago the user may at most have proved who they are.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Gets the lowest acceptable authentication level, or <see langword="null"/> for any.</summary>
    public int? MinimumAuthenticationLevel { get; }
}
