namespace SessionCore.Sessions;

/// <summary>The outcome of regenerating a session.</summary>
public enum SessionRegenerationStatus
{
    /// <summary>A new session replaced the old one, which is revoked.</summary>
    Regenerated = 0,

    /// <summary>The presented token does not open a live session; see <see cref="SessionRegenerationResult.Validation"/>.</summary>
    NotValid = 1,

    /// <summary>The store could not answer; nothing was replaced.</summary>
    StoreUnavailable = 2,
}
