namespace SessionCore.Sessions;

/// <summary>The outcome of a revocation.</summary>
public enum SessionOperationStatus
{
    /// <summary>The operation was carried out.</summary>
    Done = 0,

    /// <summary>There was nothing to do: the token was malformed, unknown or already revoked.</summary>
    NothingToDo = 1,

    /// <summary>The store could not answer; nothing is known to have changed.</summary>
    StoreUnavailable = 2,
}
