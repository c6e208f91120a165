using System;
using System.Net;
using SessionCore.Devices;
using SessionCore.DocSnippets;
using SessionCore.Risk;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

// Runs the sign-in risk code shown in docs/concepts/location-risk.md on the MaxMind test databases.
public sealed class RiskSnippetsTests
{
    [Fact]
    public void SignInRisk_LinkopingAfterLondon_StepsUpForTheNewCountry()
    {
        DateTimeOffset now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        ClientInfo client = new("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", IPAddress.Parse("89.160.20.112"), null);
        DeviceFingerprint before = DeviceFingerprint.FromClient(new ClientInfo(client.UserAgent, IPAddress.Parse("81.2.69.142"), null));
        KnownDevice known = new(before.Key, before.DeviceIdHash, before.UserAgentFamily, before.Network, now.AddDays(-3), now.AddHours(-2));
        CoarseLocation london = CoarseLocation.FromLocation(new GeoLocation { CountryCode = "GB", City = "London", Latitude = 51.5142, Longitude = -0.0931, AccuracyRadiusKm = 10 })!;

        SignInRiskAssessment verdict = RiskSnippets.SignInRisk(TestFiles.City, TestFiles.Asn, client, now, [known], _ => london);

        Assert.Equal(SignInRiskReason.NewDevice | SignInRiskReason.NewCountry, verdict.Reasons);
        Assert.Equal(SignInRiskAction.RequireStepUp, verdict.Action);
        Assert.Equal("Linköping, SE", verdict.Location!.ToString());
    }
}
