using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>A session was revoked to make room for a new one under the concurrent-session limit.</summary>
public sealed record SessionEvicted : SessionEvent
{
    internal SessionEvicted(string userId, SessionId sessionId, DateTimeOffset occurredAt, SessionId newSessionId)
        : base(userId, sessionId, occurredAt) => NewSessionId = newSessionId;

    /// <summary>Gets the session whose creation caused the eviction.</summary>
    public SessionId NewSessionId { get; }
}
