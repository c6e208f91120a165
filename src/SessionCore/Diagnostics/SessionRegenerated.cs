using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>A session was replaced by a new one (the event's <see cref="SessionEvent.SessionId"/>) and the old one revoked.</summary>
public sealed record SessionRegenerated : SessionEvent
{
    internal SessionRegenerated(string userId, SessionId sessionId, DateTimeOffset occurredAt, SessionId previousSessionId, int authenticationLevel)
        : base(userId, sessionId, occurredAt)
    {
        PreviousSessionId = previousSessionId;
        AuthenticationLevel = authenticationLevel;
    }

    /// <summary>Gets the replaced session.</summary>
    public SessionId PreviousSessionId { get; }

    /// <summary>Gets the authentication level of the new session.</summary>
    public int AuthenticationLevel { get; }
}
