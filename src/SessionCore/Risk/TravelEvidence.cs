using System;

namespace SessionCore.Risk;

/// <summary>
/// The journey behind <see cref="SignInRiskReason.ImpossibleTravel"/>: where and when a remembered device was last seen,
/// how far the new sign-in is from there and how fast one would have had to travel.
/// </summary>
/// <remarks>Security (privacy): holds coarse places only, never an address.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed record TravelEvidence
{
    internal TravelEvidence(CoarseLocation from, DateTimeOffset lastSeenAt, double distanceKm, double netDistanceKm, TimeSpan elapsed)
    {
        From = from;
        LastSeenAt = lastSeenAt;
        DistanceKm = distanceKm;
        NetDistanceKm = netDistanceKm;
        Elapsed = elapsed;
    }

    /// <summary>Gets where the remembered device was last seen.</summary>
    public CoarseLocation From { get; }

    /// <summary>Gets when that device was seen at <see cref="From"/>.</summary>
    public DateTimeOffset LastSeenAt { get; }

    /// <summary>Gets the great-circle distance between the two places' coordinates, in kilometres.</summary>
    public double DistanceKm { get; }

    /// <summary>Gets the distance minus both accuracy radii (never negative): the shortest journey consistent with both places.</summary>
    public double NetDistanceKm { get; }

    /// <summary>Gets the time since that device was last seen; zero when its last activity is not in the past (clock skew between nodes).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the speed the journey needs, in kilometres per hour; positive infinity when <see cref="Elapsed"/> is zero.</summary>
    public double SpeedKmh => Elapsed > TimeSpan.Zero ? NetDistanceKm / Elapsed.TotalHours : double.PositiveInfinity;
}
