using System;
using System.Collections.Generic;
using System.Globalization;
using SessionCore.Sessions;
using SessionCore.Tokens;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// Maps records to Redis hash fields and back. Times are UTC ticks as 19 decimal digits, so a round trip is
/// exact to the tick and the scripts can compare them as strings.
/// </summary>
internal static class RedisRecordCodec
{
    private const string DataPrefix = "d:";
    private const string SpentPrefix = "sp:";

    public static string Ticks(DateTimeOffset value) => value.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static List<RedisValue> SessionFields(Session session)
    {
        List<RedisValue> f =
        [
            "id", session.Id.ToString(),
            "uid", session.UserId,
            "ca", Ticks(session.CreatedAt),
            "ls", Ticks(session.LastSeenAt),
            "ie", Ticks(session.IdleExpiresAt),
            "ae", Ticks(session.AbsoluteExpiresAt),
            "aa", Ticks(session.AuthenticatedAt),
            "al", Number(session.AuthenticationLevel),
            "ep", Number(session.SecurityEpoch),
            "v", Number(session.Version),
        ];
        if (session.RevokedAt is { } revokedAt)
        {
            f.AddRange(["ra", Ticks(revokedAt), "rr", Number((int)(session.RevocationReason ?? RevocationReason.Administrative))]);
        }

        if (session.Device is { } device)
        {
            f.AddRange(["dv", "1"]);
            AddOptional(f, "du", device.UserAgent);
            AddOptional(f, "dn", device.Network);
            AddOptional(f, "dd", device.DeviceId);
        }

        foreach (KeyValuePair<string, string> entry in session.Data)
        {
            f.AddRange([DataPrefix + entry.Key, entry.Value]);
        }

        return f;
    }

    public static Session DecodeSession(Dictionary<string, RedisValue> h)
    {
        Dictionary<string, string>? data = null;
        foreach (KeyValuePair<string, RedisValue> entry in h)
        {
            if (entry.Key.StartsWith(DataPrefix, StringComparison.Ordinal))
            {
                data ??= new Dictionary<string, string>(StringComparer.Ordinal);
                data.Add(entry.Key[DataPrefix.Length..], (string)entry.Value!);
            }
        }

        SessionDevice? device = h.ContainsKey("dv") ? new SessionDevice(Optional(h, "du"), Optional(h, "dn"), Optional(h, "dd")) : null;
        Session session = new()
        {
            Id = SessionId.Parse(Text(h, "id")),
            UserId = Text(h, "uid"),
            CreatedAt = Time(h, "ca"),
            LastSeenAt = Time(h, "ls"),
            IdleExpiresAt = Time(h, "ie"),
            AbsoluteExpiresAt = Time(h, "ae"),
            AuthenticatedAt = Time(h, "aa"),
            AuthenticationLevel = checked((int)Long(h, "al")),
            SecurityEpoch = Long(h, "ep"),
            Version = Long(h, "v"),
            RevokedAt = h.ContainsKey("ra") ? Time(h, "ra") : null,
            RevocationReason = h.ContainsKey("rr") ? (RevocationReason)checked((int)Long(h, "rr")) : null,
            Device = device,
        };
        return data is null ? session : session with { Data = data };
    }

    public static List<RedisValue> FamilyFields(RefreshFamily family)
    {
        List<RedisValue> f =
        [
            "fid", family.FamilyId,
            "sid", family.SessionId.ToString(),
            "uid", family.UserId,
            "ca", Ticks(family.CreatedAt),
            "ae", Ticks(family.AbsoluteExpiresAt),
            "g", Number(family.Generation),
            "cur", family.CurrentTokenHash,
            "cia", Ticks(family.CurrentIssuedAt),
            "cie", Ticks(family.CurrentIdleExpiresAt),
            "v", Number(family.Version),
            "spn", Number(family.SpentTokenHashes.Count),
        ];
        if (!family.SealedCurrentToken.IsEmpty)
        {
            f.AddRange(["sl", family.SealedCurrentToken.ToArray()]);
        }

        if (family.PreviousTokenHash is not null)
        {
            f.AddRange(["prev", family.PreviousTokenHash]);
        }

        if (family.RotatedAt is { } rotatedAt)
        {
            f.AddRange(["rat", Ticks(rotatedAt)]);
        }

        for (int i = 0; i < family.SpentTokenHashes.Count; i++)
        {
            f.AddRange([SpentPrefix + Number(i + 1), family.SpentTokenHashes[i]]);
        }

        if (family.RevokedAt is { } revokedAt)
        {
            f.AddRange(["ra", Ticks(revokedAt), "rr", Number((int)(family.RevocationReason ?? RevocationReason.Administrative))]);
        }

        return f;
    }

    public static RefreshFamily DecodeFamily(Dictionary<string, RedisValue> h)
    {
        int spentCount = checked((int)Long(h, "spn"));
        string[] spent = new string[spentCount];
        for (int i = 0; i < spentCount; i++)
        {
            spent[i] = Text(h, SpentPrefix + Number(i + 1));
        }

        return new RefreshFamily
        {
            FamilyId = Text(h, "fid"),
            SessionId = SessionId.Parse(Text(h, "sid")),
            UserId = Text(h, "uid"),
            CreatedAt = Time(h, "ca"),
            AbsoluteExpiresAt = Time(h, "ae"),
            Generation = checked((int)Long(h, "g")),
            CurrentTokenHash = Text(h, "cur"),
            CurrentIssuedAt = Time(h, "cia"),
            CurrentIdleExpiresAt = Time(h, "cie"),
            SealedCurrentToken = h.TryGetValue("sl", out RedisValue sealedToken) ? (byte[])sealedToken! : ReadOnlyMemory<byte>.Empty,
            PreviousTokenHash = Optional(h, "prev"),
            RotatedAt = h.ContainsKey("rat") ? Time(h, "rat") : null,
            SpentTokenHashes = spent,
            RevokedAt = h.ContainsKey("ra") ? Time(h, "ra") : null,
            RevocationReason = h.ContainsKey("rr") ? (RevocationReason)checked((int)Long(h, "rr")) : null,
            Version = Long(h, "v"),
        };
    }

    public static List<RedisValue> DeviceFields(KnownDevice device)
    {
        List<RedisValue> f = ["k", device.Key, "fs", Ticks(device.FirstSeenAt), "ls", Ticks(device.LastSeenAt)];
        AddOptional(f, "di", device.DeviceIdHash);
        AddOptional(f, "ua", device.UserAgentFamily);
        AddOptional(f, "nw", device.Network);
        return f;
    }

    public static KnownDevice DecodeDevice(Dictionary<string, RedisValue> h) =>
        new(Text(h, "k"), Optional(h, "di"), Optional(h, "ua"), Optional(h, "nw"), Time(h, "fs"), Time(h, "ls"));

    /// <summary>Turns a flat HGETALL reply (name, value, name, value...) into a dictionary; empty means missing.</summary>
    public static Dictionary<string, RedisValue> Fields(RedisResult reply)
    {
        RedisResult[] items = (RedisResult[])reply!;
        Dictionary<string, RedisValue> h = new(items.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            h[(string)items[i]!] = (RedisValue)(byte[])items[i + 1]!;
        }

        return h;
    }

    public static Dictionary<string, RedisValue> Fields(HashEntry[] entries)
    {
        Dictionary<string, RedisValue> h = new(entries.Length, StringComparer.Ordinal);
        foreach (HashEntry entry in entries)
        {
            h[(string)entry.Name!] = entry.Value;
        }

        return h;
    }

    private static void AddOptional(List<RedisValue> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields.Add(name);
            fields.Add(value);
        }
    }

    private static string Text(Dictionary<string, RedisValue> h, string name) =>
        h.TryGetValue(name, out RedisValue value) && !value.IsNull ? (string)value! : throw new FormatException();

    private static string? Optional(Dictionary<string, RedisValue> h, string name) =>
        h.TryGetValue(name, out RedisValue value) && !value.IsNull ? (string)value! : null;

    private static long Long(Dictionary<string, RedisValue> h, string name) =>
        long.Parse(Text(h, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(Dictionary<string, RedisValue> h, string name) =>
        new(long.Parse(Text(h, name), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
