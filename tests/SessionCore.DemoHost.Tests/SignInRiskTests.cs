using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// Places and the sign-in risk check through the running DemoHost: <c>--geoip-city</c>, <c>--geoip-asn</c> and
/// <c>--trusted-proxy</c>, with the client address sent as <c>X-Forwarded-For</c> from loopback (MaxMind's test
/// databases: their places are made up for testing).
/// </summary>
public sealed class SignInRiskTests
{
    private static string City => Path.Combine(AppContext.BaseDirectory, "Vectors", "GeoIP2-City-Test.mmdb");

    private static string Asn => Path.Combine(AppContext.BaseDirectory, "Vectors", "GeoLite2-ASN-Test.mmdb");

    [Fact]
    public async Task SignIn_LondonThenLinkopingAtOnce_SessionsShowPlacesAndTheSecondIsUnusual()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--geoip-city", City, "--geoip-asn", Asn, "--trusted-proxy", "127.0.0.1");
        using DemoClient client = host.CreateClient();

        string london = await client.SignInAsync("alice", "alice-password", null, ("X-Forwarded-For", "81.2.69.142"));
        string linkoping = await client.SignInAsync("alice", "alice-password", null, ("X-Forwarded-For", "203.0.113.9, 89.160.20.112"));

        JsonElement first = (await client.SessionInfoAsync(london))!.Value;
        Assert.Equal(["FirstSignIn"], Reasons(first));
        JsonElement second = (await client.SessionInfoAsync(linkoping))!.Value;
        Assert.Equal(["NewDevice", "NewCountry", "ImpossibleTravel"], Reasons(second));

        // Impossible travel requires a step-up: the session starts without fresh authentication.
        Assert.True(DateTimeOffset.Parse(second.GetProperty("authenticatedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.Parse(second.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddDays(-29));

        using HttpResponseMessage listed = await client.GetAsync("/api/sessions", linkoping);
        JsonElement[] sessions = [.. (await DemoClient.JsonAsync(listed)).EnumerateArray()];
        JsonElement here = sessions.Single(s => s.GetProperty("current").GetBoolean()).GetProperty("location");
        JsonElement there = sessions.Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("location");
        Assert.Equal("Linköping", here.GetProperty("city").GetString());
        Assert.Equal("SE", here.GetProperty("country").GetString());
        Assert.Equal("London", there.GetProperty("city").GetString());
        Assert.Equal("GB", there.GetProperty("country").GetString());
        Assert.Equal(["city", "country"], here.EnumerateObject().Select(p => p.Name));

        // The page tells the user; the first session's page does not.
        Assert.Contains("id=\"unusual-sign-in\"", await PageAsync(client, linkoping), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"unusual-sign-in\"", await PageAsync(client, london), StringComparison.Ordinal);

        // Events name places, never the address.
        Assert.Contains("unusual sign-in", host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("89.160.20.112", host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AddressTheDatabaseDoesNotKnow_LocationNullAndLocationUnknown()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--geoip-city", City, "--trusted-proxy", "127.0.0.1");
        using DemoClient client = host.CreateClient();

        string session = await client.SignInAsync("bob", "bob-password", null, ("X-Forwarded-For", "198.51.100.7"));

        Assert.Equal(["FirstSignIn", "LocationUnknown"], Reasons((await client.SessionInfoAsync(session))!.Value));
        using HttpResponseMessage listed = await client.GetAsync("/api/sessions", session);
        Assert.Equal(JsonValueKind.Null, (await DemoClient.JsonAsync(listed))[0].GetProperty("location").ValueKind);
    }

    [Fact]
    public async Task SignIn_ForwardedForWithoutTrustedProxy_IsIgnored()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync("--geoip-city", City);
        using DemoClient client = host.CreateClient();

        string session = await client.SignInAsync("alice", "alice-password", null, ("X-Forwarded-For", "81.2.69.142"));

        // The connection's own address (loopback) is what counts, and the database has no place for it.
        using HttpResponseMessage listed = await client.GetAsync("/api/sessions", session);
        Assert.Equal(JsonValueKind.Null, (await DemoClient.JsonAsync(listed))[0].GetProperty("location").ValueKind);
        Assert.Contains("LocationUnknown", Reasons((await client.SessionInfoAsync(session))!.Value));
    }

    [Fact]
    public async Task SignIn_WithoutGeoIp_RiskCheckStillFindsNewDevices()
    {
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();

        string first = await client.SignInAsync("alice", "alice-password");
        string second = await client.SignInAsync("alice", "alice-password");

        Assert.Equal(["FirstSignIn", "LocationUnknown"], Reasons((await client.SessionInfoAsync(first))!.Value));
        Assert.Equal(["NewDevice", "LocationUnknown"], Reasons((await client.SessionInfoAsync(second))!.Value));
    }

    [Fact]
    public async Task BadGeoIpOrProxyArguments_ExitWithUsage()
    {
        await AssertUsageAsync("--geoip-city", Path.Combine(AppContext.BaseDirectory, "Vectors", "missing.mmdb"));
        await AssertUsageAsync("--geoip-city", Asn);
        await AssertUsageAsync("--trusted-proxy", "proxy.example");
    }

    private static async Task AssertUsageAsync(params string[] arguments)
    {
        Exception? ex = await Record.ExceptionAsync(() => DemoHostProcess.StartAsync(arguments));
        Assert.IsType<InvalidOperationException>(ex);
        Assert.Contains("usage", ex.Message, StringComparison.Ordinal);
    }

    private static string[] Reasons(JsonElement session) =>
        [.. session.GetProperty("signInRisk").EnumerateArray().Select(r => r.GetString()!)];

    private static async Task<string> PageAsync(DemoClient client, string session)
    {
        using HttpResponseMessage page = await client.GetAsync("/", session, ("Accept", "text/html"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
