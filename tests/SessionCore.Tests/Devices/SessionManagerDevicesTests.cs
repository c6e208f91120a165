using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.Devices;

// The manager runs on the in-memory store, whose calls complete synchronously; a test-cancellation token adds nothing here.
#pragma warning disable xUnit1051

public sealed class SessionManagerDevicesTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    [Fact]
    public async Task SignIn_FirstEver_IsNewAndMarkedFirstDevice()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();

        SignInResult result = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));

        Assert.True(result.IsNewDevice);
        Assert.True(result.DeviceChange.HasFlag(DeviceChange.FirstDevice));
        NewDeviceSignIn raised = Assert.Single(host.Events.Of<NewDeviceSignIn>());
        Assert.True(raised.IsFirstDevice);
        Assert.Equal("Firefox on Linux", raised.UserAgentFamily);
        Assert.Equal("203.0.113.0/24", raised.Network);
        Assert.Equal(result.Session!.Id, raised.SessionId);
    }

    [Fact]
    public async Task NewDeviceSignIn_CarriesNoRawAddressOrCookie()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();

        await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));

        string text = host.Events.Of<NewDeviceSignIn>()[0].ToString();
        Assert.DoesNotContain("203.0.113.9", text, StringComparison.Ordinal);
        Assert.DoesNotContain(deviceId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(deviceId[DeviceFingerprint.DeviceIdPrefix.Length..], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_SameDeviceAgain_IsNotNew()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();
        await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));
        host.Time.Advance(TimeSpan.FromHours(1));

        SignInResult again = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.50", deviceId));

        Assert.False(again.IsNewDevice);
        Assert.Equal(DeviceChange.None, again.DeviceChange);
        Assert.Single(host.Events.Of<NewDeviceSignIn>());
    }

    [Fact]
    public async Task SignIn_NewNetworkOnly_ReportsNewNetwork()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();
        await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));

        SignInResult moved = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "198.51.100.7", deviceId));

        Assert.True(moved.IsNewDevice);
        Assert.Equal(DeviceChange.NewNetwork, moved.DeviceChange);
        Assert.Equal(DeviceChange.NewNetwork, host.Events.Of<NewDeviceSignIn>()[1].Changes);
    }

    [Fact]
    public async Task SignIn_OtherBrowserWithoutCookie_ReportsDeviceIdAndFamily()
    {
        PolicyTestHost host = new();
        await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", host.Manager.MintDeviceId()));

        SignInResult other = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Chrome, "203.0.113.10", null));

        Assert.True(other.IsNewDevice);
        Assert.Equal(DeviceChange.NewDeviceId | DeviceChange.NewUserAgentFamily, other.DeviceChange);
    }

    [Fact]
    public async Task SignIn_KnownDevicesAreRememberedPerUser()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();
        await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));

        SignInResult bob = await host.SignInAsync("bob", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", deviceId));

        Assert.True(bob.IsNewDevice);
        Assert.True(bob.DeviceChange.HasFlag(DeviceChange.FirstDevice));
    }

    [Fact]
    public async Task SignIn_StoresDerivedDeviceOnly_NoRawAddressOrCookie()
    {
        PolicyTestHost host = new();
        string deviceId = host.Manager.MintDeviceId();

        SignInResult result = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "2001:db8:abcd:12::77", deviceId));

        Session stored = (await host.Store.FindAsync(result.Session!.Id))!;
        Assert.Equal("Firefox on Linux", stored.Device!.UserAgent);
        Assert.Equal("2001:db8:abcd::/48", stored.Device.Network);
        Assert.NotEqual(deviceId, stored.Device.DeviceId);
        UserSecurityState state = await host.Store.GetUserSecurityStateAsync("alice");
        KnownDevice known = Assert.Single(state.KnownDevices);
        Assert.Equal(stored.Device.DeviceId, known.DeviceIdHash);
        Assert.DoesNotContain(state.KnownDevices, d => d.Network == "2001:db8:abcd:12::77");
    }

    [Fact]
    public async Task SignIn_KnownDevicesBoundedByOption()
    {
        PolicyTestHost host = new(o => o.MaxKnownDevicesPerUser = 3);
        for (int i = 0; i < 6; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, $"203.0.{i}.9", null));
        }

        UserSecurityState state = await host.Store.GetUserSecurityStateAsync("alice");
        Assert.Equal(3, state.KnownDevices.Count);
        Assert.Equal(["203.0.3.0/24", "203.0.4.0/24", "203.0.5.0/24"], state.KnownDevices.Select(d => d.Network).Order());
    }

    [Fact]
    public async Task SignIn_WithoutClient_MakesNoDeviceCheck()
    {
        PolicyTestHost host = new();

        SignInResult result = await host.SignInAsync("alice");

        Assert.False(result.IsNewDevice);
        Assert.Equal(DeviceChange.None, result.DeviceChange);
        Assert.Empty(host.Events.Of<NewDeviceSignIn>());
        Assert.Empty((await host.Store.GetUserSecurityStateAsync("alice")).KnownDevices);
    }

    [Fact]
    public async Task SignIn_DeviceAndClientBoth_Throws()
    {
        PolicyTestHost host = new();
        await Assert.ThrowsAsync<ArgumentException>(() => host.SignInAsync("alice", r =>
        {
            r.Device = new SessionDevice("x", null, null);
            r.Client = new ClientInfo(Firefox, "203.0.113.9", null);
        }));
    }

    [Fact]
    public async Task SignIn_StoreFails_NeitherSessionNorDeviceIsRecorded()
    {
        // The device is remembered in the sign-in's own atomic step: a failed sign-in leaves no trace of it, and a later
        // successful sign-in from the same device is still reported as new.
        InMemorySessionStore inner = new();
        DelegatingStore store = new(inner) { FailWhen = op => op == nameof(ISessionStore.CreateAsync) };
        PolicyTestHost host = new(store: store);

        SignInResult failed = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", null));
        store.FailWhen = null;
        SignInResult later = await host.SignInAsync("alice", r => r.Client = new ClientInfo(Firefox, "203.0.113.9", null));

        Assert.Equal(SignInStatus.StoreUnavailable, failed.Status);
        Assert.True(later.IsNewDevice);
        Assert.Single(host.Events.Of<NewDeviceSignIn>());
        Assert.Single((await inner.GetUserSecurityStateAsync("alice", TestContext.Current.CancellationToken)).KnownDevices);
        Assert.Single((await host.Manager.ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public void MintDeviceId_IsRandomAndWellFormed()
    {
        PolicyTestHost host = new();
        string a = host.Manager.MintDeviceId();
        string b = host.Manager.MintDeviceId();

        Assert.NotEqual(a, b);
        Assert.True(DeviceFingerprint.IsWellFormedDeviceId(a));
        Assert.StartsWith(DeviceFingerprint.DeviceIdPrefix, a, StringComparison.Ordinal);
    }
}
