using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Sessions;

namespace SessionCore.Samples.Quickstart;

internal sealed partial class Walkthrough
{
    private async Task<string> AccessAndRefreshAsync(string laptop)
    {
        // 4. A short-lived access token (JWT) for APIs, bound to the session.
        _t.Step(4, "Mint an ES256 access token for the session and read it back");
        SessionValidationResult current = await _sessions.ValidateAsync(laptop);
        _t.Ok(current.IsValid, "the session is live");
        string access = _issuer.Issue(AccessTokenRequest.ForSession(current.Value));
        _t.Note($"access token   {Transcript.Redact(access)}  ({access.Length} characters: header.payload.signature)");
        string[] parts = access.Split('.');
        _t.Ok(parts.Length == 3, "three base64url parts");
        using (JsonDocument header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])))
        {
            JsonElement h = header.RootElement;
            _t.Note($"header         alg={h.GetProperty("alg").GetString()} typ={h.GetProperty("typ").GetString()} kid={Transcript.Redact(h.GetProperty("kid").GetString()!)} (RFC 7638 thumbprint)");
            _t.Ok(h.GetProperty("alg").GetString() == "ES256" && h.GetProperty("typ").GetString() == "at+jwt", "signed ES256, typed at+jwt (RFC 9068)");
        }

        AccessTokenValidationResult validated = await _validator.ValidateAsync(access);
        _t.Ok(validated.IsSuccess, $"validated online (signature, issuer, audience, lifetime, session and epoch in the store): {validated.Status}");
        using (JsonDocument payload = JsonDocument.Parse(validated.Value.Payload))
        {
            foreach (JsonProperty claim in payload.RootElement.EnumerateObject())
            {
                _t.Note($"claim {claim.Name,-8} {DescribeClaim(claim)}");
            }
        }

        _t.Ok(validated.Value.Subject == "alice" && validated.Value.SessionId == current.Value.Id && validated.Value.SecurityEpoch == current.Value.SecurityEpoch,
            "sub is the user, sid the session id, sc_epoch the user's security epoch");
        string tampered = string.Concat(parts[0], ".", parts[1], ".", parts[2][..^4], parts[2][^4..] == "AAAA" ? "BBBB" : "AAAA");
        AccessTokenValidationResult forged = await _validator.ValidateAsync(tampered);
        _t.Ok(!forged.IsSuccess, $"a token with an altered signature is refused: {forged.Status}");

        // 5. Refresh rotation: each refresh token is good for one redemption.
        _t.Step(5, "Refresh: redeem the refresh token once; it rotates");
        RefreshTokenResult issued = await _refresh.IssueAsync(laptop);
        _t.Ok(issued.IsSuccess && issued.AccessToken is not null, $"refresh token issued for the session: {Transcript.Redact(issued.Value.Reveal())} ({issued.Status}), with an access token");
        string first = issued.Value.Reveal();
        RefreshTokenResult rotated = await _refresh.RedeemAsync(first);
        string? refreshedAccess = rotated.AccessToken;
        _t.Ok(rotated.IsSuccess && rotated.Status == RefreshTokenStatus.Rotated && refreshedAccess is not null,
            $"redeemed: {rotated.Status}, successor {Transcript.Redact(rotated.Value.Reveal())}, with a fresh access token");
        string second = rotated.Value.Reveal();
        AccessTokenValidationResult fromRefresh = await _validator.ValidateAsync(refreshedAccess);
        _t.Ok(fromRefresh.IsSuccess && fromRefresh.Value.SessionId == rotated.Session.Id, $"the new access token is valid for the same session: {fromRefresh.Status}");
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
        AccessTokenValidationResult api = await _validator.ValidateAsync(refreshedAccess);
        _t.Ok(api.Status == AccessTokenValidationStatus.SessionRevoked, $"the session's unexpired access token is refused: {api.Status}");
        return laptop;
    }

    private static string DescribeClaim(JsonProperty claim) => claim.Name switch
    {
        "sid" => $"{Transcript.Redact(claim.Value.GetString() ?? string.Empty)}  (the session id)",
        "jti" => $"{Transcript.Redact(claim.Value.GetString() ?? string.Empty)}  (unique token id)",
        "exp" or "iat" or "nbf" when claim.Value.TryGetInt64(out long seconds) =>
            $"{seconds}  ({DateTimeOffset.FromUnixTimeSeconds(seconds):HH:mm:ss} UTC)",
        _ => claim.Value.GetRawText(),
    };
}
