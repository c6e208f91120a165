using System;

namespace SessionCore.Risk;

/// <summary>
/// Great-circle distance on a sphere of the Earth's mean radius, by the haversine formula.
/// </summary>
/// <remarks>
/// Why haversine and not Vincenty's ellipsoidal formula: the sphere is off by at most about 0.5 % (under 10 km
/// between London and Linköping), far inside the accuracy radii of IP geolocation (tens to hundreds of kilometres)
/// that the risk check subtracts anyway; haversine is closed-form, costs a few trigonometric calls and is well
/// conditioned for small distances, whereas Vincenty's inverse iterates and fails to converge for nearly antipodal
/// points. Longitude differences enter only through sin²(Δλ/2), which is periodic, so points either side of the
/// antimeridian are near; at a pole cos φ is 0 and the longitude drops out, as it should.
/// </remarks>
internal static class GreatCircle
{
    /// <summary>The IUGG mean Earth radius R₁, in kilometres.</summary>
    public const double MeanEarthRadiusKm = 6371.0088;

    private const double RadiansPerDegree = Math.PI / 180;

    /// <summary>Gets the distance between two points in kilometres. Symmetric, and exactly 0 for the same point.</summary>
    public static double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        // Absolute differences make the result bit-for-bit symmetric (a - b is exactly -(b - a)).
        double dLat = Math.Abs(latitude2 - latitude1) * RadiansPerDegree;
        double dLon = Math.Abs(longitude2 - longitude1) * RadiansPerDegree;
        double sinLat = Math.Sin(dLat / 2);
        double sinLon = Math.Sin(dLon / 2);
        double h = (sinLat * sinLat) + (Math.Cos(latitude1 * RadiansPerDegree) * Math.Cos(latitude2 * RadiansPerDegree) * sinLon * sinLon);

        // Rounding can push h a hair above 1 for antipodal points; asin is undefined there.
        return 2 * MeanEarthRadiusKm * Math.Asin(Math.Sqrt(Math.Clamp(h, 0, 1)));
    }
}
