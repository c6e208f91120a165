using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.DependencyInjection;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.Risk;

/// <summary>The sign-in risk check inside <see cref="SessionManager.SignInAsync"/>: store calls, failures, actions, wiring.</summary>
public sealed class SessionManagerSignInRiskTests
{
    private const string User = "alice";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIn_WithRiskCheckAndClient_ReadsTheKnownDevicesThenCreates()
    {
        SessionFixture f = Fixture(new FixedProvider(London));

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142") }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, f.Store.TotalCalls);
        Assert.Equal(1, f.Store.Calls(nameof(ISessionStore.GetUserSecurityStateAsync)));
        Assert.Equal(1, f.Store.Calls(nameof(ISessionStore.CreateAsync)));
    }

    [Fact]
    public async Task SignIn_WithRiskCheckWithoutClient_OneCallAndNoVerdict()
    {
        SessionFixture f = Fixture(new FixedProvider(London));

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User), Ct);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Risk);
        Assert.Equal(SignInRiskReason.None, result.Session.SignInRisk);
        Assert.Null(result.Session.Location);
        Assert.Equal(1, f.Store.TotalCalls);
    }

    [Fact]
    public async Task SignIn_ProviderThrows_SignsInWithLocationUnknown()
    {
        SessionFixture f = Fixture(new ThrowingProvider());

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142") }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(SignInRiskReason.FirstSignIn | SignInRiskReason.LocationUnknown, result.Session.SignInRisk);
        Assert.Equal(LocationLookupStatus.Unavailable, result.Risk!.LocationStatus);
        Assert.Null(result.Session.Location);
    }

    [Fact]
    public async Task SignIn_ReadOfKnownDevicesFails_StoreUnavailableAndNothingWritten()
    {
        SessionFixture f = Fixture(new FixedProvider(London));
        f.Store.FailWhen = op => op == nameof(ISessionStore.GetUserSecurityStateAsync);

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142") }, Ct);

        Assert.Equal(SignInStatus.StoreUnavailable, result.Status);
        Assert.Equal(0, f.Store.Calls(nameof(ISessionStore.CreateAsync)));
        Assert.Empty(f.Events.Events);
    }

    [Fact]
    public async Task SignIn_NewDeviceMappedToRefuse_NoWriteAndRefusedEventWithoutAddress()
    {
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.NewDevice] = SignInRiskAction.Refuse;
        SessionFixture f = Fixture(new FixedProvider(London), options);
        Assert.True((await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142") }, Ct)).IsSuccess);
        f.Store.ResetCalls();

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = new ClientInfo("curl/8.0", "81.2.69.142", null) }, Ct);

        Assert.Equal(SignInStatus.RefusedByRisk, result.Status);
        Assert.Equal(SignInRiskReason.NewDevice, result.Risk!.Reasons);
        Assert.Equal(0, f.Store.Calls(nameof(ISessionStore.CreateAsync)));
        Assert.Single((await f.Inner.GetUserSecurityStateAsync(User, Ct)).KnownDevices);
        UnusualSignIn unusual = Assert.Single(f.Events.OfType<UnusualSignIn>());
        Assert.True(unusual.IsRefused);
        Assert.Equal("London, GB", unusual.Location!.ToString());
        Assert.DoesNotContain("81.2.69", unusual.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_StepUp_StartsWithoutFreshnessButKeepsTheLevel()
    {
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.FirstSignIn] = SignInRiskAction.RequireStepUp;
        SessionFixture f = Fixture(new FixedProvider(London), options);

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142"), AuthenticationLevel = 2 }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, result.Session.AuthenticationLevel);
        Assert.Equal(f.Time.GetUtcNow() - FreshnessRequirement.MaxAgeLimit, result.Session.AuthenticatedAt);
        Assert.Equal(FreshnessStatus.ReauthenticationRequired, f.Manager.CheckFreshness(result.Session, new FreshnessRequirement(FreshnessRequirement.MaxAgeLimit)).Status);
        Assert.Single(f.Events.OfType<UnusualSignIn>());
    }

    [Fact]
    public async Task SignIn_AllowedReasons_NoUnusualSignInEvent()
    {
        SessionFixture f = Fixture(new FixedProvider(London));

        SignInResult result = await f.Manager.SignInAsync(new SignInRequest(User) { Client = Client("81.2.69.142") }, Ct);

        Assert.Equal(SignInRiskReason.FirstSignIn, result.Session!.SignInRisk);
        Assert.Empty(f.Events.OfType<UnusualSignIn>());
        Assert.Equal(London, Assert.Single((await f.Inner.GetUserSecurityStateAsync(User, Ct)).KnownDevices).LastLocation);
    }

    [Fact]
    public void AddSignInRisk_WithRegisteredProvider_ManagerUsesIt()
    {
        ServiceCollection services = new();
        services.AddSingleton<ILocationProvider>(new FixedProvider(London));
        services.AddSessionCore().AddInMemoryStore().AddSignInRisk(o => o.MaxTravelSpeedKmh = 900);
        using ServiceProvider provider = services.BuildServiceProvider();

        SignInRiskEvaluator risk = provider.GetRequiredService<SessionManager>().SignInRisk!;

        Assert.Equal(900, risk.MaxTravelSpeedKmh);
        Assert.Equal(LocationLookupStatus.Found, risk.Locate(IPAddress.Loopback).Status);
    }

    [Fact]
    public void AddSignInRisk_InvalidMapping_ThrowsAtRegistration()
    {
        ServiceCollection services = new();
        SessionCoreBuilder builder = services.AddSessionCore().AddInMemoryStore();

        Assert.Throws<ArgumentException>(() => builder.AddSignInRisk(o => o.Actions[SignInRiskReason.NewDevice | SignInRiskReason.NewCountry] = SignInRiskAction.Refuse));
    }

    [Fact]
    public void WithDevice_ReSightingWithoutPlace_KeepsThePlaceAndItsTime()
    {
        DateTimeOffset t0 = SessionFixture.Start;
        KnownDevice placed = new KnownDevice("k", null, null, null, t0, t0) with { LastLocation = London, LastLocatedAt = t0 };
        UserSecurityState state = new UserSecurityState(User, 0, []).WithDevice(placed, 5, out _);

        UserSecurityState after = state.WithDevice(new KnownDevice("k", null, null, null, t0.AddHours(1), t0.AddHours(1)), 5, out bool isNew);

        Assert.False(isNew);
        KnownDevice device = Assert.Single(after.KnownDevices);
        Assert.Equal(t0.AddHours(1), device.LastSeenAt);
        Assert.Equal(London, device.LastLocation);
        Assert.Equal(t0, device.LastLocatedAt);
    }

    private static CoarseLocation London { get; } = CoarseLocation.FromLocation(new GeoLocation { CountryCode = "GB", City = "London", Latitude = 51.5, Longitude = -0.1, AccuracyRadiusKm = 50 })!;

    private static SessionFixture Fixture(ILocationProvider provider, SignInRiskOptions? options = null) =>
        new(build: b => b.SignInRisk = new SignInRiskEvaluator(options, provider));

    private static ClientInfo Client(string address) => new(Firefox, address, null);

    private sealed class FixedProvider(CoarseLocation place) : ILocationProvider
    {
        public LocationLookupResult Lookup(IPAddress address) => LocationLookupResult.Found(new GeoLocation
        {
            CountryCode = place.CountryCode, City = place.City, Latitude = place.Latitude, Longitude = place.Longitude, AccuracyRadiusKm = place.AccuracyRadiusKm - CoarseLocation.RoundingAllowanceKm,
        });
    }

    private sealed class ThrowingProvider : ILocationProvider
    {
        public LocationLookupResult Lookup(IPAddress address) => throw new InvalidOperationException("database gone");
    }
}
