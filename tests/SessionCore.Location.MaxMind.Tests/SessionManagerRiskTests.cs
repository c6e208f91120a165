using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

/// <summary>
/// The sign-in risk check through <see cref="SessionManager.SignInAsync"/> with real stores and the MaxMind test
/// databases: what is assessed, what the session and the known device keep, and what the host's actions do.
/// </summary>
public sealed class SessionManagerRiskTests : IDisposable
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string Cookie = "scd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string User = "alice";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly MaxMindLocationProvider _provider = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, AsnDatabasePath = TestFiles.Asn });
    private readonly TestFiles _files = new();
    private readonly List<IDisposable> _stores = [];
    private readonly Sink _events = new();

    public static TheoryData<string> Stores => ["InMemory", "LiteDb"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (IDisposable store in _stores)
        {
            store.Dispose();
        }

        _provider.Dispose();
        _files.Dispose();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SignIn_LondonThenLinkopingTwoHoursLater_NewCountryButPlausible(string store)
    {
        SessionManager manager = Manager(store);
        SignInResult first = await SignInAsync(manager, "81.2.69.142");
        _time.Advance(TimeSpan.FromHours(2));

        SignInResult second = await SignInAsync(manager, "89.160.20.112");

        Assert.Equal(SignInRiskReason.FirstSignIn, first.Session!.SignInRisk);
        Assert.Equal("London, GB", first.Session.Location!.ToString());
        Assert.True(second.IsSuccess);
        Assert.Equal(SignInRiskReason.NewCountry, second.Session!.SignInRisk);
        Assert.Equal(SignInRiskAction.Notify, second.Risk!.Action);
        Assert.Equal("Linköping, SE", second.Session.Location!.ToString());
        Assert.Equal(_time.GetUtcNow(), second.Session.AuthenticatedAt);

        // The session and the device keep the coarse place; the event carries it, never the address.
        Session stored = (await manager.Store.FindAsync(second.Session.Id, Ct))!;
        Assert.Equal(second.Session.Location, stored.Location);
        Assert.Equal(SignInRiskReason.NewCountry, stored.SignInRisk);
        // The same browser on another network is another fingerprint (the evaluator still knows it by its cookie).
        IReadOnlyList<KnownDevice> devices = (await manager.Store.GetUserSecurityStateAsync(User, Ct)).KnownDevices;
        Assert.Equal(["GB", "SE"], devices.Select(d => d.LastLocation!.CountryCode));
        Assert.Equal(_time.GetUtcNow(), devices[1].LastLocatedAt);
        UnusualSignIn unusual = Assert.Single(_events.Of<UnusualSignIn>());
        Assert.Equal(SignInRiskReason.NewCountry, unusual.Reasons);
        Assert.Equal("Linköping, SE", unusual.Location!.ToString());
        Assert.DoesNotContain("89.160.20", unusual.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SignIn_LondonThenChangchunOneHourLater_ImpossibleTravelStartsWithoutFreshness(string store)
    {
        SessionManager manager = Manager(store);
        await SignInAsync(manager, "81.2.69.142");
        _time.Advance(TimeSpan.FromHours(1));

        SignInResult second = await SignInAsync(manager, "175.16.199.1");

        Assert.True(second.IsSuccess);
        Assert.Equal(SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel, second.Session!.SignInRisk);
        Assert.Equal(SignInRiskAction.RequireStepUp, second.Risk!.Action);
        Assert.Equal("London, GB", second.Risk.ImpossibleTravel!.From.ToString());
        FreshnessResult fresh = await manager.CheckFreshnessAsync(second.Token!.Reveal(), new FreshnessRequirement(TimeSpan.FromDays(30)), Ct);
        Assert.Equal(FreshnessStatus.ReauthenticationRequired, fresh.Status);
        UnusualSignIn unusual = Assert.Single(_events.Of<UnusualSignIn>());
        Assert.Equal("London, GB", unusual.ImpossibleTravel!.From.ToString());

        // After the user proves who they are again, the replacement is fresh and still says why it was questioned.
        SessionRegenerationResult stepped = await manager.RegenerateAsync(second.Token.Reveal(), new SessionChange { Reauthenticated = true }, Ct);
        Assert.True(stepped.IsSuccess);
        Assert.Equal(FreshnessStatus.Fresh, (await manager.CheckFreshnessAsync(stepped.Token!.Reveal(), new FreshnessRequirement(TimeSpan.FromMinutes(5)), Ct)).Status);
        Assert.Equal(SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel, stepped.Session!.SignInRisk);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SignIn_SanDiegoOverIPv4ThenIPv6_NothingNew(string store)
    {
        SessionManager manager = Manager(store);
        await SignInAsync(manager, "214.78.120.1");
        _time.Advance(TimeSpan.FromMinutes(1));

        SignInResult second = await SignInAsync(manager, "2001:480:10::1");

        Assert.True(second.IsSuccess);
        Assert.Equal(SignInRiskReason.None, second.Session!.SignInRisk);
        Assert.Equal("San Diego, US", second.Session.Location!.ToString());
        Assert.Empty(_events.Of<UnusualSignIn>());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SignIn_AddressTheDatabaseDoesNotKnow_LocationUnknownKeepsTheLastPlace(string store)
    {
        SessionManager manager = Manager(store);
        await SignInAsync(manager, "81.2.69.142");
        _time.Advance(TimeSpan.FromMinutes(5));

        SignInResult second = await SignInAsync(manager, "198.51.100.7");

        Assert.True(second.IsSuccess);
        Assert.Equal(SignInRiskReason.LocationUnknown, second.Session!.SignInRisk);
        Assert.Equal(LocationLookupStatus.NotFound, second.Risk!.LocationStatus);
        Assert.Null(second.Session.Location);

        // Another network makes another fingerprint, without a place; the London one keeps its place.
        IReadOnlyList<KnownDevice> devices = (await manager.Store.GetUserSecurityStateAsync(User, Ct)).KnownDevices;
        Assert.Equal(2, devices.Count);
        Assert.Equal("GB", devices[0].LastLocation!.CountryCode);
        Assert.Null(devices[1].LastLocation);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SignIn_ImpossibleTravelMappedToRefuse_CreatesNothingAndRemembersNothing(string store)
    {
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.ImpossibleTravel] = SignInRiskAction.Refuse;
        SessionManager manager = Manager(store, options);
        SignInResult first = await SignInAsync(manager, "81.2.69.142");
        _time.Advance(TimeSpan.FromHours(1));

        SignInResult refused = await SignInAsync(manager, "175.16.199.1");

        Assert.Equal(SignInStatus.RefusedByRisk, refused.Status);
        Assert.False(refused.IsSuccess);
        Assert.Null(refused.Token);
        Assert.True(refused.Risk!.Has(SignInRiskReason.ImpossibleTravel));
        Assert.NotNull(await manager.Store.FindAsync(first.Session!.Id, Ct));
        KnownDevice device = Assert.Single((await manager.Store.GetUserSecurityStateAsync(User, Ct)).KnownDevices);
        Assert.Equal("GB", device.LastLocation!.CountryCode);
        UnusualSignIn unusual = Assert.Single(_events.Of<UnusualSignIn>());
        Assert.True(unusual.IsRefused);
        Assert.Null(await manager.Store.FindAsync(unusual.SessionId, Ct));
        Assert.NotEqual(first.Session.Id, unusual.SessionId);
    }

    private SessionManager Manager(string store, SignInRiskOptions? options = null)
    {
        ISessionStore backing = store switch
        {
            "InMemory" => new InMemorySessionStore(),
            _ => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _files.File("sessions.db"), PurgeInterval = null }, _time),
        };
        if (backing is IDisposable disposable)
        {
            _stores.Add(disposable);
        }

        SessionManagerBuilder builder = new()
        {
            Store = backing,
            TimeProvider = _time,
            SignInRisk = new SignInRiskEvaluator(options, _provider),
        };
        builder.EventSinks.Add(_events);
        return builder.Build();
    }

    private static ValueTask<SignInResult> SignInAsync(SessionManager manager, string address) =>
        manager.SignInAsync(new SignInRequest(User) { Client = new ClientInfo(Firefox, address, Cookie) }, Ct);

    private sealed class Sink : ISessionEventSink
    {
        private readonly List<SessionEvent> _events = [];

        public IEnumerable<T> Of<T>()
            where T : SessionEvent
        {
            lock (_events)
            {
                return [.. _events.OfType<T>()];
            }
        }

        public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            lock (_events)
            {
                _events.Add(sessionEvent);
            }

            return ValueTask.CompletedTask;
        }
    }
}
