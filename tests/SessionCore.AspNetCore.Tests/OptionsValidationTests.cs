using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Http;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task Start_BadCookieOptions_ReportsEveryProblemAtOnce()
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(services: s =>
            s.Configure<SessionCookieAuthenticationOptions>(SessionCookieDefaults.AuthenticationScheme, o =>
            {
                o.Cookie = new SessionCookieOptions { Name = "__Host-session", Domain = "example.com" };
                o.DeviceCookie = new SessionCookieOptions { Name = "__Host-session" };
                o.AuthenticationContextClasses[0] = "urn:zero";
            })));

        Assert.Equal(3, e.Failures is System.Collections.Generic.IEnumerable<string> f ? System.Linq.Enumerable.Count(f) : 0);
    }

    [Fact]
    public async Task Start_BearerWithoutAccessTokens_FailsAtStartUp()
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(services: s =>
            s.RemoveAll<Jwt.AccessTokenValidator>(), oauth: false));

        Assert.Contains("AddAccessTokens", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DpopWithoutAddDpopAndABadOrigin_ReportsBothAtOnce()
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(bearer: o =>
        {
            o.AcceptDpop = true;
            o.PublicOrigin = "https://api.example/path";
        }));

        Assert.Equal(2, System.Linq.Enumerable.Count(e.Failures));
        Assert.Contains("AddDpop", e.Message, StringComparison.Ordinal);
        Assert.Contains("PublicOrigin", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.example/")]
    [InlineData("https://api.example?x=1")]
    [InlineData("https://api.example#f")]
    [InlineData("https://user@api.example")]
    [InlineData("ftp://api.example")]
    [InlineData("api.example")]
    [InlineData("")]
    public async Task Start_BadPublicOrigin_FailsAtStartUp(string origin)
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(dpop: _ => { }, bearer: o => o.PublicOrigin = origin));

        Assert.Contains("PublicOrigin", Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.example")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("https://[::1]:8443")]
    public async Task Start_GoodPublicOrigin_Starts(string origin)
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { }, bearer: o => o.PublicOrigin = origin);

        Assert.NotNull(app.Client);
    }

    [Fact]
    public void AddCsrfProtection_BadOptions_ListsEveryProblem()
    {
        ServiceCollection services = new();

        ArgumentException e = Assert.Throws<ArgumentException>(() => services.AddSessionCore().AddCsrfProtection(o =>
        {
            o.ExpectedOrigin = "https://app.example/path";
            o.HeaderName = "X CSRF";
            o.Key = new byte[8];
        }));

        Assert.Contains("ExpectedOrigin", e.Message, StringComparison.Ordinal);
        Assert.Contains("HeaderName", e.Message, StringComparison.Ordinal);
        Assert.Contains("Key", e.Message, StringComparison.Ordinal);
    }
}
