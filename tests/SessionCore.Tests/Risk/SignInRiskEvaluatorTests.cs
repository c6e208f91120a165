using System;
using System.Collections.Generic;
using System.Net;
using SessionCore.Devices;
using SessionCore.Risk;
using SessionCore.Stores;
using Xunit;
using static SessionCore.Tests.Risk.RiskTestData;

namespace SessionCore.Tests.Risk;

public sealed partial class SignInRiskEvaluatorTests
{
    private static readonly SignInRiskEvaluator s_evaluator = new();

    [Fact]
    public void Evaluate_NoKnownDevice_IsFirstSignInOnly()
    {
        SignInRiskAssessment risk = Evaluate(Device(), London, Noon, []);

        Assert.Equal(SignInRiskReason.FirstSignIn, risk.Reasons);
        Assert.Equal(SignInRiskAction.Allow, risk.Action);
        Assert.Equal(Coarse(London), risk.Location);
        Assert.Equal(LocationLookupStatus.Found, risk.LocationStatus);
        Assert.Null(risk.ImpossibleTravel);
    }

    [Fact]
    public void Evaluate_SameDeviceSamePlace_HasNoReason()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, London, Noon, [(Known(device, Noon.AddHours(-1)), London)]);

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
        Assert.Equal(SignInRiskAction.Allow, risk.Action);
        Assert.Empty(risk.ListReasons());
    }

    [Fact]
    public void Evaluate_LondonThenLinkopingTwoHoursLater_IsNewCountryButPlausible()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, Linkoping, Noon, [(Known(device, Noon.AddHours(-2)), London)]);

        Assert.Equal(SignInRiskReason.NewCountry | SignInRiskReason.NewAutonomousSystem, risk.Reasons);
        Assert.Equal(SignInRiskAction.Notify, risk.Action);
        Assert.Null(risk.ImpossibleTravel);
    }

    [Fact]
    public void Evaluate_LondonThenChangchunOneHourLater_IsImpossibleTravel()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(Device(deviceId: OtherDeviceId), Changchun, Noon, [(Known(device, Noon.AddHours(-1)), London)]);

        Assert.Equal(SignInRiskReason.NewDevice | SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel, risk.Reasons);
        Assert.Equal([SignInRiskReason.NewDevice, SignInRiskReason.NewCountry, SignInRiskReason.ImpossibleTravel], risk.ListReasons());
        Assert.Equal(SignInRiskAction.RequireStepUp, risk.Action);
        TravelEvidence travel = risk.ImpossibleTravel!;
        Assert.Equal(Coarse(London), travel.From);
        Assert.Equal(Noon.AddHours(-1), travel.LastSeenAt);
        Assert.Equal(TimeSpan.FromHours(1), travel.Elapsed);
        Assert.InRange(travel.DistanceKm, 8_000, 8_600);
        Assert.Equal(travel.DistanceKm - 18 - 108, travel.NetDistanceKm, 1e-9);
        Assert.Equal(travel.NetDistanceKm, travel.SpeedKmh, 1e-9);
    }

    [Fact]
    public void Evaluate_LondonThenChangchunTwelveHoursLater_IsPlausible()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, Changchun, Noon, [(Known(device, Noon.AddHours(-12)), London)]);

        Assert.False(risk.Has(SignInRiskReason.ImpossibleTravel));
        Assert.True(risk.Has(SignInRiskReason.NewCountry));
    }

    [Fact]
    public void Evaluate_ZeroElapsedSamePlace_IsPlausible()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, London with { Latitude = 51.6 }, Noon, [(Known(device, Noon), London)]);

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
    }

    [Fact]
    public void Evaluate_ZeroElapsedBeyondBothRadii_IsImpossibleWithInfiniteSpeed()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, Boxford with { AccuracyRadiusKm = 1 }, Noon, [(Known(device, Noon), London)]);

        Assert.True(risk.Has(SignInRiskReason.ImpossibleTravel));
        Assert.Equal(TimeSpan.Zero, risk.ImpossibleTravel!.Elapsed);
        Assert.Equal(double.PositiveInfinity, risk.ImpossibleTravel.SpeedKmh);
    }

    [Fact]
    public void Evaluate_LastSeenInTheFuture_CountsAsJustNow()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, Linkoping, Noon, [(Known(device, Noon.AddMinutes(5)), London)]);

        Assert.True(risk.Has(SignInRiskReason.ImpossibleTravel));
        Assert.Equal(TimeSpan.Zero, risk.ImpossibleTravel!.Elapsed);
    }

    [Fact]
    public void Evaluate_AcrossTheAntimeridian_UsesTheShortWay()
    {
        GeoLocation fiji = new() { CountryCode = "FJ", Latitude = -18.1, Longitude = 178.4, AccuracyRadiusKm = 20 };
        GeoLocation samoa = new() { CountryCode = "WS", Latitude = -13.8, Longitude = -171.8, AccuracyRadiusKm = 20 };
        DeviceFingerprint device = Device();

        SignInRiskAssessment twoHours = Evaluate(device, samoa, Noon, [(Known(device, Noon.AddHours(-2)), fiji)]);
        SignInRiskAssessment halfHour = Evaluate(device, samoa, Noon, [(Known(device, Noon.AddMinutes(-30)), fiji)]);

        Assert.False(twoHours.Has(SignInRiskReason.ImpossibleTravel));
        Assert.True(halfHour.Has(SignInRiskReason.ImpossibleTravel));
        Assert.InRange(halfHour.ImpossibleTravel!.DistanceKm, 1_100, 1_200);
    }

    [Fact]
    public void Evaluate_NearThePoleAcrossLongitudes_IsNear()
    {
        GeoLocation a = new() { CountryCode = "SJ", Latitude = 89.8, Longitude = 0, AccuracyRadiusKm = 1 };
        GeoLocation b = new() { CountryCode = "SJ", Latitude = 89.8, Longitude = 179.9, AccuracyRadiusKm = 1 };
        DeviceFingerprint device = Device();

        // 0.4° over the pole (about 45 km), not half way round the world.
        SignInRiskAssessment risk = Evaluate(device, b, Noon, [(Known(device, Noon.AddMinutes(-10)), a)]);

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
    }

    [Fact]
    public void Evaluate_MissingCoordinatesOnEitherSide_NeverImpossible()
    {
        DeviceFingerprint device = Device();
        GeoLocation countryOnly = new() { CountryCode = "CN" };

        SignInRiskAssessment here = Evaluate(device, countryOnly, Noon, [(Known(device, Noon), London)]);
        SignInRiskAssessment before = Evaluate(device, Changchun, Noon, [(Known(device, Noon), new GeoLocation { CountryCode = "GB" })]);

        Assert.Equal(SignInRiskReason.NewCountry, here.Reasons);
        Assert.Equal(SignInRiskReason.NewCountry, before.Reasons);
    }

    [Fact]
    public void Evaluate_UnknownRadius_UsesTheConfiguredDefault()
    {
        DeviceFingerprint device = Device();
        GeoLocation near = new() { CountryCode = "GB", Latitude = 52.9, Longitude = -0.1 }; // about 155 km north of London, no radius
        List<(KnownDevice, GeoLocation?)> history = [(Known(device, Noon.AddMinutes(-5)), London)];

        SignInRiskAssessment generous = Evaluate(device, near, Noon, history);
        SignInRiskAssessment strict = Evaluate(new SignInRiskEvaluator(new SignInRiskOptions { UnknownAccuracyRadiusKm = 0 }), device, near, Noon, history);

        Assert.False(generous.Has(SignInRiskReason.ImpossibleTravel));
        Assert.True(strict.Has(SignInRiskReason.ImpossibleTravel));
    }

    [Fact]
    public void Evaluate_SlowerSpeedLimit_FlagsTheSameJourney()
    {
        DeviceFingerprint device = Device();
        SignInRiskEvaluator trains = new(new SignInRiskOptions { MaxTravelSpeedKmh = 300 });

        SignInRiskAssessment risk = Evaluate(trains, device, Linkoping, Noon, [(Known(device, Noon.AddHours(-2)), London)]);

        Assert.True(risk.Has(SignInRiskReason.ImpossibleTravel));
        Assert.Equal(300, trains.MaxTravelSpeedKmh);
    }

    [Fact]
    public void Evaluate_SeveralImpossibleJourneys_ReportsTheFastest()
    {
        DeviceFingerprint laptop = Device(address: "81.2.69.150");
        DeviceFingerprint phone = Device(Safari, OtherDeviceId, "89.160.20.113");

        SignInRiskAssessment risk = Evaluate(Device(), Changchun, Noon, [(Known(laptop, Noon.AddHours(-2)), London), (Known(phone, Noon.AddHours(-1)), Linkoping)]);

        Assert.Equal(Coarse(Linkoping), risk.ImpossibleTravel!.From);
    }

    [Fact]
    public void Evaluate_LocationUnknown_ComparesNoPlace()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = s_evaluator.Evaluate(device, LocationLookupResult.NotFound, Noon, [Known(device, Noon)], _ => Coarse(London));

        Assert.Equal(SignInRiskReason.LocationUnknown, risk.Reasons);
        Assert.Null(risk.Location);
        Assert.Equal(LocationLookupStatus.NotFound, risk.LocationStatus);
    }

    [Fact]
    public void Evaluate_FoundWithoutCountry_IsLocationUnknownButStillComparesTheNetwork()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(device, new GeoLocation { AutonomousSystemNumber = 15169 }, Noon, [(Known(device, Noon), London)]);

        Assert.Equal(SignInRiskReason.LocationUnknown | SignInRiskReason.NewAutonomousSystem, risk.Reasons);
    }

    [Fact]
    public void Evaluate_HistoryWithoutPlaces_RaisesNoPlaceReason()
    {
        DeviceFingerprint device = Device();
        SignInRiskAssessment risk = Evaluate(Device(Safari), Changchun, Noon, [(Known(device, Noon), null)]);

        Assert.Equal(SignInRiskReason.NewDevice, risk.Reasons);
    }

    [Fact]
    public void Evaluate_CountrySeenOnAnotherDevice_IsNotNew()
    {
        DeviceFingerprint laptop = Device();
        DeviceFingerprint phone = Device(Safari, OtherDeviceId);

        SignInRiskAssessment risk = Evaluate(laptop, Linkoping, Noon, [(Known(laptop, Noon.AddDays(-1)), London), (Known(phone, Noon.AddDays(-1)), Linkoping)]);

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
    }

    [Fact]
    public void Evaluate_SameCookieOnAnotherNetwork_IsNotANewDevice()
    {
        DeviceFingerprint atHome = Device(address: "81.2.69.142");
        DeviceFingerprint onTheTrain = Device(address: "2.125.160.217");

        SignInRiskAssessment risk = Evaluate(onTheTrain, Boxford, Noon, [(Known(atHome, Noon.AddHours(-1)), London)]);

        Assert.Equal(SignInRiskReason.None, risk.Reasons);
    }

    [Fact]
    public void Evaluate_SameCookieInAnotherBrowser_IsANewDevice()
    {
        SignInRiskAssessment risk = Evaluate(Device(Safari), London, Noon, [(Known(Device(), Noon), London)]);

        Assert.Equal(SignInRiskReason.NewDevice, risk.Reasons);
    }

    [Fact]
    public void Evaluate_NoCookie_RecognisesOnlyTheSameFamilyAndNetwork()
    {
        DeviceFingerprint known = Device(deviceId: null);

        Assert.Equal(SignInRiskReason.None, Evaluate(Device(deviceId: null), London, Noon, [(Known(known, Noon), London)]).Reasons);
        Assert.Equal(SignInRiskReason.NewDevice, Evaluate(Device(deviceId: null, address: "81.2.70.1"), London, Noon, [(Known(known, Noon), London)]).Reasons);
        Assert.Equal(SignInRiskReason.NewDevice, Evaluate(Device(), London, Noon, [(Known(known, Noon), London)]).Reasons);
    }

    [Fact]
    public void Evaluate_NullArguments_Throw()
    {
        DeviceFingerprint device = Device();
        Assert.Throws<ArgumentNullException>(() => s_evaluator.Evaluate(null!, LocationLookupResult.NotFound, Noon, [], _ => null));
        Assert.Throws<ArgumentNullException>(() => s_evaluator.Evaluate(device, null!, Noon, [], _ => null));
        Assert.Throws<ArgumentNullException>(() => s_evaluator.Evaluate(device, LocationLookupResult.NotFound, Noon, null!, _ => null));
        Assert.Throws<ArgumentNullException>(() => s_evaluator.Evaluate(device, LocationLookupResult.NotFound, Noon, [], null!));
        Assert.Throws<ArgumentNullException>(() => s_evaluator.Evaluate(device, LocationLookupResult.NotFound, Noon, [null!], _ => null));
    }

    private static SignInRiskAssessment Evaluate(DeviceFingerprint device, GeoLocation here, DateTimeOffset at, List<(KnownDevice Device, GeoLocation? Last)> history) =>
        Evaluate(s_evaluator, device, here, at, history);

    private static SignInRiskAssessment Evaluate(
        SignInRiskEvaluator evaluator, DeviceFingerprint device, GeoLocation here, DateTimeOffset at, List<(KnownDevice Device, GeoLocation? Last)> history)
    {
        Dictionary<string, CoarseLocation?> places = [];
        List<KnownDevice> known = [];
        foreach ((KnownDevice d, GeoLocation? last) in history)
        {
            known.Add(d);
            places[d.Key] = last is null ? null : Coarse(last);
        }

        return evaluator.Evaluate(device, LocationLookupResult.Found(here), at, known, d => places[d.Key]);
    }
}
