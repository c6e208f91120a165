using FsCheck;
using FsCheck.Xunit;
using SessionCore.Devices;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Devices;

public sealed class DeviceFingerprintTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public void FromClient_WellFormedDeviceId_StoresOnlyItsHash()
    {
        string deviceId = TokenSource.System.NewSecret(DeviceFingerprint.DeviceIdPrefix);
        DeviceFingerprint fingerprint = DeviceFingerprint.FromClient(new ClientInfo(Firefox, "203.0.113.9", deviceId));

        Assert.NotNull(fingerprint.DeviceIdHash);
        Assert.DoesNotContain(deviceId[DeviceFingerprint.DeviceIdPrefix.Length..], fingerprint.DeviceIdHash!, System.StringComparison.Ordinal);
        Assert.Equal("Firefox on Linux", fingerprint.UserAgentFamily);
        Assert.Equal("203.0.113.0/24", fingerprint.Network);
        SessionDevice device = fingerprint.ToSessionDevice();
        Assert.Equal(new SessionDevice("Firefox on Linux", "203.0.113.0/24", fingerprint.DeviceIdHash), device);
        Assert.DoesNotContain("203.0.113.9", fingerprint.ToString(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chosen-by-attacker")]
    [InlineData("scd_short")]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void FromClient_MalformedDeviceId_IsIgnored(string cookie) =>
        Assert.Null(DeviceFingerprint.FromClient(new ClientInfo(Firefox, "203.0.113.9", cookie)).DeviceIdHash);

    [Fact]
    public void Key_SameParts_Equal_DifferentNetwork_Differs()
    {
        string deviceId = TokenSource.System.NewSecret(DeviceFingerprint.DeviceIdPrefix);
        DeviceFingerprint a = DeviceFingerprint.FromClient(new ClientInfo(Firefox, "203.0.113.9", deviceId));
        DeviceFingerprint b = DeviceFingerprint.FromClient(new ClientInfo(Firefox, "203.0.113.200", deviceId));
        DeviceFingerprint c = DeviceFingerprint.FromClient(new ClientInfo(Firefox, "203.0.114.9", deviceId));

        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a.Key, c.Key);
    }

    [Fact]
    public void ClientInfo_ToString_ShowsNoAddressOrCookie()
    {
        string deviceId = TokenSource.System.NewSecret(DeviceFingerprint.DeviceIdPrefix);
        string text = new ClientInfo(Firefox, "203.0.113.9", deviceId).ToString();
        Assert.DoesNotContain("203.0.113", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain(deviceId, text, System.StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool FromClient_AnyInput_NeverThrows(string? userAgent, string? address, string? cookie)
    {
        DeviceFingerprint fingerprint = DeviceFingerprint.FromClient(new ClientInfo(userAgent, address, cookie));
        return fingerprint.Key.Length == 43 && fingerprint.DeviceIdHash is null;
    }
}
