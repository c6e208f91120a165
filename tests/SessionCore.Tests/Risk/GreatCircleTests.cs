using System;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Risk;
using Xunit;

namespace SessionCore.Tests.Risk;

public sealed class GreatCircleTests
{
    private const double OneDegreeKm = 2 * Math.PI * GreatCircle.MeanEarthRadiusKm / 360;

    [Theory]
    [InlineData(0, 0, 0, 1, OneDegreeKm)]
    [InlineData(0, 179.5, 0, -179.5, OneDegreeKm)] // across the antimeridian, not round the world
    [InlineData(-18.1, 178.4, -18.1, -178.4, 3.2 * OneDegreeKm * 0.9505)] // Fiji, both sides of 180°
    [InlineData(90, 0, 90, 120, 0)] // the North Pole has one point whatever the longitude
    [InlineData(89.9, 0, 89.9, 180, 0.2 * OneDegreeKm)] // over the pole
    [InlineData(0, 0, 90, 0, 90 * OneDegreeKm)]
    [InlineData(0, 0, 0, 180, 180 * OneDegreeKm)] // antipodes
    [InlineData(45, 45, -45, -135, 180 * OneDegreeKm)]
    public void DistanceKm_KnownPoints_MatchesTheSphere(double lat1, double lon1, double lat2, double lon2, double expected) =>
        Assert.Equal(expected, GreatCircle.DistanceKm(lat1, lon1, lat2, lon2), 0.05 + (expected * 1e-3));

    [Fact]
    public void DistanceKm_LondonToLinkoping_IsAbout1260Km() =>
        Assert.InRange(GreatCircle.DistanceKm(51.5142, -0.0931, 58.4167, 15.6167), 1_250, 1_265);

    [Fact]
    public void DistanceKm_LondonToChangchun_IsAbout8300Km() =>
        Assert.InRange(GreatCircle.DistanceKm(51.5142, -0.0931, 43.88, 125.3228), 8_000, 8_600);

    [Property(MaxTest = 1000)]
    public bool DistanceIsSymmetric_Holds(NormalFloat lat1, NormalFloat lon1, NormalFloat lat2, NormalFloat lon2)
    {
        double a = lat1.Get % 90, b = lon1.Get % 180, c = lat2.Get % 90, d = lon2.Get % 180;
        return GreatCircle.DistanceKm(a, b, c, d) == GreatCircle.DistanceKm(c, d, a, b);
    }

    [Property(MaxTest = 1000)]
    public bool DistanceToTheSamePointIsZero_Holds(NormalFloat lat, NormalFloat lon) =>
        GreatCircle.DistanceKm(lat.Get % 90, lon.Get % 180, lat.Get % 90, lon.Get % 180) == 0;

    [Property(MaxTest = 1000)]
    public bool DistanceIsAtMostHalfTheCircumference_Holds(NormalFloat lat1, NormalFloat lon1, NormalFloat lat2, NormalFloat lon2)
    {
        double distance = GreatCircle.DistanceKm(lat1.Get % 90, lon1.Get % 180, lat2.Get % 90, lon2.Get % 180);
        return distance >= 0 && distance <= (Math.PI * GreatCircle.MeanEarthRadiusKm) + 1e-6;
    }
}
