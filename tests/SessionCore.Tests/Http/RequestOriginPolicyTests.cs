using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed class RequestOriginPolicyTests
{
    private static readonly RequestOriginPolicy Policy = new("https://app.example.com");

    [Theory]
    [InlineData("GET", "cross-site", "https://evil.example")]
    [InlineData("HEAD", null, null)]
    [InlineData("OPTIONS", "cross-site", null)]
    [InlineData("TRACE", "cross-site", "https://evil.example")]
    public void Evaluate_SafeMethod_Allowed(string method, string? site, string? origin) =>
        Assert.Equal(new OriginCheckResult(true, OriginCheckReason.SafeMethod), Policy.Evaluate(method, site, origin));

    [Theory]
    [InlineData("POST", "same-origin", null, true, OriginCheckReason.SameOrigin)]
    [InlineData("POST", "same-origin", "https://app.example.com", true, OriginCheckReason.SameOrigin)]
    [InlineData("DELETE", "none", null, true, OriginCheckReason.UserInitiated)]
    [InlineData("POST", "cross-site", "https://evil.example", false, OriginCheckReason.CrossSite)]
    [InlineData("PUT", "cross-site", "https://evil.example", false, OriginCheckReason.CrossSite)]
    [InlineData("PATCH", "cross-site", "https://evil.example", false, OriginCheckReason.CrossSite)]
    [InlineData("DELETE", "cross-site", null, false, OriginCheckReason.CrossSite)]
    [InlineData("PUT", null, "https://evil.example", false, OriginCheckReason.OriginMismatch)]
    [InlineData("PATCH", null, null, false, OriginCheckReason.MissingHeaders)]
    [InlineData("POST", "same-site", "https://sub.app.example.com", false, OriginCheckReason.SameSite)]
    [InlineData("POST", "same-origin", "https://evil.example", false, OriginCheckReason.OriginMismatch)]
    [InlineData("POST", "bogus", null, false, OriginCheckReason.InvalidHeader)]
    [InlineData("POST", null, "https://app.example.com", true, OriginCheckReason.SameOrigin)]
    [InlineData("POST", null, "HTTPS://APP.EXAMPLE.COM", true, OriginCheckReason.SameOrigin)]
    [InlineData("POST", null, "https://app.example.com:8443", false, OriginCheckReason.OriginMismatch)]
    [InlineData("POST", null, "http://app.example.com", false, OriginCheckReason.OriginMismatch)]
    [InlineData("POST", null, "null", false, OriginCheckReason.OriginMismatch)]
    [InlineData("POST", null, null, false, OriginCheckReason.MissingHeaders)]
    [InlineData("get", "cross-site", null, false, OriginCheckReason.CrossSite)]
    [InlineData(null, "cross-site", null, false, OriginCheckReason.CrossSite)]
    public void Evaluate_UnsafeMethod_Decides(string? method, string? site, string? origin, bool allowed, OriginCheckReason reason) =>
        Assert.Equal(new OriginCheckResult(allowed, reason), Policy.Evaluate(method, site, origin));

    [Fact]
    public void Evaluate_NoHeadersWhenAllowed_Allowed() =>
        Assert.Equal(
            new OriginCheckResult(true, OriginCheckReason.NoBrowserHeaders),
            new RequestOriginPolicy("https://api.example.com/", allowRequestsWithoutBrowserHeaders: true).Evaluate("POST", null, null));

    [Theory]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("https://app.example.com/", "https://app.example.com")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    [InlineData("HTTPS://App.Example.COM", "https://app.example.com")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("https://xn--bcher-kva.example", "https://xn--bcher-kva.example")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080")]
    [InlineData("http://127.0.0.1:80", "http://127.0.0.1")]
    [InlineData("http://[fe80::1%25eth0]:8080", "http://[fe80::1]:8080")]
    public void Constructor_NormalisesOrigin(string configured, string expected) =>
        Assert.Equal(expected, new RequestOriginPolicy(configured).ExpectedOrigin);

    [Fact]
    public void Evaluate_InternationalisedHost_MatchesTheAsciiOriginBrowsersSend()
    {
        RequestOriginPolicy policy = new("https://bücher.example");

        Assert.True(policy.Evaluate("POST", "same-origin", "https://xn--bcher-kva.example").IsAllowed);
        Assert.False(policy.Evaluate("POST", null, "https://bücher.example.evil").IsAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app.example.com")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com/?q=1")]
    [InlineData("https://user@app.example.com")]
    public void Constructor_NotAnOrigin_Throws(string origin) =>
        Assert.Throws<ArgumentException>(() => new RequestOriginPolicy(origin));

    [Property(MaxTest = 500)]
    public Property Evaluate_AnyHeaders_NeverThrowsAndNeverAllowsCrossSiteUnsafeMethods()
    {
        // Real method names (each safe and unsafe one) mixed with arbitrary strings, so a method wrongly treated
        // as safe or unsafe is drawn often rather than almost never.
        Gen<string?> method = Gen.OneOf(
            Gen.Elements<string?>("GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"),
            ArbMap.Default.GeneratorFor<string?>());
        Gen<string?> origin = Gen.OneOf(
            Gen.Elements<string?>(null, "https://app.example.com", "https://evil.example"),
            ArbMap.Default.GeneratorFor<string?>());

        return Prop.ForAll(method.ToArbitrary(), origin.ToArbitrary(), (m, o) =>
        {
            OriginCheckResult result = Policy.Evaluate(m, "cross-site", o);
            bool safe = m is "GET" or "HEAD" or "OPTIONS" or "TRACE";
            return result == (safe ? new OriginCheckResult(true, OriginCheckReason.SafeMethod) : new OriginCheckResult(false, OriginCheckReason.CrossSite));
        });
    }
}
