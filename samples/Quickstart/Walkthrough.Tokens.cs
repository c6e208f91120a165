using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Rotation;

namespace SessionCore.Samples.Quickstart;

internal sealed partial class Walkthrough
{
    private async Task<string> AccessAndRefreshAsync(string laptop)
    {
        // 5. Refresh rotation: each refresh token is good for one redemption.
        _t.Step(5, "Refresh: redeem the refresh token once; it rotates");
        RefreshTokenResult issued = await _refresh.IssueAsync(laptop);
        _t.Ok(issued.IsSuccess, $"refresh token issued for the session: {Transcript.Redact(issued.Value.Reveal())} ({issued.Status})");
        string first = issued.Value.Reveal();
        RefreshTokenResult rotated = await _refresh.RedeemAsync(first);
        _t.Ok(rotated.Status == RefreshTokenStatus.Rotated, $"redeemed: {rotated.Status}, successor {Transcript.Redact(rotated.Value.Reveal())}");
        string second = rotated.Value.Reveal();
        RefreshTokenResult retry = await _refresh.RedeemAsync(first);
        _t.Ok(retry.Status == RefreshTokenStatus.GraceRetry && retry.Value.Reveal() == second,
            $"the same old token again within the 10 s grace window (a lost response, retried): {retry.Status}, the same successor, nothing new created");

        // 6. Reuse: the old token presented after the grace window means two parties hold the family.
        _t.Step(6, "Replay the old refresh token after the grace window: reuse is detected");
        _clock.Advance(TimeSpan.FromSeconds(15));
        _t.Note("(the sample clock moves 15 s ahead)");
        RefreshTokenResult replay = await _refresh.RedeemAsync(first);
        IReadOnlyList<SessionEvent> events = _t.Events();
        _t.Ok(replay.Status == RefreshTokenStatus.Reused && !replay.IsSuccess, $"replay refused: {replay.Status}, nothing issued");
        _t.Ok(events.OfType<RefreshTokenReuseDetected>().Any() && events.OfType<SessionRevoked>().Any(e => e.Reason == RevocationReason.RefreshTokenReuse),
            "RefreshTokenReuseDetected raised; the family and its session are revoked");
        RefreshTokenResult successor = await _refresh.RedeemAsync(second);
        _t.Events();
        _t.Ok(!successor.IsSuccess, $"the current successor is dead too: {successor.Status}");
        SessionValidationResult session = await _sessions.ValidateAsync(laptop);
        _t.Ok(session.Status == SessionValidationStatus.Revoked, $"the session token is refused: {session.Status}");
        return laptop;
    }
}
