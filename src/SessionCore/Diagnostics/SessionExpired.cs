using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>An expired session was presented and refused.</summary>
public sealed record SessionExpired : SessionEvent
{
    internal SessionExpired(string userId, SessionId sessionId, DateTimeOffset occurredAt, bool absolute)
        : base(userId, sessionId, occurredAt) => IsAbsolute = absolute;

    /// <summary>Gets a value indicating whether the absolute lifetime (rather than the idle timeout) ended it.</summary>
    public bool IsAbsolute { get; }
}
