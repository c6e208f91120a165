using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>
/// Something security-relevant that happened to a session. The set of events is closed; hosts react
/// to them through <see cref="ISessionEventSink"/> (alert, audit, notify).
/// </summary>
/// <remarks>Security: events carry identifiers (hashes) and metadata, never tokens or secrets.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public abstract record SessionEvent
{
    private protected SessionEvent(string userId, SessionId sessionId, DateTimeOffset occurredAt)
    {
        UserId = userId;
        SessionId = sessionId;
        OccurredAt = occurredAt;
    }

    /// <summary>Gets the user concerned.</summary>
    public string UserId { get; }

    /// <summary>Gets the session concerned.</summary>
    public SessionId SessionId { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset OccurredAt { get; }
}
