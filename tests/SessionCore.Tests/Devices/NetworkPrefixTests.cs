using System.Net;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Devices;
using Xunit;

namespace SessionCore.Tests.Devices;

public sealed class NetworkPrefixTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("10.1.2.3", "10.1.2.0/24")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.0/24")]
    [InlineData("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48")]
    [InlineData("[2001:db8:abcd:12::1]", "2001:db8:abcd::/48")]
    [InlineData("fe80::1%3", "fe80::/48")]
    [InlineData("::1", "::/48")]
    [InlineData(" 198.51.100.9 ", "198.51.100.0/24")]
    public void FromString_Address_ReturnsCoarseNetwork(string address, string expected) =>
        Assert.Equal(expected, NetworkPrefix.FromString(address));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("999.1.1.1")]
    [InlineData("203.0.113.7, 10.0.0.1")]
    public void FromString_Junk_ReturnsNull(string? address) => Assert.Null(NetworkPrefix.FromString(address));

    [Fact]
    public void FromString_OverLongText_ReturnsNull() =>
        Assert.Null(NetworkPrefix.FromString("1.1.1.1" + new string(' ', NetworkPrefix.MaxAddressTextLength)));

    [Fact]
    public void FromAddress_MappedAndPlainIpv4_Agree() =>
        Assert.Equal(
            NetworkPrefix.FromAddress(IPAddress.Parse("192.0.2.200")),
            NetworkPrefix.FromAddress(IPAddress.Parse("192.0.2.1").MapToIPv6()));

    [Property(MaxTest = 300)]
    public bool FromAddress_AnyIpv4_KeepsOnlyFirstThreeOctets(byte a, byte b, byte c, byte d)
    {
        string? network = NetworkPrefix.FromAddress(new IPAddress([a, b, c, d]));
        return network == $"{a}.{b}.{c}.0/24";
    }

    [Property(MaxTest = 300)]
    public bool FromAddress_AnyIpv6_DropsLast80Bits(byte[] bytes)
    {
        byte[] address = new byte[16];
        System.Array.Copy(bytes, address, System.Math.Min(bytes.Length, 16));
        address[0] = 0x20; // keep it out of the IPv4-mapped range
        string? network = NetworkPrefix.FromAddress(new IPAddress(address));
        byte[] other = (byte[])address.Clone();
        for (int i = 6; i < 16; i++)
        {
            other[i] ^= 0xFF;
        }

        return network is not null && network.EndsWith("/48", System.StringComparison.Ordinal)
            && network == NetworkPrefix.FromAddress(new IPAddress(other));
    }

    [Property(MaxTest = 500)]
    public bool FromString_AnyString_NeverThrows(string? text)
    {
        string? network = NetworkPrefix.FromString(text);
        return network is null || network.EndsWith("/24", System.StringComparison.Ordinal) || network.EndsWith("/48", System.StringComparison.Ordinal);
    }
}
