using System;

namespace SessionCore.Risk;

/// <summary>
/// Why a sign-in looks unusual. A sign-in can have several reasons at once; none (<see cref="None"/>) means it matches
/// what is remembered of the user. Each reason is mapped to an action by <see cref="SignInRiskOptions.Actions"/>.
/// </summary>
/// <remarks>
/// Every comparison is with the devices remembered for the user and the coarse place each was last seen at, so
/// "new" means "not seen on any remembered device", not "different from the last sign-in".
/// </remarks>
[Flags]
public enum SignInRiskReason
{
    /// <summary>Nothing unusual.</summary>
    None = 0,

    /// <summary>
    /// The user has no remembered device at all. The other comparisons have nothing to compare with and are not made;
    /// a first sign-in is usually not worth an alert.
    /// </summary>
    FirstSignIn = 1,

    /// <summary>
    /// No remembered device has this device-id cookie with this user-agent family (or, without a usable cookie, this
    /// user-agent family on this coarse network). A device that only moved to another network is not new.
    /// </summary>
    NewDevice = 2,

    /// <summary>The sign-in's country is known and differs from the country of every remembered device whose country is known.</summary>
    NewCountry = 4,

    /// <summary>The sign-in's autonomous system (the network's operator) is known and differs from that of every remembered device whose one is known.</summary>
    NewAutonomousSystem = 8,

    /// <summary>
    /// Reaching this place from where a remembered device was last seen, in the time since, needs a speed above
    /// <see cref="SignInRiskOptions.MaxTravelSpeedKmh"/>: great-circle distance minus both accuracy radii, over the
    /// time since that device's last activity.
    /// </summary>
    ImpossibleTravel = 16,

    /// <summary>
    /// The sign-in's country is unknown: no client address, an address the provider has no data for (private
    /// networks too), or a provider that failed. The place is then not compared.
    /// </summary>
    LocationUnknown = 32,
}
