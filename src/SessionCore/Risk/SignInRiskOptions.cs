using System.Collections.Generic;

namespace SessionCore.Risk;

/// <summary>
/// Settings of <see cref="SignInRiskEvaluator"/>. Every value has a documented default and bounds; they are validated
/// once, when the evaluator is created, and copied, so later changes do nothing.
/// </summary>
/// <threadsafety>Not thread-safe; configure before creating the evaluator.</threadsafety>
public sealed class SignInRiskOptions
{
    /// <summary>The lowest accepted <see cref="MaxTravelSpeedKmh"/>.</summary>
    public const double MinTravelSpeedKmh = 100;

    /// <summary>The highest accepted <see cref="MaxTravelSpeedKmh"/>.</summary>
    public const double MaxTravelSpeedLimitKmh = 10_000;

    /// <summary>The highest accepted <see cref="UnknownAccuracyRadiusKm"/>.</summary>
    public const int MaxUnknownAccuracyRadiusKm = 1_000;

    /// <summary>Gets or sets the fastest plausible journey between two sign-ins, in kilometres per hour.</summary>
    /// <value>1,000 km/h (a little above an airliner's cruising speed); between 100 and 10,000.</value>
    /// <remarks>
    /// Security: lower values catch more, and flag more honest travellers (a train is 300 km/h). Distances are
    /// measured between accuracy circles, not points, so the check errs towards "plausible".
    /// </remarks>
    public double MaxTravelSpeedKmh { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets the accuracy radius assumed for a place whose provider gave coordinates but no radius, in
    /// kilometres (the coordinate rounding allowance is added to it).
    /// </summary>
    /// <value>100 km; between 0 and 1,000. The MaxMind adapter always supplies a radius.</value>
    public int UnknownAccuracyRadiusKm { get; set; } = 100;

    /// <summary>Gets the action for each reason. Reasons not listed map to <see cref="SignInRiskAction.Allow"/>.</summary>
    /// <value>
    /// <see cref="SignInRiskReason.FirstSignIn"/>: Allow; <see cref="SignInRiskReason.NewDevice"/>: Notify;
    /// <see cref="SignInRiskReason.NewCountry"/>: Notify; <see cref="SignInRiskReason.NewAutonomousSystem"/>: Allow
    /// (recorded, not announced: a phone moving between Wi-Fi and mobile data changes it);
    /// <see cref="SignInRiskReason.ImpossibleTravel"/>: RequireStepUp; <see cref="SignInRiskReason.LocationUnknown"/>: Allow.
    /// Keys must be single reasons (not <see cref="SignInRiskReason.None"/> or a combination), values defined actions.
    /// </value>
    /// <remarks>
    /// Security: <see cref="SignInRiskAction.Refuse"/> for <see cref="SignInRiskReason.LocationUnknown"/> would lock out
    /// every user behind a private network or when the database cannot be read; a host that wants the location to be
    /// known should prefer <see cref="SignInRiskAction.RequireStepUp"/>. An attacker who can hide their location
    /// (an address the database does not know) lands in <see cref="SignInRiskReason.LocationUnknown"/>, so map it no
    /// milder than the actions of the reasons it could hide if that matters to you.
    /// </remarks>
    public IDictionary<SignInRiskReason, SignInRiskAction> Actions { get; } = new Dictionary<SignInRiskReason, SignInRiskAction>
    {
        [SignInRiskReason.FirstSignIn] = SignInRiskAction.Allow,
        [SignInRiskReason.NewDevice] = SignInRiskAction.Notify,
        [SignInRiskReason.NewCountry] = SignInRiskAction.Notify,
        [SignInRiskReason.NewAutonomousSystem] = SignInRiskAction.Allow,
        [SignInRiskReason.ImpossibleTravel] = SignInRiskAction.RequireStepUp,
        [SignInRiskReason.LocationUnknown] = SignInRiskAction.Allow,
    };
}
