using SessionCore.Internal;

namespace SessionCore.Stores;

/// <summary>The concurrent-session limit a store enforces atomically with a create.</summary>
/// <threadsafety>Immutable.</threadsafety>
public readonly record struct SessionLimit
{
    /// <summary>Initializes a new instance of the <see cref="SessionLimit"/> struct.</summary>
    /// <param name="maxSessions">The most live sessions a user may have (1 to 1000).</param>
    /// <param name="mode">What to do when a create would exceed the limit.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="maxSessions"/> is out of range.</exception>
    public SessionLimit(int maxSessions, SessionLimitMode mode)
    {
        MaxSessions = Throw.IfOutOfRange(maxSessions, 1, 1000);
        Mode = mode;
    }

    /// <summary>Gets no limit.</summary>
    public static SessionLimit None => default;

    /// <summary>Gets the most live sessions a user may have, or 0 for no limit.</summary>
    public int MaxSessions { get; }

    /// <summary>Gets what to do when a create would exceed the limit.</summary>
    public SessionLimitMode Mode { get; }

    /// <summary>Gets a value indicating whether a limit applies.</summary>
    public bool IsLimited => MaxSessions > 0;
}
