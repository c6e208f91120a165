using System;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Devices;
using Xunit;

namespace SessionCore.Tests.Devices;

public sealed class UserAgentFamilyTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera on Windows")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15", "Firefox on iOS")]
    [InlineData("curl/8.5.0", "Other on Other")]
    [InlineData("\u0001\u0002garbage\r\n", "Other on Other")]
    public void Parse_KnownAgents_ReturnsFamily(string userAgent, string expected) =>
        Assert.Equal(expected, UserAgentFamily.Parse(userAgent));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Missing_ReturnsUnknown(string? userAgent) =>
        Assert.Equal(UserAgentFamily.Unknown, UserAgentFamily.Parse(userAgent));

    [Fact]
    public void Parse_MarkerBeyondBound_IsNotRead()
    {
        string agent = new string('x', UserAgentFamily.MaxInputLength) + " Firefox/128.0 (X11; Linux)";
        Assert.Equal("Other on Other", UserAgentFamily.Parse(agent));
    }

    [Fact]
    public void Parse_OneMegabyte_ReturnsQuickly()
    {
        string agent = new('A', 1 << 20);
        Assert.Equal("Other on Other", UserAgentFamily.Parse(agent));
    }

    [Property(MaxTest = 500)]
    public bool Parse_AnyString_NeverThrowsAndIsBounded(string? userAgent)
    {
        string family = UserAgentFamily.Parse(userAgent);
        return family.Length <= 40 && (family == UserAgentFamily.Unknown || family.Contains(" on ", StringComparison.Ordinal));
    }
}
