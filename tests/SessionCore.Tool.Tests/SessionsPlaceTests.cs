using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Location.MaxMind;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using Xunit;

namespace SessionCore.Tool.Tests;

/// <summary><c>sessions list</c> with places: kept at sign-in, or looked up by network with the MaxMind test databases.</summary>
public sealed class SessionsPlaceTests
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private static string City => Path.Combine(AppContext.BaseDirectory, "Vectors", "GeoIP2-City-Test.mmdb");

    private static string Asn => Path.Combine(AppContext.BaseDirectory, "Vectors", "GeoLite2-ASN-Test.mmdb");

    [Fact]
    public async Task List_WithoutDatabases_ShowsThePlaceKeptAtSignInOnly()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        (string london, string sanDiego) = await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice");

        Assert.Equal(0, code);
        Assert.Empty(error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("place London, GB", Assert.Single(lines, l => l.StartsWith(london, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith("place unknown", Assert.Single(lines, l => l.StartsWith(sanDiego, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithDatabases_PlacesTheRestByTheirNetwork()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        (string london, string sanDiego) = await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "list", "--json", "--litedb", file, "--user", "alice", "--geoip-city", City, "--geoip-asn", Asn);

        Assert.Equal(0, code);
        Assert.Empty(error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] sessions = [.. json.RootElement.EnumerateArray()];
        JsonElement first = Assert.Single(sessions, s => s.GetProperty("id").GetString() == london);
        Assert.Equal("London", first.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal("GB", first.GetProperty("location").GetProperty("country").GetString());
        Assert.Equal("sign-in", first.GetProperty("location").GetProperty("from").GetString());
        Assert.Equal(["FirstSignIn"], first.GetProperty("signInRisk").EnumerateArray().Select(r => r.GetString()));
        JsonElement second = Assert.Single(sessions, s => s.GetProperty("id").GetString() == sanDiego);
        Assert.Equal("San Diego", second.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal("US", second.GetProperty("location").GetProperty("country").GetString());
        Assert.Equal("network", second.GetProperty("location").GetProperty("from").GetString());
        Assert.Empty(second.GetProperty("signInRisk").EnumerateArray());
    }

    [Fact]
    public async Task List_UnreadableDatabase_ExitOneWithoutOutput()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice", "--geoip-city", tool.PathOf("missing.mmdb"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("GeoIP", error, StringComparison.Ordinal);
    }

    // One session placed at sign-in (London, through the risk check), one signed in without a check from San Diego's
    // IPv6 network, so only its coarse network is stored.
    private static async Task<(string London, string SanDiego)> SeedAsync(string file)
    {
        await using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null });
        using MaxMindLocationProvider places = new(new MaxMindLocationOptions { CityDatabasePath = City, ReloadCheckInterval = TimeSpan.Zero });
        SessionManager checkedManager = new SessionManagerBuilder { Store = store, SignInRisk = new SignInRiskEvaluator(null, places) }.Build();
        SessionManager plainManager = new SessionManagerBuilder { Store = store }.Build();
        SignInResult london = await checkedManager.SignInAsync(new SignInRequest("alice") { Client = new ClientInfo(Firefox, "81.2.69.142", null) });
        SignInResult sanDiego = await plainManager.SignInAsync(new SignInRequest("alice") { Client = new ClientInfo(Firefox, "2001:480:10::1", null) });
        return (london.Session!.Id.ToString(), sanDiego.Session!.Id.ToString());
    }
}
