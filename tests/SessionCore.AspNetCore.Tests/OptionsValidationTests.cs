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
