using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>A user signed in and a session was created.</summary>
public sealed record SessionCreated : SessionEvent
{
    internal SessionCreated(string userId, SessionId sessionId, DateTimeOffset occurredAt, int authenticationLevel)
        : base(userId, sessionId, occurredAt) => AuthenticationLevel = authenticationLevel;

    /// <summary>Gets the authentication level of the new session.</summary>
    public int AuthenticationLevel { get; }
}
