using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.StoreConformance;

// The coarse place of known devices and sessions, and the sign-in risk reasons of a session (issue 16).
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>London as the MaxMind test database places 81.2.69.142, rounded, with an AS number.</summary>
    protected static CoarseLocation London { get; } = CoarseLocation.FromLocation(new GeoLocation
    {
        CountryCode = "GB", City = "London", Latitude = 51.5142, Longitude = -0.0931, AccuracyRadiusKm = 100, AutonomousSystemNumber = 1221,
    })!;

    /// <summary>A place that exercises escaping, a negative longitude near the antimeridian, no radius and no AS number.</summary>
    protected static CoarseLocation OddPlace { get; } = CoarseLocation.Restore("SE", "Linköping \"ö\" 用户 😀", -58.4, -179.9, null, null)!;

    /// <summary>A place with a country only.</summary>
    protected static CoarseLocation CountryOnly { get; } = CoarseLocation.Restore("CN", null, null, null, null, null)!;

    [Fact]
    public virtual async Task RememberDevice_WithPlace_RoundTripsThePlaceAndItsTime()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice london = PlacedDevice("london", T0.AddTicks(7), London);
        KnownDevice odd = PlacedDevice("odd", T0.AddMinutes(1), OddPlace);
        KnownDevice country = PlacedDevice("country", T0.AddMinutes(2), CountryOnly);

        Assert.True(await store.RememberDeviceAsync(user, london, 5, Ct));
        Assert.True(await store.RememberDeviceAsync(user, odd, 5, Ct));
        Assert.True(await store.RememberDeviceAsync(user, country, 5, Ct));

        IReadOnlyList<KnownDevice> devices = (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices;
        Assert.Equal([london, odd, country], devices);
        Assert.Equal(T0.AddTicks(7).UtcTicks, devices[0].LastLocatedAt!.Value.UtcTicks);
    }

    [Fact]
    public virtual async Task RememberDevice_WithoutPlace_StaysNull()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        Assert.True(await store.RememberDeviceAsync(user, NewDevice("plain", T0), 5, Ct));
        Assert.False(await store.RememberDeviceAsync(user, NewDevice("plain", T0.AddMinutes(1)), 5, Ct));

        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Null(stored.LastLocation);
        Assert.Null(stored.LastLocatedAt);
    }

    [Fact]
    public virtual async Task RememberDevice_ReSightedElsewhere_ReplacesThePlaceAndItsTime()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.True(await store.RememberDeviceAsync(user, PlacedDevice("phone", T0, London), 5, Ct));

        Assert.False(await store.RememberDeviceAsync(user, PlacedDevice("phone", T0.AddHours(2), OddPlace), 5, Ct));

        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Equal(OddPlace, stored.LastLocation);
        Assert.Equal(T0.AddHours(2).UtcTicks, stored.LastLocatedAt!.Value.UtcTicks);
        Assert.Equal(T0.UtcTicks, stored.FirstSeenAt.UtcTicks);
    }

    [Fact]
    public virtual async Task RememberDevice_ReSightedWithoutPlace_KeepsTheLastPlaceAndItsTime()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.True(await store.RememberDeviceAsync(user, PlacedDevice("phone", T0, London), 5, Ct));

        Assert.False(await store.RememberDeviceAsync(user, NewDevice("phone", T0.AddHours(1)), 5, Ct));

        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Equal(T0.AddHours(1).UtcTicks, stored.LastSeenAt.UtcTicks);
        Assert.Equal(London, stored.LastLocation);
        Assert.Equal(T0.UtcTicks, stored.LastLocatedAt!.Value.UtcTicks);
    }

    [Fact]
    public virtual async Task RememberDevice_OverTheCapWithPlaces_StillKeepsOnlyTheMostRecent()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        CoarseLocation[] places = [London, OddPlace, CountryOnly];
        for (int i = 0; i < 6; i++)
        {
            Assert.True(await store.RememberDeviceAsync(user, PlacedDevice("d" + i, T0.AddMinutes(i), places[i % 3]), 3, Ct));
        }

        IReadOnlyList<KnownDevice> devices = (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices;
        Assert.Equal(["d3", "d4", "d5"], devices.Select(d => d.Key));
        Assert.Equal([London, OddPlace, CountryOnly], devices.Select(d => d.LastLocation));
    }

    [Fact]
    public virtual async Task Create_WithPlacedDevice_RemembersThePlaceInTheSameStep()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.True(await store.RememberDeviceAsync(user, PlacedDevice("phone", T0, London), 5, Ct));
        Session session = NewSession(user, T0.AddHours(1)) with { Location = CountryOnly, SignInRisk = SignInRiskReason.NewCountry };

        SessionCreateResult result = await store.CreateAsync(
            Creation(session) with { Device = PlacedDevice("phone", T0.AddHours(1), CountryOnly), MaxDevices = 5 }, Ct);

        Assert.True(result.IsSuccess);
        Assert.False(result.IsNewDevice);
        Assert.Equal(London, Assert.Single(result.KnownDevicesBefore).LastLocation);
        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Equal(CountryOnly, stored.LastLocation);
        Assert.Equal(T0.AddHours(1).UtcTicks, stored.LastLocatedAt!.Value.UtcTicks);
    }

    [Fact]
    public virtual async Task Session_PlaceAndRiskReasons_RoundTripAndSurviveTouchAndRegeneration()
    {
        ISessionStore store = await NewStoreAsync();
        SignInRiskReason reasons = SignInRiskReason.NewDevice | SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel;
        Session placed = NewSession(NewUserId()) with { Location = OddPlace, SignInRisk = reasons };
        Session bare = NewSession(NewUserId());

        Session stored = await InsertAsync(store, placed);
        await InsertAsync(store, bare);

        Assert.Equal(OddPlace, stored.Location);
        Assert.Equal(reasons, stored.SignInRisk);
        Session? found = await store.FindAsync(placed.Id, Ct);
        Assert.Equal(OddPlace, found!.Location);
        Assert.Equal(reasons, found.SignInRisk);
        Session? foundBare = await store.FindAsync(bare.Id, Ct);
        Assert.Null(foundBare!.Location);
        Assert.Equal(SignInRiskReason.None, foundBare.SignInRisk);

        SessionCheck touched = await store.ValidateAsync(placed.Id, Rules, T0.AddMinutes(5), touch: true, Ct);
        Assert.Equal(OddPlace, touched.Session!.Location);
        Assert.Equal(reasons, touched.Session.SignInRisk);

        SessionRegenerateResult regenerated = await store.RegenerateAsync(
            new SessionRegeneration { CurrentId = placed.Id, Replacement = new SessionReplacement { NewId = NewSessionId(), Reauthenticated = true }, Rules = Rules, Now = T0.AddMinutes(6) }, Ct);
        Assert.True(regenerated.IsSuccess);
        Session? replacement = await store.FindAsync(regenerated.Replacement!.Id, Ct);
        Assert.Equal(OddPlace, replacement!.Location);
        Assert.Equal(reasons, replacement.SignInRisk);
        Assert.Equal(OddPlace, Assert.Single(await store.ListUserSessionsAsync(placed.UserId, Rules, T0.AddMinutes(7), Ct)).Location);
    }

    private static KnownDevice PlacedDevice(string key, DateTimeOffset seen, CoarseLocation place) =>
        NewDevice(key, seen) with { LastLocation = place, LastLocatedAt = seen };
}
