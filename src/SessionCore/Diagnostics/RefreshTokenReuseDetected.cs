using System;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>
/// A refresh token was presented after it had been spent (outside the grace window) or after its family
/// was revoked. The family and its session have been revoked; the host may alert the user.
/// </summary>
/// <remarks>Security: carries identifiers only; never the presented token or any token hash.</remarks>
public sealed record RefreshTokenReuseDetected : SessionEvent
{
    internal RefreshTokenReuseDetected(string userId, SessionId sessionId, DateTimeOffset occurredAt, RefreshFamilyId familyId, bool familyWasRevoked)
        : base(userId, sessionId, occurredAt)
    {
        FamilyId = familyId;
        FamilyWasRevoked = familyWasRevoked;
    }

    /// <summary>Gets the identifier of the refresh family (random, not secret).</summary>
    public RefreshFamilyId FamilyId { get; }

    /// <summary>
    /// Gets a value indicating whether the family had already been revoked (for example by sign-out)
    /// when the token was presented, rather than the token being a spent one of a live family.
    /// </summary>
    public bool FamilyWasRevoked { get; }
}
