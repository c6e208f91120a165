using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SessionCore.Diagnostics;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task OpenTelemetry_SignInValidateRefreshRevoke_EmitsDocumentedNamesAndTagsWithoutSecrets()
    {
        List<Metric> metrics = [];
        List<Activity> activities = [];
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMeter(SessionCoreTelemetry.Name).AddInMemoryExporter(metrics).Build();
        using TracerProvider traces = Sdk.CreateTracerProviderBuilder().AddSource(SessionCoreTelemetry.Name).AddInMemoryExporter(activities).Build();
        await using TestApp app = await TestApp.StartAsync();

        Login login = await app.LoginAsync();                                                       // sign-in
        using HttpResponseMessage me = await app.SendAsync(HttpMethod.Get, "/me", login.Cookie);   // validation
        (string access, string refresh) = await OAuthEndpointTests.GrantAsync(app);
        using HttpResponseMessage refreshed = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);
        using HttpResponseMessage logout = await app.SendAsync(HttpMethod.Post, "/logout", login.Cookie, login.Csrf);   // revocation
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        string newRefresh = (await Http.JsonAsync(refreshed)).GetProperty("refresh_token").GetString()!;
        meters.ForceFlush();
        traces.ForceFlush();

        Dictionary<string, List<(string Key, string? Value)>> tagsByInstrument = metrics
            .GroupBy(m => m.Name)
            .ToDictionary(g => g.Key, g => g.SelectMany(Tags).ToList(), StringComparer.Ordinal);
        Assert.Contains(("outcome", "SignedIn"), activities.Where(a => a.OperationName == "SessionCore.SignIn").SelectMany(a => a.Tags).Select(t => (t.Key == "sessioncore.outcome" ? "outcome" : t.Key, t.Value)));
        Assert.True(tagsByInstrument.ContainsKey("sessioncore.sessions.created"));
        Assert.Contains(("outcome", "Valid"), tagsByInstrument["sessioncore.sessions.validated"]);
        Assert.Contains(("outcome", "Rotated"), tagsByInstrument["sessioncore.refresh.redeemed"]);
        Assert.True(tagsByInstrument.ContainsKey("sessioncore.refresh.rotated"));
        Assert.Contains(("reason", "Logout"), tagsByInstrument["sessioncore.sessions.revoked"]);
        Assert.All(metrics, m => Assert.StartsWith("sessioncore.", m.Name, StringComparison.Ordinal));

        string[] names = [.. activities.Select(a => a.OperationName).Distinct()];
        Assert.Contains("SessionCore.SignIn", names);
        Assert.Contains("SessionCore.Validate", names);
        Assert.Contains("SessionCore.RefreshIssue", names);
        Assert.Contains("SessionCore.RefreshRedeem", names);
        Assert.All(activities.SelectMany(a => a.Tags), t => Assert.Equal("sessioncore.outcome", t.Key));

        string[] secrets = [login.Cookie, login.Csrf, access, refresh, newRefresh, "alice"];
        IEnumerable<string?> values = tagsByInstrument.Values.SelectMany(t => t.Select(x => x.Value))
            .Concat(activities.SelectMany(a => a.Tags).Select(t => t.Value))
            .Concat(activities.Select(a => a.DisplayName));
        Assert.All(values, v =>
        {
            Assert.NotNull(v);
            Assert.DoesNotContain(secrets, s => v.Contains(s, StringComparison.Ordinal) || s.Contains(v, StringComparison.Ordinal) && v.Length > 8);
            Assert.False(IPAddress.TryParse(v, out _), "a tag looks like an address");
        });
    }

    private static IEnumerable<(string Key, string? Value)> Tags(Metric metric)
    {
        foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
        {
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                yield return (tag.Key, tag.Value?.ToString());
            }
        }
    }
}
