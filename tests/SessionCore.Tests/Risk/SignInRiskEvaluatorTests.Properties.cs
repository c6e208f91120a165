using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Devices;
using SessionCore.Risk;
using SessionCore.Stores;
using static SessionCore.Tests.Risk.RiskTestData;

namespace SessionCore.Tests.Risk;

public sealed partial class SignInRiskEvaluatorTests
{
    private static readonly string[] s_countries = ["GB", "SE", "CN", "US", "FJ"];

    [Property(MaxTest = 300)]
    public bool VerdictDoesNotDependOnTheOrderOfDevices_Holds(int[] seeds, int shuffle, int hereSeed)
    {
        List<(KnownDevice Device, CoarseLocation? Last)> history = [.. seeds.Take(12).Select((seed, i) => RandomDevice(seed, i))];
        Dictionary<string, CoarseLocation?> places = history.ToDictionary(h => h.Device.Key, h => h.Last);
        List<KnownDevice> ordered = [.. history.Select(h => h.Device)];
        List<KnownDevice> shuffled = [.. ordered.OrderBy(d => HashCode.Combine(d.Key, shuffle))];
        (DeviceFingerprint device, GeoLocation here) = RandomSignIn(hereSeed);
        LocationLookupResult lookup = LocationLookupResult.Found(here);

        SignInRiskAssessment a = s_evaluator.Evaluate(device, lookup, Noon, ordered, d => places[d.Key]);
        SignInRiskAssessment b = s_evaluator.Evaluate(device, lookup, Noon, shuffled, d => places[d.Key]);
        return a == b;
    }

    [Property(MaxTest = 1000)]
    public bool LargerAccuracyRadiusNeverMakesAJourneyImpossible_Holds(
        NormalFloat lat1, NormalFloat lon1, NormalFloat lat2, NormalFloat lon2, byte r1, byte r2, byte extra1, byte extra2, ushort minutes)
    {
        DeviceFingerprint device = Device();
        KnownDevice known = Known(device, Noon.AddMinutes(-minutes));
        bool Impossible(int radiusHere, int radiusBefore)
        {
            GeoLocation here = new() { CountryCode = "GB", Latitude = lat1.Get % 90, Longitude = lon1.Get % 180, AccuracyRadiusKm = radiusHere };
            CoarseLocation before = Coarse(new GeoLocation { CountryCode = "GB", Latitude = lat2.Get % 90, Longitude = lon2.Get % 180, AccuracyRadiusKm = radiusBefore });
            return s_evaluator.Evaluate(device, LocationLookupResult.Found(here), Noon, [known], _ => before).Has(SignInRiskReason.ImpossibleTravel);
        }

        return !Impossible(r1 + extra1, r2 + extra2) || Impossible(r1, r2);
    }

    [Property(MaxTest = 300)]
    public bool MoreTimeNeverMakesAJourneyImpossible_Holds(NormalFloat lat1, NormalFloat lon1, NormalFloat lat2, NormalFloat lon2, ushort minutes, ushort more)
    {
        DeviceFingerprint device = Device();
        GeoLocation here = new() { CountryCode = "GB", Latitude = lat1.Get % 90, Longitude = lon1.Get % 180, AccuracyRadiusKm = 10 };
        CoarseLocation before = Coarse(new GeoLocation { CountryCode = "GB", Latitude = lat2.Get % 90, Longitude = lon2.Get % 180, AccuracyRadiusKm = 10 });
        bool Impossible(int elapsed) =>
            s_evaluator.Evaluate(device, LocationLookupResult.Found(here), Noon, [Known(device, Noon.AddMinutes(-elapsed))], _ => before).Has(SignInRiskReason.ImpossibleTravel);

        return !Impossible(minutes + more) || Impossible(minutes);
    }

    [Property(MaxTest = 300)]
    public bool ActionIsTheStrictestOfTheReasons_Holds(byte reasonBits)
    {
        SignInRiskReason reasons = (SignInRiskReason)(reasonBits & 63);
        SignInRiskAction expected = SignInRiskAssessment.AllReasons.Where(r => (reasons & r) != 0).Select(s_evaluator.ActionFor).DefaultIfEmpty(SignInRiskAction.Allow).Max();
        return s_evaluator.ActionFor(reasons) == expected;
    }

    private static (KnownDevice, CoarseLocation?) RandomDevice(int seed, int index)
    {
        Random random = new(seed);
        DeviceFingerprint fingerprint = DeviceFingerprint.FromClient(new ClientInfo(
            random.Next(2) == 0 ? Firefox : Safari, $"10.{index}.{random.Next(256)}.1", random.Next(3) == 0 ? null : $"scd_{index:D2}{new string('A', 41)}"));
        KnownDevice device = Known(fingerprint, Noon.AddMinutes(-random.Next(0, 24 * 60)));
        CoarseLocation? place = random.Next(4) == 0 ? null : Coarse(RandomPlace(random));
        return (device, place);
    }

    private static (DeviceFingerprint, GeoLocation) RandomSignIn(int seed)
    {
        Random random = new(seed);
        return (DeviceFingerprint.FromClient(new ClientInfo(random.Next(2) == 0 ? Firefox : Safari, $"10.{random.Next(12)}.1.1", null)), RandomPlace(random));
    }

    private static GeoLocation RandomPlace(Random random) => new()
    {
        CountryCode = s_countries[random.Next(s_countries.Length)],
        Latitude = (random.NextDouble() * 180) - 90,
        Longitude = (random.NextDouble() * 360) - 180,
        AccuracyRadiusKm = random.Next(0, 500),
        AutonomousSystemNumber = random.Next(1, 5),
    };
}
