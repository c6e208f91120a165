using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SessionCore.Sessions;

namespace SessionCore.Diagnostics;

/// <summary>
/// Names of the <see cref="Meter"/> and <see cref="ActivitySource"/> the library reports to; both are in
/// the base class library, so OpenTelemetry (or dotnet-counters) picks them up with no extra dependency.
/// </summary>
/// <remarks>Security: no tag or attribute carries a token, a token hash prefix, a user id or a key.</remarks>
public static class SessionCoreTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "SessionCore";

    internal static readonly ActivitySource ActivitySource = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> SessionsCreated = Meter.CreateCounter<long>("sessioncore.sessions.created", "{session}", "Sessions created at sign-in.");
    internal static readonly Counter<long> SessionsValidated = Meter.CreateCounter<long>("sessioncore.sessions.validated", "{validation}", "Session validations, tagged by outcome.");
    internal static readonly Counter<long> SessionsRegenerated = Meter.CreateCounter<long>("sessioncore.sessions.regenerated", "{session}", "Sessions replaced by a new identifier.");
    internal static readonly Counter<long> SessionsRevoked = Meter.CreateCounter<long>("sessioncore.sessions.revoked", "{session}", "Sessions revoked, tagged by reason.");
    internal static readonly Counter<long> StoreFailures = Meter.CreateCounter<long>("sessioncore.store.failures", "{failure}", "Store operations that failed and were answered fail-closed.");
    internal static readonly Counter<long> RefreshIssued = Meter.CreateCounter<long>("sessioncore.refresh.issued", "{family}", "Refresh families created.");
    internal static readonly Counter<long> RefreshRedeemed = Meter.CreateCounter<long>("sessioncore.refresh.redeemed", "{redemption}", "Refresh token redemptions, tagged by outcome.");
    internal static readonly Counter<long> RefreshRotated = Meter.CreateCounter<long>("sessioncore.refresh.rotated", "{token}", "Refresh tokens rotated into a new successor.");
    internal static readonly Counter<long> RefreshReuseDetected = Meter.CreateCounter<long>("sessioncore.refresh.reuse_detected", "{family}", "Refresh token reuse detected; the family and its session were revoked.");
    internal static readonly Counter<long> AccessTokensIssued = Meter.CreateCounter<long>("sessioncore.access_tokens.issued", "{token}", "Access tokens issued.");
    internal static readonly Counter<long> AccessTokensValidated = Meter.CreateCounter<long>("sessioncore.access_tokens.validated", "{validation}", "Access token validations, tagged by outcome.");
    internal static readonly Counter<long> NodeCacheHits = Meter.CreateCounter<long>("sessioncore.node_cache.hits", "{validation}", "Validations and epoch reads a node answered from its cache.");
    internal static readonly Counter<long> NodeCacheMisses = Meter.CreateCounter<long>("sessioncore.node_cache.misses", "{validation}", "Validations and epoch reads that went to the store, tagged by reason.");
    internal static readonly Counter<long> InvalidationsPublished = Meter.CreateCounter<long>("sessioncore.invalidations.published", "{invalidation}", "Invalidations this node's changes published.");
    internal static readonly Counter<long> InvalidationsApplied = Meter.CreateCounter<long>("sessioncore.invalidations.applied", "{invalidation}", "Invalidations this node applied to its cache, tagged by kind.");
    internal static readonly Counter<long> InvalidationBusLost = Meter.CreateCounter<long>("sessioncore.invalidations.subscription_lost", "{event}", "Times the invalidation subscription was lost and the cache stopped answering.");
    internal static readonly Histogram<double> InvalidationPropagation = Meter.CreateHistogram<double>(
        "sessioncore.invalidations.propagation",
        "ms",
        "Time from a change in the store to this node applying its invalidation.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2000, 5000, 30000] });
    internal static readonly Counter<long> DpopProofsValidated = Meter.CreateCounter<long>("sessioncore.dpop.proofs.validated", "{proof}", "DPoP proofs validated, tagged by outcome: Valid or the check that failed (Replayed for a replay).");
    internal static readonly Counter<long> DpopReplaysDetected = Meter.CreateCounter<long>("sessioncore.dpop.replays_detected", "{proof}", "DPoP proofs presented a second time within their window and refused.");
    internal static readonly Counter<long> DpopDowngradesDetected = Meter.CreateCounter<long>("sessioncore.dpop.downgrades_detected", "{request}", "DPoP-bound access tokens presented as bearer tokens and refused.");
    internal static readonly Counter<long> EventSinkFailures = Meter.CreateCounter<long>("sessioncore.events.sink_failures", "{failure}", "Event sinks that threw.");

    /// <summary>Counts one event tagged with its outcome; builds the tag only when someone listens (hot paths).</summary>
    internal static void CountOutcome<TOutcome>(Counter<long> counter, TOutcome outcome)
        where TOutcome : struct, Enum
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        }
    }

    /// <summary>
    /// Counts a proof's outcome and, on a refusal, adds an event to the current activity naming the failed check. Only
    /// the status name is recorded: never the proof, its key, its thumbprint or any claim.
    /// </summary>
    internal static void ProofValidated(Dpop.DpopProofStatus status)
    {
        CountOutcome(DpopProofsValidated, status);
        if (status == Dpop.DpopProofStatus.Valid)
        {
            return;
        }

        if (status == Dpop.DpopProofStatus.Replayed)
        {
            DpopReplaysDetected.Add(1);
            Activity.Current?.AddEvent(new ActivityEvent("sessioncore.dpop.replay_detected"));
        }
        else
        {
            Activity.Current?.AddEvent(new ActivityEvent("sessioncore.dpop.proof_refused", tags: new ActivityTagsCollection { ["check"] = status.ToString() }));
        }
    }

    /// <summary>Counts a bound token presented without its proof (RFC 9449 §7.2), and marks the current activity.</summary>
    internal static void DowngradeDetected()
    {
        DpopDowngradesDetected.Add(1);
        Activity.Current?.AddEvent(new ActivityEvent("sessioncore.dpop.downgrade_attempted"));
    }

    internal static KeyValuePair<string, object?> Reason(RevocationReason value) => new("reason", value.ToString());
}
