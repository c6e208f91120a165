using System;
using SessionCore.Risk;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>
/// The sign-in risk check found reasons that the host maps to <see cref="SignInRiskAction.Notify"/> or stricter: tell
/// the user (for example by e-mail), and for <see cref="SignInRiskAction.Refuse"/> perhaps the security team.
/// </summary>
/// <remarks>
/// <para>
/// When <see cref="Action"/> is <see cref="SignInRiskAction.Refuse"/> no session was created and
/// <see cref="SessionEvent.SessionId"/> names nothing stored (it identifies this sign-in attempt only); otherwise it is
/// the new session's.
/// </para>
/// <para>
/// Security (privacy): carries coarse places only (city, country, rounded coordinates, AS number; see
/// <see cref="CoarseLocation"/>), never the client address, the device-id cookie or a token.
/// </para>
/// </remarks>
public sealed record UnusualSignIn : SessionEvent
{
    internal UnusualSignIn(string userId, SessionId sessionId, DateTimeOffset occurredAt, SignInRiskAssessment assessment, string userAgentFamily)
        : base(userId, sessionId, occurredAt)
    {
        Reasons = assessment.Reasons;
        Action = assessment.Action;
        Location = assessment.Location;
        ImpossibleTravel = assessment.ImpossibleTravel;
        UserAgentFamily = userAgentFamily;
    }

    /// <summary>Gets the reasons found.</summary>
    public SignInRiskReason Reasons { get; }

    /// <summary>Gets the action the host mapped them to (the strictest of the reasons' actions).</summary>
    public SignInRiskAction Action { get; }

    /// <summary>Gets a value indicating whether the sign-in was refused (no session exists).</summary>
    public bool IsRefused => Action == SignInRiskAction.Refuse;

    /// <summary>Gets the coarse place of the sign-in, or <see langword="null"/> when unknown.</summary>
    public CoarseLocation? Location { get; }

    /// <summary>Gets the journey that could not have been made, when <see cref="Reasons"/> has <see cref="SignInRiskReason.ImpossibleTravel"/>.</summary>
    public TravelEvidence? ImpossibleTravel { get; }

    /// <summary>Gets the user-agent family of the signing-in device, for example <c>"Firefox on Linux"</c>.</summary>
    public string UserAgentFamily { get; }
}
