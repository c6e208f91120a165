using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>
/// A device-bound session's long-lived cookie was presented without what only the bound browser has: a current bound
/// cookie or a proof by the registered key. Cookie-stealing malware replaying a copied cookie looks like this; the
/// request was refused. The host may alert the user or revoke the session.
/// </summary>
/// <remarks>Security: carries identifiers only; never a cookie, a proof, a challenge or a key.</remarks>
[Experimental("SCEXP0001")]
public sealed record BoundSessionReplaySuspected : SessionEvent
{
    internal BoundSessionReplaySuspected(string userId, SessionId sessionId, DateTimeOffset occurredAt, BoundSessionReplayReason reason)
        : base(userId, sessionId, occurredAt)
    {
        Reason = reason;
    }

    /// <summary>Gets what was missing or wrong.</summary>
    public BoundSessionReplayReason Reason { get; }
}
