using System;
using System.Linq;
using System.Net;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed partial class ClientAddressResolverTests
{
    private static readonly IPAddress s_proxy = IPAddress.Parse("10.0.0.1");
    private static readonly ClientAddressResolver s_xff = Resolver(ForwardingHeader.XForwardedFor);
    private static readonly ClientAddressResolver s_forwarded = Resolver(ForwardingHeader.Forwarded);

    /// <summary>X-Forwarded-For from a trusted proxy (10.0.0.1): header, expected status, expected address.</summary>
    public static TheoryData<string?, ClientAddressStatus, string?> XForwardedForCorpus() => new()
    {
        { null, ClientAddressStatus.Connection, "10.0.0.1" },
        { "", ClientAddressStatus.Connection, "10.0.0.1" },
        { " \t ", ClientAddressStatus.Connection, "10.0.0.1" },
        { ", , ,", ClientAddressStatus.Connection, "10.0.0.1" },
        { "203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7, 10.0.0.2", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "198.51.100.1, 203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "198.51.100.1,203.0.113.7,10.0.0.2,10.0.0.3", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "10.9.9.9, 10.0.0.2", ClientAddressStatus.Forwarded, "10.9.9.9" },
        { "garbage!!\"', 203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "10.0.0.5, 10.0.0.6, 203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7,, \t ,10.0.0.2", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7:8080", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "[2001:db8::1]:443", ClientAddressStatus.Forwarded, "2001:db8::1" },
        { "[2001:db8::1]", ClientAddressStatus.Forwarded, "2001:db8::1" },
        { "2001:db8::1", ClientAddressStatus.Forwarded, "2001:db8::1" },
        { "2001:db8:ffff::9", ClientAddressStatus.Forwarded, "2001:db8:ffff::9" },
        { "203.0.113.7, 2001:db8:ffff::1", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7, 2001:db8:fffe::1", ClientAddressStatus.Forwarded, "2001:db8:fffe::1" },
        { "::ffff:203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "::ffff:10.0.0.3", ClientAddressStatus.Forwarded, "10.0.0.3" },
        { "203.0.113.7, garbage", ClientAddressStatus.Malformed, null },
        { "unknown", ClientAddressStatus.Obfuscated, null },
        { "UNKNOWN, 10.0.0.2", ClientAddressStatus.Obfuscated, null },
        { "_hidden", ClientAddressStatus.Obfuscated, null },
        { "_", ClientAddressStatus.Malformed, null },
        { "_hid den", ClientAddressStatus.Malformed, null },
        { "10.1", ClientAddressStatus.Malformed, null },
        { "3405803783", ClientAddressStatus.Malformed, null },
        { "0x7f.0.0.1", ClientAddressStatus.Malformed, null },
        { "010.0.0.1", ClientAddressStatus.Malformed, null },
        { "1.2.3.4.5", ClientAddressStatus.Malformed, null },
        { "256.1.1.1", ClientAddressStatus.Malformed, null },
        { "1.2.3.", ClientAddressStatus.Malformed, null },
        { "1..3.4", ClientAddressStatus.Malformed, null },
        { "+1.2.3.4", ClientAddressStatus.Malformed, null },
        { "１.2.3.4", ClientAddressStatus.Malformed, null },
        { "fe80::1%eth0", ClientAddressStatus.Malformed, null },
        { "[fe80::1%25eth0]", ClientAddressStatus.Malformed, null },
        { "::1.2.3", ClientAddressStatus.Malformed, null },
        { "::ffff:010.0.0.1", ClientAddressStatus.Malformed, null },
        { "2001:db8::1::2", ClientAddressStatus.Malformed, null },
        { "2001:db8:0:0:0:0:0:0:1", ClientAddressStatus.Malformed, null },
        { "example.com", ClientAddressStatus.Malformed, null },
        { "203.0.113.7:99999", ClientAddressStatus.Malformed, null },
        { "203.0.113.7:", ClientAddressStatus.Malformed, null },
        { "203.0.113.7:80:80", ClientAddressStatus.Malformed, null },
        { "203.0.113.7:-1", ClientAddressStatus.Malformed, null },
        { "203.0.113.7:_port", ClientAddressStatus.Malformed, null },
        { "[203.0.113.7]", ClientAddressStatus.Malformed, null },
        { "[2001:db8::1", ClientAddressStatus.Malformed, null },
        { "[2001:db8::1]x", ClientAddressStatus.Malformed, null },
        { "\"203.0.113.7\"", ClientAddressStatus.Malformed, null },
        { "203.0.113.7\u0000", ClientAddressStatus.Malformed, null },
        { "203.0.113.7 10.0.0.2", ClientAddressStatus.Malformed, null },
        { "203.0.113.7;10.0.0.2", ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7", ClientAddressStatus.Malformed, null },
        { "203.0.113.7, " + string.Join(", ", Enumerable.Repeat("10.0.0.2", 15)), ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7, " + string.Join(", ", Enumerable.Repeat("10.0.0.2", 16)), ClientAddressStatus.TooManyHops, null },
        { new string('x', 100_000) + ", 203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { new string(',', 100_000) + "203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7, " + new string(' ', 5_000) + "10.0.0.2", ClientAddressStatus.TooLong, null },
        { "203.0.113.7" + new string(' ', 5_000), ClientAddressStatus.TooLong, null },
    };

    /// <summary>Forwarded (RFC 7239) from a trusted proxy (10.0.0.1): header, expected status, expected address.</summary>
    public static TheoryData<string?, ClientAddressStatus, string?> ForwardedCorpus() => new()
    {
        { null, ClientAddressStatus.Connection, "10.0.0.1" },
        { "", ClientAddressStatus.Connection, "10.0.0.1" },
        { "for=203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "For=203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "FOR=\"203.0.113.7\"", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=\"[2001:db8:cafe::17]:4711\"", ClientAddressStatus.Forwarded, "2001:db8:cafe::17" },
        { "for=\"[2001:db8:cafe::17]\"", ClientAddressStatus.Forwarded, "2001:db8:cafe::17" },
        { "for=\"203.0.113.7:_port\"", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=\"\\2\\0\\3.0.113.7\"", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=192.0.2.43, for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com", ClientAddressStatus.Forwarded, "198.51.100.17" },
        { "for=203.0.113.7;proto=https, for=10.0.0.2", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "proto=https;for=203.0.113.7;by=10.0.0.1", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=203.0.113.7;", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=203.0.113.7 ; proto=https", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=203.0.113.7, , for=10.0.0.2", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=10.9.9.9, for=10.0.0.2", ClientAddressStatus.Forwarded, "10.9.9.9" },
        { "for=\"evil, for=203.0.113.66\", for=198.51.100.1", ClientAddressStatus.Forwarded, "198.51.100.1" },
        { "for=\"abc, for=198.51.100.1", ClientAddressStatus.Forwarded, "198.51.100.1" },
        { "for=\"x\\\", for=203.0.113.66\", for=198.51.100.1, for=10.0.0.2", ClientAddressStatus.Forwarded, "198.51.100.1" },
        { "host=\"a,b\";for=198.51.100.1", ClientAddressStatus.Forwarded, "198.51.100.1" },
        { "host=\"a\\\\\";for=198.51.100.1", ClientAddressStatus.Forwarded, "198.51.100.1" },
        { "for=unknown", ClientAddressStatus.Obfuscated, null },
        { "for=_hidden, for=10.0.0.2", ClientAddressStatus.Obfuscated, null },
        { "for=\"_gazonk\"", ClientAddressStatus.Obfuscated, null },
        { "for=[2001:db8::1]", ClientAddressStatus.Malformed, null },
        { "for=\"2001:db8::1\"", ClientAddressStatus.Malformed, null },
        { "for=\"[203.0.113.7]\"", ClientAddressStatus.Malformed, null },
        { "for=\"[2001:db8::1]:http\"", ClientAddressStatus.Malformed, null },
        { "by=10.0.0.2", ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7;for=198.51.100.1", ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7;FOR=198.51.100.1", ClientAddressStatus.Malformed, null },
        { "for=\"203.0.113.7", ClientAddressStatus.Malformed, null },
        { "203.0.113.7\"", ClientAddressStatus.Malformed, null },
        { "for = 203.0.113.7", ClientAddressStatus.Malformed, null },
        { "for=", ClientAddressStatus.Malformed, null },
        { "=203.0.113.7", ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7 proto=https", ClientAddressStatus.Malformed, null },
        { "for=\"203.0.113.7\"x", ClientAddressStatus.Malformed, null },
        { "for=\"203.0.113.7\\", ClientAddressStatus.Malformed, null },
        { "for=\"\\\"10.0.0.2\"", ClientAddressStatus.Malformed, null },
        { "for=\"203.0.113.7\u0001\"", ClientAddressStatus.Malformed, null },
        { "for=\"" + new string('1', 100) + "\"", ClientAddressStatus.Malformed, null },
        { "for=" + new string('1', 100), ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "203.0.113.7", ClientAddressStatus.Malformed, null },
        { "for=203.0.113.7, " + string.Join(", ", Enumerable.Repeat("for=10.0.0.2", 16)), ClientAddressStatus.TooManyHops, null },
        { new string('"', 100_001) + ", for=203.0.113.7", ClientAddressStatus.Forwarded, "203.0.113.7" },
        { "for=\"" + new string(',', 5_000) + "203.0.113.7\"", ClientAddressStatus.TooLong, null },
        { "for=203.0.113.7, " + new string(' ', 5_000) + "for=10.0.0.2", ClientAddressStatus.TooLong, null },
    };

    [Theory]
    [MemberData(nameof(XForwardedForCorpus))]
    public void Resolve_XForwardedForCorpus_GivesTheExactResult(string? header, ClientAddressStatus status, string? address) =>
        AssertResult(s_xff.Resolve(s_proxy, "for=192.0.2.99", header), status, address);

    [Theory]
    [MemberData(nameof(ForwardedCorpus))]
    public void Resolve_ForwardedCorpus_GivesTheExactResult(string? header, ClientAddressStatus status, string? address) =>
        AssertResult(s_forwarded.Resolve(s_proxy, header, "192.0.2.99"), status, address);

    [Fact]
    public void Resolve_UntrustedPeer_IgnoresEveryHeader() =>
        AssertResult(s_xff.Resolve(IPAddress.Parse("198.51.100.9"), "for=203.0.113.7", "203.0.113.7"), ClientAddressStatus.Connection, "198.51.100.9");

    [Fact]
    public void Resolve_NoTrustedProxyConfigured_IgnoresEveryHeader() =>
        AssertResult(new ClientAddressResolver(new ClientAddressOptions()).Resolve(s_proxy, "for=203.0.113.7", "203.0.113.7"), ClientAddressStatus.Connection, "10.0.0.1");

    [Fact]
    public void Resolve_NoConnectionAddress_IsUnknownWhateverTheHeader()
    {
        ClientAddressResult result = s_xff.Resolve(null, null, "203.0.113.7");

        Assert.Equal(ClientAddressStatus.NoConnectionAddress, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public void Resolve_MappedConnectionAddress_IsTrustedAndReportedAsIPv4()
    {
        AssertResult(s_xff.Resolve(IPAddress.Parse("::ffff:10.0.0.1"), null, "203.0.113.7"), ClientAddressStatus.Forwarded, "203.0.113.7");
        AssertResult(s_xff.Resolve(IPAddress.Parse("::ffff:198.51.100.9"), null, "203.0.113.7"), ClientAddressStatus.Connection, "198.51.100.9");
    }

    [Fact]
    public void Resolve_OnlyTheConfiguredHeaderIsRead()
    {
        AssertResult(s_forwarded.Resolve(s_proxy, null, "203.0.113.66"), ClientAddressStatus.Connection, "10.0.0.1");
        AssertResult(s_xff.Resolve(s_proxy, "for=203.0.113.66", null), ClientAddressStatus.Connection, "10.0.0.1");
    }

    [Fact]
    public void Resolve_SmallerCaps_AreHonoured()
    {
        ClientAddressOptions options = new() { MaxHops = 2, MaxHeaderLength = 256 };
        options.TrustedProxies.Add("10.0.0.0/8");
        ClientAddressResolver resolver = new(options);

        AssertResult(resolver.Resolve(s_proxy, null, "203.0.113.7, 10.0.0.2"), ClientAddressStatus.Forwarded, "203.0.113.7");
        AssertResult(resolver.Resolve(s_proxy, null, "203.0.113.7, 10.0.0.2, 10.0.0.3"), ClientAddressStatus.TooManyHops, null);
        AssertResult(resolver.Resolve(s_proxy, null, "203.0.113.7, " + new string(' ', 250) + "10.0.0.2"), ClientAddressStatus.TooLong, null);
    }

    [Fact]
    public void HeaderName_FollowsTheConfiguration()
    {
        Assert.Equal("X-Forwarded-For", s_xff.HeaderName);
        Assert.Equal("Forwarded", s_forwarded.HeaderName);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData(" 192.0.2.0/24 ", "::ffff:192.0.2.200", true)]
    [InlineData("2001:db8::/32", "2001:db8:1234::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    public void IsTrustedProxy_Entries_MatchAsConfigured(string entry, string address, bool expected)
    {
        ClientAddressOptions options = new();
        options.TrustedProxies.Add(entry);
        Assert.Equal(expected, new ClientAddressResolver(options).IsTrustedProxy(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.1/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("example.com")]
    [InlineData("")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.0/8, 192.0.2.0/24")]
    public void Constructor_InvalidTrustedProxy_Throws(string entry)
    {
        ClientAddressOptions options = new();
        options.TrustedProxies.Add(entry);
        Assert.Throws<ArgumentException>(() => new ClientAddressResolver(options));
    }

    [Fact]
    public void Constructor_NullEntryOrBadBounds_Throw()
    {
        ClientAddressOptions withNull = new();
        withNull.TrustedProxies.Add(null!);
        Assert.Throws<ArgumentException>(() => new ClientAddressResolver(withNull));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientAddressResolver(new ClientAddressOptions { MaxHops = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientAddressResolver(new ClientAddressOptions { MaxHops = 65 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientAddressResolver(new ClientAddressOptions { MaxHeaderLength = 255 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientAddressResolver(new ClientAddressOptions { MaxHeaderLength = 65_537 }));
        Assert.Throws<ArgumentException>(() => new ClientAddressResolver(new ClientAddressOptions { Header = (ForwardingHeader)2 }));
        Assert.Throws<ArgumentNullException>(() => new ClientAddressResolver(null!));
    }

    [Fact]
    public void Result_ToString_ShowsTheStatusNotTheAddress()
    {
        ClientAddressResult result = s_xff.Resolve(s_proxy, null, "203.0.113.7");

        Assert.Equal("Forwarded", result.ToString());
        Assert.True(result.TryGetValue(out IPAddress? address));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), address);
    }

    private static ClientAddressResolver Resolver(ForwardingHeader header)
    {
        ClientAddressOptions options = new() { Header = header };
        options.TrustedProxies.Add("10.0.0.0/8");
        options.TrustedProxies.Add("2001:db8:ffff::/48");
        return new ClientAddressResolver(options);
    }

    private static void AssertResult(ClientAddressResult result, ClientAddressStatus status, string? address)
    {
        Assert.Equal(status, result.Status);
        Assert.Equal(address, result.TryGetValue(out IPAddress? value) ? value.ToString() : null);
    }
}
