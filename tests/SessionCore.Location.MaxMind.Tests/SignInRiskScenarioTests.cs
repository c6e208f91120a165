using System;
using System.Collections.Generic;
using System.Net;
using SessionCore.Devices;
using SessionCore.Risk;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

/// <summary>The sign-in risk check end to end, on the MaxMind test databases.</summary>
public sealed class SignInRiskScenarioTests : IDisposable
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string Cookie = "scd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly DateTimeOffset s_noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly MaxMindLocationProvider _provider = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, AsnDatabasePath = TestFiles.Asn });
    private readonly SignInRiskEvaluator _evaluator;
    private readonly List<KnownDevice> _known = [];
    private readonly Dictionary<string, CoarseLocation?> _lastPlace = [];

    public SignInRiskScenarioTests() => _evaluator = new SignInRiskEvaluator(null, _provider);

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void LondonThenLinkopingTwoHoursLater_IsANewCountryButPlausible()
    {
        SignIn("81.2.69.142", s_noon);
        SignInRiskAssessment risk = SignIn("89.160.20.112", s_noon.AddHours(2));

        Assert.Equal(SignInRiskReason.NewCountry, risk.Reasons);
        Assert.Equal(SignInRiskAction.Notify, risk.Action);
        Assert.Equal("Linköping, SE", risk.Location!.ToString());
    }

    [Fact]
    public void LondonThenChangchunOneHourLater_IsImpossibleTravel()
    {
        SignIn("81.2.69.142", s_noon);
        SignInRiskAssessment risk = SignIn("175.16.199.1", s_noon.AddHours(1));

        Assert.Equal(SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel, risk.Reasons);
        Assert.Equal(SignInRiskAction.RequireStepUp, risk.Action);
        Assert.Equal("London, GB", risk.ImpossibleTravel!.From.ToString());
        Assert.InRange(risk.ImpossibleTravel.SpeedKmh, 7_500, 8_600);
    }

    [Fact]
    public void SanDiegoOverIPv4ThenIPv6_IsNothingNew()
    {
        SignIn("214.78.120.1", s_noon);
        SignInRiskAssessment risk = SignIn("2001:480:10::1", s_noon.AddMinutes(1));

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
        Assert.Equal(SignInRiskAction.Allow, risk.Action);
    }

    [Fact]
    public void AddressTheDatabaseDoesNotKnow_IsLocationUnknown()
    {
        SignIn("81.2.69.142", s_noon);
        SignInRiskAssessment risk = SignIn("198.51.100.7", s_noon.AddMinutes(5));

        Assert.Equal(SignInRiskReason.LocationUnknown, risk.Reasons);
        Assert.Equal(LocationLookupStatus.NotFound, risk.LocationStatus);
        Assert.Null(risk.Location);
    }

    [Fact]
    public void FirstSignIn_IsOnlyThat()
    {
        SignInRiskAssessment risk = SignIn("81.2.69.142", s_noon);

        Assert.Equal(SignInRiskReason.FirstSignIn, risk.Reasons);
        Assert.Equal("London, GB", risk.Location!.ToString());
    }

    // What the session manager will do at sign-in: assess, then remember the device and its coarse place.
    private SignInRiskAssessment SignIn(string address, DateTimeOffset at)
    {
        IPAddress ip = IPAddress.Parse(address);
        DeviceFingerprint device = DeviceFingerprint.FromClient(new ClientInfo(Firefox, ip, Cookie));
        SignInRiskAssessment risk = _evaluator.Assess(device, ip, at, _known, d => _lastPlace[d.Key]);
        _known.RemoveAll(d => d.Key == device.Key);
        _known.Add(new KnownDevice(device.Key, device.DeviceIdHash, device.UserAgentFamily, device.Network, at, at));
        _lastPlace[device.Key] = risk.Location;
        return risk;
    }
}
