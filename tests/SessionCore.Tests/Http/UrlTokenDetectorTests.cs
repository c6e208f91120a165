using System;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Http;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed class UrlTokenDetectorTests
{
    [Theory]
    [InlineData("https://app.example/cb?access_token=abc")]
    [InlineData("https://app.example/cb?x=1&refresh_token=abc")]
    [InlineData("https://app.example/cb#access_token=abc&state=1")]
    [InlineData("/login?SESSION=abc")]
    [InlineData("/login?sid=abc")]
    [InlineData("/login?token")]
    [InlineData("/app;jsessionid=ABC123")]
    [InlineData("/login?id%5Ftoken=abc")]
    [InlineData("/login?%u0073id=abc")]
    [InlineData("/login?%U0073%U0069%U0064=abc")]
    [InlineData("/login?%2573id=abc")]
    [InlineData("/login?acc%u0065ss%255Ftoken=abc")]
    public void Inspect_SensitiveName_Flagged(string url) =>
        Assert.Equal(UrlTokenFinding.SensitiveParameterName, UrlTokenDetector.Inspect(url));

    [Fact]
    public void Inspect_SessionTokenValue_Flagged()
    {
        string token = SessionToken.Mint(TokenSource.System).Reveal();
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"https://app.example/x?next={token}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"https://app.example/x#{token}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"https://app.example/reset/{token}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"https://app.example/x?a=Bearer%20{token}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"https://app.example/x?r=scr_{new string('Q', 43)}"));
    }

    [Fact]
    public void Inspect_EncodedTokenValue_Flagged()
    {
        string secret = SessionToken.Mint(TokenSource.System).Reveal()["sc_".Length..];
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"/x?next=%u0073%u0063%u005F{secret}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"/x?next=%2573%2563_{secret}"));
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"/reset/%u0073c_{secret}"));
    }

    [Fact]
    public void Inspect_TripleEncodedToken_IsSeenThroughThreeRoundsOnly()
    {
        string secret = SessionToken.Mint(TokenSource.System).Reveal()["sc_".Length..];
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect($"/x?next=%252573c_{secret}"));
        Assert.Equal(UrlTokenFinding.None, UrlTokenDetector.Inspect($"/x?next=%25252573c_{secret}"));
    }

    [Fact]
    public void Inspect_JwtValue_Flagged()
    {
        const string Jwt = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        Assert.Equal(UrlTokenFinding.TokenLikeValue, UrlTokenDetector.Inspect("https://api.example/v1?x=" + Jwt));
        Assert.True(UrlTokenDetector.CarriesToken(new Uri("https://api.example/v1?x=" + Jwt)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://app.example/")]
    [InlineData("https://app.example/search?q=tokens+and+sessions&page=2")]
    [InlineData("/docs/sc_intro?lang=en")]
    [InlineData("https://app.example/a.b.c?v=1.2.3")]
    [InlineData("https://app.example/oauth/callback?code=abc&state=xyz")]
    [InlineData("%%%?%zz=%")]
    [InlineData("/x?q=%u12&r=%uZZZZ&s=%u")]
    [InlineData("/x?q=%u0041%u0042c")]
    public void Inspect_Ordinary_None(string? url) => Assert.Equal(UrlTokenFinding.None, UrlTokenDetector.Inspect(url));

    [Fact]
    public void Inspect_NullUri_None() => Assert.False(UrlTokenDetector.CarriesToken((Uri?)null));

    [Fact]
    public void Inspect_RelativeUri_Checked() =>
        Assert.True(UrlTokenDetector.CarriesToken(new Uri("/x?access_token=1", UriKind.Relative)));

    [Fact]
    public void Inspect_OneMegabyte_TooLong() =>
        Assert.Equal(UrlTokenFinding.TooLong, UrlTokenDetector.Inspect("https://a.example/?q=" + new string('a', 1 << 20)));

    [Property(MaxTest = 1000)]
    public bool Inspect_AnyString_NeverThrows(string? url) => Enum.IsDefined(UrlTokenDetector.Inspect(url));
}
