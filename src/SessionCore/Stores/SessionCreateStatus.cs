namespace SessionCore.Stores;

/// <summary>The outcome of <see cref="ISessionStore.CreateAsync"/>.</summary>
public enum SessionCreateStatus
{
    /// <summary>The session was inserted (and sessions evicted where the limit asked for it).</summary>
    Created = 0,

    /// <summary>The user is at the limit in <see cref="SessionLimitMode.RejectNew"/> mode; nothing was written.</summary>
    LimitReached = 1,

    /// <summary>The user's security epoch is not the expected one; nothing was written.</summary>
    EpochMoved = 2,
}
