using System.Collections.Generic;

namespace SessionCore.Risk;

/// <summary>
/// The explained verdict of the sign-in risk check: the reasons found, the action the host mapped them to, and the
/// coarse places involved. There is no score.
/// </summary>
/// <remarks>Security (privacy): carries coarse places only (see <see cref="CoarseLocation"/>), never an address, so it may be raised in events and shown to the user.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed record SignInRiskAssessment
{
    /// <summary>Every single reason, in the order <see cref="ListReasons"/> returns them.</summary>
    internal static readonly SignInRiskReason[] AllReasons =
    [
        SignInRiskReason.FirstSignIn,
        SignInRiskReason.NewDevice,
        SignInRiskReason.NewCountry,
        SignInRiskReason.NewAutonomousSystem,
        SignInRiskReason.ImpossibleTravel,
        SignInRiskReason.LocationUnknown,
    ];

    internal SignInRiskAssessment(SignInRiskReason reasons, SignInRiskAction action, CoarseLocation? location, LocationLookupStatus locationStatus, TravelEvidence? impossibleTravel)
    {
        Reasons = reasons;
        Action = action;
        Location = location;
        LocationStatus = locationStatus;
        ImpossibleTravel = impossibleTravel;
    }

    /// <summary>Gets the reasons found, or <see cref="SignInRiskReason.None"/>.</summary>
    public SignInRiskReason Reasons { get; }

    /// <summary>Gets the strictest action any reason maps to (<see cref="SignInRiskAction.Allow"/> when there is none).</summary>
    public SignInRiskAction Action { get; }

    /// <summary>Gets the coarse place of the sign-in, or <see langword="null"/> when nothing is known of it. Store it as the device's last place.</summary>
    public CoarseLocation? Location { get; }

    /// <summary>Gets how the place was looked up (why it is unknown, when it is).</summary>
    public LocationLookupStatus LocationStatus { get; }

    /// <summary>Gets the journey that could not have been made, when <see cref="Reasons"/> has <see cref="SignInRiskReason.ImpossibleTravel"/>; otherwise <see langword="null"/>.</summary>
    /// <remarks>Of several remembered devices that make the journey impossible, the one needing the highest speed.</remarks>
    public TravelEvidence? ImpossibleTravel { get; }

    /// <summary>Tells whether a reason was found.</summary>
    /// <param name="reason">A single reason.</param>
    /// <returns><see langword="true"/> when it was found.</returns>
    public bool Has(SignInRiskReason reason) => reason != SignInRiskReason.None && (Reasons & reason) == reason;

    /// <summary>Lists the reasons one by one, in declaration order (for example to show or serialise them by name).</summary>
    /// <returns>The reasons; empty when there are none.</returns>
    public IReadOnlyList<SignInRiskReason> ListReasons()
    {
        List<SignInRiskReason> list = [];
        foreach (SignInRiskReason reason in AllReasons)
        {
            if ((Reasons & reason) != 0)
            {
                list.Add(reason);
            }
        }

        return list;
    }
}
