using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// Canonical text of every store result, so two stores' answers compare with one string equality and a mismatch
/// shows exactly which field differs. Lists whose order the contract leaves open are sorted.
/// </summary>
internal static class Canonical
{
    public static string Of(Session? s)
    {
        if (s is null)
        {
            return "-";
        }

        StringBuilder b = new();
        b.Append("S(").Append(s.Id).Append(' ').Append(s.UserId)
            .Append(" ca=").Append(T(s.CreatedAt)).Append(" ls=").Append(T(s.LastSeenAt)).Append(" ie=").Append(T(s.IdleExpiresAt))
            .Append(" ae=").Append(T(s.AbsoluteExpiresAt)).Append(" aa=").Append(T(s.AuthenticatedAt))
            .Append(" al=").Append(s.AuthenticationLevel).Append(" ep=").Append(s.SecurityEpoch).Append(" v=").Append(s.Version)
            .Append(" ra=").Append(T(s.RevokedAt)).Append(" rr=").Append(s.RevocationReason)
            .Append(" dev=").Append(s.Device is { } d ? $"[{d.UserAgent}|{d.Network}|{d.DeviceId}]" : "-")
            .Append(" amr=[").Append(string.Join(",", s.AuthenticationMethods)).Append(']')
            .Append(" key=").Append(s.KeyBinding is { } k ? $"[{k.Thumbprint}|{k.PublicKeyJwk}|{T(k.BoundAt)}]" : "-")
            .Append(" data={");
        foreach (KeyValuePair<string, string> entry in s.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            b.Append(entry.Key).Append('=').Append(entry.Value).Append(';');
        }

        return b.Append("})").ToString();
    }

    public static string Of(RefreshFamily? f) => f is null ? "-"
        : $"F({f.FamilyId} s={f.SessionId} u={f.UserId} c={f.ClientId ?? "-"} k={f.KeyThumbprint ?? "-"} ca={T(f.CreatedAt)} ae={T(f.AbsoluteExpiresAt)} "
          + $"g={f.Generation} cur={f.CurrentTokenHash} cia={T(f.CurrentIssuedAt)} cie={T(f.CurrentIdleExpiresAt)} sl={Convert.ToHexString(f.SealedCurrentToken.Span)} "
          + $"prev={f.PreviousTokenHash?.ToString() ?? "-"} rat={T(f.RotatedAt)} sp=[{string.Join(",", f.SpentTokenHashes)}] ra={T(f.RevokedAt)} rr={f.RevocationReason} v={f.Version})";

    public static string Of(SessionCreateResult r) =>
        r.IsSuccess
            ? $"Created {Of(r.Session)} evicted=[{string.Join(",", r.Evicted)}] found={r.PresentedFound} revoked={Of(r.PresentedRevoked)} new={r.IsNewDevice} before={Of(r.KnownDevicesBefore)}"
            : r.Status.ToString();

    public static string Of(SessionCheck r) => $"{r.Status} {Of(r.Session)}";

    public static string Of(SessionRegenerateResult? r) => r is null ? "-" : $"{r.Status} prev={Of(r.Previous)} next={Of(r.Replacement)}";

    public static string Of(UserRevocationResult r) =>
        $"epoch={r.SecurityEpoch} revoked=[{string.Join(",", r.Revoked.Select(id => id.ToString()).Order(StringComparer.Ordinal))}] kept={Of(r.Kept)}";

    public static string Of(IEnumerable<Session> sessions) => "[" + string.Join(",", sessions.OrderBy(s => s.Id.ToString(), StringComparer.Ordinal).Select(Of)) + "]";

    public static string Of(SessionBindResult r) => $"{r.Status} {r.SessionStatus} {Of(r.Session)}";

    public static string Of(RefreshFamilyCreateResult r) => $"{r.Status} {Of(r.Family)} {Of(r.Session)}";

    public static string Of(RefreshRedeemResult r) => $"{r.Status} {r.SessionStatus} revoked={r.SessionRevoked} {Of(r.Family)} {Of(r.Session)}";

    public static string Of(UserSecurityState s) => $"U({s.UserId} ep={s.SecurityEpoch} {Of(s.KnownDevices)})";

    public static string Of(IReadOnlyList<KnownDevice> devices) =>
        "[" + string.Join(",", devices.Select(d => $"{d.Key}|{d.DeviceIdHash}|{d.UserAgentFamily}|{d.Network}|{T(d.FirstSeenAt)}|{T(d.LastSeenAt)}")) + "]";

    public static string Of(SessionId? id) => id?.ToString() ?? "-";

    private static string T(DateTimeOffset? t) => t is { } v ? v.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-";
}
