namespace SessionCore.Stores;

/// <summary>What a store did with a regenerate request.</summary>
public enum SessionRegenerateStatus
{
    /// <summary>The replacement was inserted and the old session revoked, in one atomic step.</summary>
    Regenerated = 0,

    /// <summary>No session with the old identifier exists.</summary>
    NotFound = 1,

    /// <summary>The old session is revoked or expired; nothing was inserted.</summary>
    NotLive = 2,

    /// <summary>The old session changed since it was read (version mismatch); nothing was written.</summary>
    Conflict = 3,
}
