using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Dpop;
using SessionCore.Tests.Dpop;
using Xunit;

namespace SessionCore.Tests.Diagnostics;

/// <summary>DPoP proof refusals, replays and downgrades are counted and marked on the current activity, naming the check and nothing else.</summary>
[Collection(nameof(SessionCoreTelemetryTests))]
public sealed class DpopTelemetryTests : IDisposable
{
    private const string Uri = "https://resource.example.org/protectedresource";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public DpopTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SessionCoreTelemetry.Name && instrument.Name.StartsWith("sessioncore.dpop.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
        _listener.Start();
    }

    [Fact]
    public async Task RefusalsReplaysAndDowngrades_AreCountedAndMarkedWithoutSecrets()
    {
        using ActivitySource source = new("SessionCore.Tests.Dpop");
        using ActivityListener activities = new()
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(activities);

        using ResourceAccessValidatorTests.Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        string proof = r.Proof(r.Kit.Es256, token);
        string foreign = r.Proof(r.Kit.OtherEs256, token);
        List<ActivityEvent> events = [];
        using (Activity request = source.StartActivity("request")!)
        {
            Assert.Equal(ResourceAccessStatus.Valid, (await r.SendAsync("DPoP " + token, proof)).Status);
            Assert.Equal(ResourceAccessStatus.ProofReplayed, (await r.SendAsync("DPoP " + token, proof)).Status);
            Assert.Equal(ResourceAccessStatus.KeyMismatch, (await r.SendAsync("DPoP " + token, foreign)).Status);
            Assert.Equal(ResourceAccessStatus.InvalidProof, (await r.SendAsync("DPoP " + token)).Status);
            Assert.Equal(ResourceAccessStatus.BearerDowngrade, (await r.SendAsync("Bearer " + token)).Status);
            events.AddRange(request.Events);
        }

        var mine = _measurements.ToArray();
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.proofs.validated" && m.Tags.Contains(new("outcome", "Valid")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.proofs.validated" && m.Tags.Contains(new("outcome", "Replayed")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.proofs.validated" && m.Tags.Contains(new("outcome", "KeyMismatch")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.proofs.validated" && m.Tags.Contains(new("outcome", "Missing")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.replays_detected");
        Assert.Contains(mine, m => m.Instrument == "sessioncore.dpop.downgrades_detected");

        Assert.Equal(
            ["sessioncore.dpop.replay_detected", "sessioncore.dpop.proof_refused", "sessioncore.dpop.proof_refused", "sessioncore.dpop.downgrade_attempted"],
            events.Select(e => e.Name));
        Assert.Equal(["KeyMismatch", "Missing"], events.Where(e => e.Name.EndsWith("refused", StringComparison.Ordinal)).Select(e => e.Tags.Single(t => t.Key == "check").Value));

        string[] forbidden = [token, token.Split('.')[2], proof, proof.Split('.')[2], r.Kit.Es256.KeyId, r.Kit.OtherEs256.KeyId, "alice"];
        IEnumerable<object?> values = mine.SelectMany(m => m.Tags.Select(t => t.Value)).Concat(events.SelectMany(e => e.Tags.Select(t => t.Value)));
        foreach (object? value in values)
        {
            string text = value?.ToString() ?? string.Empty;
            Assert.All(forbidden, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            Assert.True(text.Length < 32, "tags are check names, never values");
        }
    }

    public void Dispose() => _listener.Dispose();
}
