using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.Dbsc;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>Start-up checks of <c>AddDbsc</c> and <c>MapSessionCoreDbsc</c>, and how the key is shared.</summary>
public sealed partial class DbscTests
{
    private static readonly SessionId s_sessionId = SessionId.Parse(new string('A', 43));
    private static readonly string s_thumbprint = new string('B', 42) + "A";

    [Fact]
    public void AddDbsc_EveryOptionWrong_ReportsEveryProblemAtOnce()
    {
        ServiceCollection services = new();

        ArgumentException e = Assert.Throws<ArgumentException>(() => services.AddSessionCore().AddDbsc(o =>
        {
            o.Key = new byte[16];
            o.BoundCookie = new DbscBoundCookieOptions { Name = "dbsc", MaxAge = TimeSpan.FromDays(1) };
            o.ChallengeLifetime = TimeSpan.FromSeconds(1);
            o.RegistrationPath = "//evil.example/register";
            o.RefreshPath = "/dbsc/{refresh}";
            o.Origin = "http://app.example";
            o.RequireBinding = _ => true;
            o.OfferRegistration = false;
            o.SessionScheme = " ";
        }));

        foreach (string property in new[] { "Key:", "BoundCookie:", "ChallengeLifetime:", "RegistrationPath:", "RefreshPath:", "Origin:", "OfferRegistration:", "SessionScheme:" })
        {
            Assert.Contains(property, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("dbsc/register")]
    [InlineData("/dbsc?x=1")]
    [InlineData("/dbsc#x")]
    [InlineData("/dbsc\\register")]
    [InlineData("https://app.example/dbsc/register")]
    [InlineData("/dbsc/\u00e9")]
    public void AddDbsc_PathNotOriginRelative_IsRefused(string path)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddDbsc(o => o.RegistrationPath = path));

        Assert.Contains("RegistrationPath:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDbsc_SamePathTwice_IsRefused()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddDbsc(o => o.RefreshPath = "/DBSC/register"));

        Assert.Contains("RefreshPath: the refresh endpoint needs a path of its own.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDbsc_NullBoundCookie_IsRefused()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddDbsc(o => o.BoundCookie = null!));

        Assert.Contains("BoundCookie: required.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDbsc_Message_NeverContainsTheKey()
    {
        byte[] key = new byte[31];
        Array.Fill(key, (byte)0x5A);

        ArgumentException e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddDbsc(o => o.Key = key));

        Assert.DoesNotContain("WlpaWlpa", e.Message, StringComparison.Ordinal); // base64 of the key bytes
        Assert.DoesNotContain("5A5A", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MapSessionCoreDbsc_WithoutAddDbsc_FailsAtStartUp()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using WebApplication app = builder.Build();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => app.MapSessionCoreDbsc());

        Assert.Contains("AddDbsc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDbsc_ConfiguredKey_IsSharedByEveryNode()
    {
        byte[] key = new byte[32];
        key[0] = 1;
        await using DbscTestApp first = await DbscTestApp.StartAsync(o => o.Key = key);
        key[0] = 2; // the options were copied at registration
        await using DbscTestApp second = await DbscTestApp.StartAsync(o => o.Key = new byte[32] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        string cookie = CookieValueOf(first.Services.GetRequiredService<DbscBoundCookieService>().Issue(s_sessionId, s_thumbprint, first.Time.GetUtcNow().AddHours(1)));
        string challenge = first.Services.GetRequiredService<DbscChallengeService>().Issue(s_sessionId, DbscChallengePurpose.Refresh);

        Assert.Equal(DbscBoundCookieStatus.Valid, second.Services.GetRequiredService<DbscBoundCookieService>().Verify(cookie, s_sessionId, s_thumbprint).Status);
        Assert.True(second.Services.GetRequiredService<DbscChallengeService>().Verify(challenge, s_sessionId, DbscChallengePurpose.Refresh).IsSuccess);
    }

    [Fact]
    public async Task AddDbsc_NoKey_GeneratesOnePerProcess()
    {
        await using DbscTestApp first = await DbscTestApp.StartAsync();
        await using DbscTestApp second = await DbscTestApp.StartAsync();
        string cookie = CookieValueOf(first.Services.GetRequiredService<DbscBoundCookieService>().Issue(s_sessionId, s_thumbprint, first.Time.GetUtcNow().AddHours(1)));

        Assert.Equal(DbscBoundCookieStatus.Valid, first.Services.GetRequiredService<DbscBoundCookieService>().Verify(cookie, s_sessionId, s_thumbprint).Status);
        Assert.NotEqual(DbscBoundCookieStatus.Valid, second.Services.GetRequiredService<DbscBoundCookieService>().Verify(cookie, s_sessionId, s_thumbprint).Status);
    }

    [Fact]
    public async Task AddDbsc_Services_ShareOneInstanceWithTheHandler()
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync(o => o.BoundCookie.Name = "__Host-bound");

        Assert.Equal("__Host-bound", app.Services.GetRequiredService<DbscBoundCookieService>().Name);
        Assert.Same(app.Services.GetRequiredService<DbscSessionService>(), app.Services.GetRequiredService<DbscSessionService>());
    }

    private static string CookieValueOf(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
