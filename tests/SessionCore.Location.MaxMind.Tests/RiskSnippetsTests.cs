using System;
using System.Net;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.DocSnippets;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

// Runs the sign-in risk code shown in docs/concepts/location-risk.md on the MaxMind test databases.
public sealed class RiskSnippetsTests
{
    [Fact]
    public async Task SignInRisk_LinkopingAfterLondon_StepsUpForTheNewCountry()
    {
        // The snippet's manager runs on the system clock: London was two hours ago.
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        const string firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        InMemorySessionStore store = new();
        DeviceFingerprint before = DeviceFingerprint.FromClient(new ClientInfo(firefox, IPAddress.Parse("81.2.69.142"), null));
        CoarseLocation london = CoarseLocation.FromLocation(new GeoLocation { CountryCode = "GB", City = "London", Latitude = 51.5142, Longitude = -0.0931, AccuracyRadiusKm = 10 })!;
        KnownDevice known = new KnownDevice(before.Key, before.DeviceIdHash, before.UserAgentFamily, before.Network, now.AddDays(-3), now.AddHours(-2))
        {
            LastLocation = london,
            LastLocatedAt = now.AddHours(-2),
        };
        await store.RememberDeviceAsync("alice", known, 20, TestContext.Current.CancellationToken);

        SignInResult result = await RiskSnippets.SignInRiskAsync(store, TestFiles.City, TestFiles.Asn, "alice", new ClientInfo(firefox, IPAddress.Parse("89.160.20.112"), null));

        Assert.True(result.IsSuccess);
        Assert.Equal(SignInRiskReason.NewDevice | SignInRiskReason.NewCountry, result.Risk!.Reasons);
        Assert.Equal(SignInRiskAction.RequireStepUp, result.Risk.Action);
        Assert.Equal("Linköping, SE", result.Session.Location!.ToString());
        Assert.True(result.Session.AuthenticatedAt < now.AddDays(-29));
    }
}
