namespace SessionCore.Stores;

/// <summary>What happens when a new session would exceed a user's concurrent-session limit.</summary>
public enum SessionLimitMode
{
    /// <summary>Revoke the least recently seen live sessions to make room (raises an eviction event).</summary>
    EvictOldest = 0,

    /// <summary>Refuse the new session with a typed failure.</summary>
    RejectNew = 1,
}
