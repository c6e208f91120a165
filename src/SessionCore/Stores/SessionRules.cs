using System;
using SessionCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>
/// The lifetimes and tolerances a store applies when an operation must decide, in the same atomic step as its
/// write, whether a session still opens (<see cref="Session.Classify"/>) and whether its idle expiry slides
/// (<see cref="Session.Touch"/>). The session manager passes its own configuration with every such call.
/// </summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionRules
{
    /// <summary>Initializes a new instance of the <see cref="SessionRules"/> class.</summary>
    /// <param name="idleTimeout">How long a session lives without use (1 minute to 30 days).</param>
    /// <param name="absoluteLifetime">How long a session lives at most (1 minute to 400 days, not shorter than <paramref name="idleTimeout"/>).</param>
    /// <param name="renewalInterval">The least time between two sliding renewals (0 to 1 hour, shorter than <paramref name="idleTimeout"/>).</param>
    /// <param name="clockSkewTolerance">How far ahead a recorded time may lie (0 to 5 minutes).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">The values contradict each other.</exception>
    public SessionRules(TimeSpan idleTimeout, TimeSpan absoluteLifetime, TimeSpan renewalInterval, TimeSpan clockSkewTolerance)
    {
        IdleTimeout = Throw.IfOutOfRange(idleTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        AbsoluteLifetime = Throw.IfOutOfRange(absoluteLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(400));
        RenewalInterval = Throw.IfOutOfRange(renewalInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
        ClockSkewTolerance = Throw.IfOutOfRange(clockSkewTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (idleTimeout > absoluteLifetime)
        {
            throw new ArgumentException(Error.IdleLongerThanAbsolute, nameof(idleTimeout));
        }

        if (renewalInterval >= idleTimeout)
        {
            throw new ArgumentException(Error.RenewalNotShorterThanIdle, nameof(renewalInterval));
        }
    }

    /// <summary>Gets how long a session lives without use.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Gets how long a session lives at most.</summary>
    public TimeSpan AbsoluteLifetime { get; }

    /// <summary>Gets the least time between two sliding renewals.</summary>
    public TimeSpan RenewalInterval { get; }

    /// <summary>Gets how far ahead of the current time a recorded time may lie before the record is distrusted.</summary>
    public TimeSpan ClockSkewTolerance { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"idle {IdleTimeout}, absolute {AbsoluteLifetime}, renewal {RenewalInterval}, skew {ClockSkewTolerance}";
}
