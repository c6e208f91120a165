using System;
using SessionCore.Risk;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>One line of a "where you are signed in" page.</summary>
/// <param name="Id">The session identifier, to pass to <see cref="SessionManager.RevokeOwnSessionAsync"/>.</param>
/// <param name="Device">A readable device summary, for example <c>"Firefox on Linux"</c>, or <c>"Unknown"</c>.</param>
/// <param name="Network">The coarse network, or <see langword="null"/>.</param>
/// <param name="CreatedAt">When the user signed in (regeneration keeps it).</param>
/// <param name="LastSeenAt">When it was last seen.</param>
/// <param name="AuthenticationLevel">Its authentication level.</param>
/// <param name="IsCurrent">Whether it is the session of the caller.</param>
public sealed record SessionSummary(
    SessionId Id,
    string Device,
    string? Network,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    int AuthenticationLevel,
    bool IsCurrent)
{
    /// <summary>Gets the coarse place the session signed in from (city and country as far as known), or <see langword="null"/>.</summary>
    public CoarseLocation? Location { get; init; }

    /// <summary>Gets the reasons the sign-in risk check found when the session signed in (see <see cref="Session.SignInRisk"/>).</summary>
    public SignInRiskReason SignInRisk { get; init; }
}
