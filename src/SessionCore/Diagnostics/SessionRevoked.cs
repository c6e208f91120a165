using System;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>A session was revoked.</summary>
public sealed record SessionRevoked : SessionEvent
{
    internal SessionRevoked(string userId, SessionId sessionId, DateTimeOffset occurredAt, RevocationReason reason)
        : base(userId, sessionId, occurredAt) => Reason = reason;

    /// <summary>Gets why.</summary>
    public RevocationReason Reason { get; }
}
