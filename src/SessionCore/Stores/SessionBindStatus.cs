namespace SessionCore.Stores;

/// <summary>The outcome of <see cref="ISessionStore.BindKeyAsync"/>.</summary>
public enum SessionBindStatus
{
    /// <summary>The session is now bound to the key.</summary>
    Bound = 0,

    /// <summary>The session was bound to the same key already; nothing changed.</summary>
    AlreadyBound = 1,

    /// <summary>The session is bound to another key; nothing changed (a binding is never replaced).</summary>
    BoundToOtherKey = 2,

    /// <summary>The session does not open; nothing changed (see the session status).</summary>
    NotValid = 3,
}
