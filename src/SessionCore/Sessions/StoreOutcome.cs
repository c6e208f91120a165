namespace SessionCore.Sessions;

/// <summary>A store call's answer, or the fact that the store failed (already counted).</summary>
internal readonly record struct StoreOutcome<T>(bool Succeeded, T Value);
