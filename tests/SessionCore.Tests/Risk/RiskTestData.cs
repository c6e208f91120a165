using System;
using System.Net;
using SessionCore.Devices;
using SessionCore.Risk;
using SessionCore.Stores;

namespace SessionCore.Tests.Risk;

/// <summary>Places (as in the MaxMind test database's source data) and devices shared by the risk tests.</summary>
internal static class RiskTestData
{
    public const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    public const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    public const string DeviceId = "scd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    public const string OtherDeviceId = "scd_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    public static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public static readonly GeoLocation London = new()
    {
        CountryCode = "GB", SubdivisionCode = "ENG", City = "London", Latitude = 51.5142, Longitude = -0.0931, AccuracyRadiusKm = 10,
        AutonomousSystemNumber = 20712, AutonomousSystemOrganization = "Andrews & Arnold Ltd",
    };

    public static readonly GeoLocation Linkoping = new()
    {
        CountryCode = "SE", SubdivisionCode = "E", City = "Linköping", Latitude = 58.4167, Longitude = 15.6167, AccuracyRadiusKm = 76,
        AutonomousSystemNumber = 29518, AutonomousSystemOrganization = "Bredband2 AB",
    };

    public static readonly GeoLocation Changchun = new()
    {
        CountryCode = "CN", SubdivisionCode = "22", City = "Changchun", Latitude = 43.88, Longitude = 125.3228, AccuracyRadiusKm = 100,
    };

    public static readonly GeoLocation Boxford = new()
    {
        CountryCode = "GB", SubdivisionCode = "ENG", City = "Boxford", Latitude = 51.75, Longitude = -1.25, AccuracyRadiusKm = 100,
    };

    public static DeviceFingerprint Device(string userAgent = Firefox, string? deviceId = DeviceId, string address = "81.2.69.142") =>
        DeviceFingerprint.FromClient(new ClientInfo(userAgent, IPAddress.Parse(address), deviceId));

    public static KnownDevice Known(DeviceFingerprint device, DateTimeOffset lastSeen) =>
        new(device.Key, device.DeviceIdHash, device.UserAgentFamily, device.Network, lastSeen.AddDays(-30), lastSeen);

    public static CoarseLocation Coarse(GeoLocation location) => CoarseLocation.FromLocation(location)!;
}
