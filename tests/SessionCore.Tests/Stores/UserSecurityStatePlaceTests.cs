using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Xunit;
using SessionCore.Risk;
using SessionCore.Stores;

namespace SessionCore.Tests.Stores;

/// <summary><see cref="UserSecurityState.WithDevice"/> with places: the bound and what each device's place is after any sightings.</summary>
public sealed class UserSecurityStatePlaceTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CoarseLocation?[] s_places =
    [
        null,
        CoarseLocation.Restore("GB", "London", 51.5, -0.1, 18, 1221),
        CoarseLocation.Restore("SE", "Linköping", 58.4, 15.6, 84, 29518),
        CoarseLocation.Restore("CN", null, null, null, null, null),
    ];

    // Each sighting: a device key (0..5), a place (index into s_places) and minutes since the previous sighting.
    [Property(MaxTest = 500)]
    public bool EachDeviceKeepsItsLatestKnownPlaceWithinTheBound_Holds(byte[] sightings, byte bound)
    {
        int max = (bound % 4) + 1;
        UserSecurityState state = new("alice", 0, []);
        Dictionary<string, (CoarseLocation? Place, DateTimeOffset? At)> expected = new(StringComparer.Ordinal);
        DateTimeOffset at = s_t0;
        foreach (byte s in sightings ?? [])
        {
            string key = "d" + (s % 6).ToString(System.Globalization.CultureInfo.InvariantCulture);
            CoarseLocation? place = s_places[(s / 6) % s_places.Length];
            at = at.AddMinutes(s % 7);
            KnownDevice device = new KnownDevice(key, null, null, null, at, at) with { LastLocation = place, LastLocatedAt = place is null ? null : at };
            bool wasKept = state.KnownDevices.Any(d => d.Key == key);
            state = state.WithDevice(device, max, out _);
            if (!wasKept)
            {
                expected[key] = (place, place is null ? null : at);
            }
            else if (place is not null)
            {
                expected[key] = (place, at);
            }
        }

        return state.KnownDevices.Count <= max
            && state.KnownDevices.Select(d => d.Key).Distinct().Count() == state.KnownDevices.Count
            && state.KnownDevices.All(d => Equals(expected[d.Key].Place, d.LastLocation) && expected[d.Key].At == d.LastLocatedAt)
            && state.KnownDevices.All(d => (d.LastLocation is null) == (d.LastLocatedAt is null));
    }
}
