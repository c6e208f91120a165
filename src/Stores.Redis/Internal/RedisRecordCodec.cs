using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Tokens;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// Maps records to Redis hash fields and script replies back. Times are UTC ticks as 19 decimal digits, so a round
/// trip is exact to the tick and the scripts can compare them as strings. A record that cannot be read throws
/// <see cref="FormatException"/>, which the store reports as an unreadable record.
/// </summary>
internal static class RedisRecordCodec
{
    /// <summary>The text every threshold at or beyond the last representable instant is written as.</summary>
    public const string Never = "9999999999999999999";

    private const string DataPrefix = "d:";
    private const string MethodPrefix = "m:";

    public static string Ticks(DateTimeOffset value) => value.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> + <paramref name="span"/> as ticks, or <see cref="Never"/> past the last instant.</summary>
    public static string Plus(DateTimeOffset value, TimeSpan span)
    {
        long ticks = value.UtcTicks;
        return span.Ticks > DateTimeOffset.MaxValue.UtcTicks - ticks ? Never : (ticks + span.Ticks).ToString("D19", CultureInfo.InvariantCulture);
    }

    /// <summary><paramref name="value"/> - <paramref name="span"/> as ticks, or empty (before every time) before the first instant.</summary>
    public static string Minus(DateTimeOffset value, TimeSpan span)
    {
        long ticks = value.UtcTicks;
        return span.Ticks > ticks ? string.Empty : (ticks - span.Ticks).ToString("D19", CultureInfo.InvariantCulture);
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An optional value for a script: empty for <see langword="null"/>, otherwise <c>=</c> and the value.</summary>
    public static string Optional(string? value) => value is null ? string.Empty : "=" + value;

    /// <summary>The session's fields as the scripts store them, all but the epoch (the create script sets it).</summary>
    public static void AddSessionFields(List<RedisValue> f, Session session)
    {
        f.AddRange(
        [
            "id", session.Id.ToString(),
            "uid", session.UserId,
            "ca", Ticks(session.CreatedAt),
            "ls", Ticks(session.LastSeenAt),
            "ie", Ticks(session.IdleExpiresAt),
            "ae", Ticks(session.AbsoluteExpiresAt),
            "aa", Ticks(session.AuthenticatedAt),
            "al", Number(session.AuthenticationLevel),
            "v", Number(session.Version),
        ]);
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

        if (session.KeyBinding is { } binding)
        {
            f.AddRange(["kt", binding.Thumbprint, "kj", binding.PublicKeyJwk, "kb", Ticks(binding.BoundAt)]);
        }

        if (session.Location is { } place)
        {
            f.AddRange(["lo", EncodePlace(place)]);
        }

        if (session.SignInRisk != SignInRiskReason.None)
        {
            f.AddRange(["sk", Number((int)session.SignInRisk)]);
        }

        AddMethods(f, session.AuthenticationMethods);
        AddData(f, session.Data);
    }

    /// <summary>The replacement block the regeneration scripts read (see <c>replace</c> in <see cref="RedisScripts"/>).</summary>
    public static void AddReplacement(List<RedisValue> f, SessionReplacement replacement)
    {
        f.AddRange(
        [
            replacement.NewId.ToString(),
            replacement.Reauthenticated ? "1" : "0",
            replacement.AuthenticationLevel is int level ? Number(level) : string.Empty,
            replacement.AuthenticationMethods is { } methods ? Number(methods.Count) : "-1",
            replacement.Data is { } data ? Number(data.Count) : "-1",
        ]);
        foreach (string method in replacement.AuthenticationMethods ?? [])
        {
            f.Add(method);
        }

        if (replacement.Data is { } replaced)
        {
            foreach (KeyValuePair<string, string> entry in replaced)
            {
                f.Add(entry.Key);
                f.Add(entry.Value);
            }
        }
    }

    public static Session DecodeSession(RedisResult reply) => DecodeSession(Items(reply));

    public static Session DecodeSession(RedisResult[] items)
    {
        SessionReader reader = new();
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            reader.Read(Text(items[i]), (RedisValue)items[i + 1]);
        }

        return reader.Build();
    }

    public static Session DecodeSession(HashEntry[] entries)
    {
        SessionReader reader = new();
        foreach (HashEntry entry in entries)
        {
            reader.Read((string?)entry.Name ?? throw new FormatException(), entry.Value);
        }

        return reader.Build();
    }

    /// <summary>Reads a family the scripts returned by position (<see cref="RedisScripts.FamilyFields"/>).</summary>
    public static RefreshFamily DecodeFamily(RedisResult reply) => DecodeFamily(Items(reply));

    /// <summary>Reads a family the scripts returned by position (<see cref="RedisScripts.FamilyFields"/>).</summary>
    public static RefreshFamily DecodeFamily(RedisResult[] items)
    {
        if (items.Length != RedisScripts.FamilyFields.Length)
        {
            throw new FormatException();
        }

        RedisValue[] values = new RedisValue[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            values[i] = (RedisValue)items[i];
        }

        return DecodeFamily(values);
    }

    /// <summary>Reads a family by position (<see cref="RedisScripts.FamilyFields"/>), as <c>HMGET</c> of those fields returns it.</summary>
    public static RefreshFamily DecodeFamily(RedisValue[] f)
    {
        if (f.Length != RedisScripts.FamilyFields.Length)
        {
            throw new FormatException();
        }

        // fid sid uid cid kt ca ae g cur cia cie sl prev rat sp ra rr v
        return new RefreshFamily
        {
            FamilyId = RefreshFamilyId.Parse(Required(f[0])),
            SessionId = SessionId.Parse(Required(f[1])),
            UserId = Required(f[2]),
            ClientId = f[3],
            KeyThumbprint = f[4],
            CreatedAt = Time(f[5]),
            AbsoluteExpiresAt = Time(f[6]),
            Generation = checked((int)Long(Required(f[7]))),
            CurrentTokenHash = RefreshTokenHash.Parse(Required(f[8])),
            CurrentIssuedAt = Time(f[9]),
            CurrentIdleExpiresAt = Time(f[10]),
            SealedCurrentToken = (byte[]?)f[11] ?? ReadOnlyMemory<byte>.Empty,
            PreviousTokenHash = f[12].IsNull ? null : RefreshTokenHash.Parse(Required(f[12])),
            RotatedAt = f[13].IsNull ? null : Time(f[13]),
            SpentTokenHashes = SpentTokenHashList.Read(f[14]),
            RevokedAt = f[15].IsNull ? null : Time(f[15]),
            RevocationReason = f[16].IsNull ? null : (RevocationReason)checked((int)Long(Required(f[16]))),
            Version = Long(Required(f[17])),
        };
    }

    /// <summary>
    /// A device as the scripts keep it: a JSON array [key, first seen, last seen, device id hash, agent family, network],
    /// followed by [place, located at] when the device has a place (so records without one keep their original form).
    /// </summary>
    public static string EncodeDevice(KnownDevice device)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(device.Key);
            writer.WriteStringValue(Ticks(device.FirstSeenAt));
            writer.WriteStringValue(Ticks(device.LastSeenAt));
            WriteOptional(writer, device.DeviceIdHash);
            WriteOptional(writer, device.UserAgentFamily);
            WriteOptional(writer, device.Network);
            if (device.LastLocation is { } place)
            {
                WritePlace(writer, place);
                writer.WriteStringValue(Ticks(device.LastLocatedAt ?? device.LastSeenAt));
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A coarse place as a JSON array of six strings or nulls [country, city, latitude, longitude, radius, AS number].
    /// Numbers are written as text, so that Lua's cjson (which keeps 14 significant digits) passes them through untouched.
    /// </summary>
    public static string EncodePlace(CoarseLocation place)
    {
        ArrayBufferWriter<byte> buffer = new(128);
        using (Utf8JsonWriter writer = new(buffer))
        {
            WritePlace(writer, place);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a place written by <see cref="EncodePlace"/>; fields that fail sanitising read as unknown.</summary>
    public static CoarseLocation? DecodePlace(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return ReadPlace(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException(Error.Unreadable, ex);
        }
    }

    /// <summary>Reads the known-device list the scripts keep (most recent last); empty or missing is none.</summary>
    public static IReadOnlyList<KnownDevice> DecodeDevices(RedisValue json)
    {
        if (json.IsNullOrEmpty)
        {
            return [];
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse((byte[])json!);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.EnumerateObject().MoveNext() is false)
            {
                return []; // Lua's encoding of an empty table
            }

            List<KnownDevice> devices = new(document.RootElement.GetArrayLength());
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                int length = item.GetArrayLength();
                if (length is not (6 or 8))
                {
                    throw new FormatException();
                }

                KnownDevice device = new(
                    item[0].GetString() ?? throw new FormatException(),
                    item[3].GetString(),
                    item[4].GetString(),
                    item[5].GetString(),
                    Time(item[1].GetString()),
                    Time(item[2].GetString()));

                // Six elements: a device without a place (and every record written before places were kept).
                if (length == 8 && ReadPlace(item[6]) is { } place)
                {
                    device = device with { LastLocation = place, LastLocatedAt = Time(item[7].GetString()) };
                }

                devices.Add(device);
            }

            return devices;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException(Error.Unreadable, ex);
        }
    }

    /// <summary>The items of an array reply.</summary>
    public static RedisResult[] Items(RedisResult reply) =>
        reply.Resp2Type == ResultType.Array ? (RedisResult[])reply! : throw new FormatException();

    public static int Integer(RedisResult reply) => reply.Resp2Type == ResultType.Integer ? (int)reply : throw new FormatException();

    public static string Text(RedisResult reply) => (string?)reply ?? throw new FormatException();

    public static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static SessionId[] SessionIds(RedisResult reply)
    {
        RedisResult[] items = Items(reply);
        SessionId[] ids = new SessionId[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            ids[i] = SessionId.Parse(Text(items[i]));
        }

        return ids;
    }

    private static DateTimeOffset Time(string? text) =>
        new(long.Parse(text ?? throw new FormatException(), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static DateTimeOffset Time(RedisValue value) => Time((string?)value);

    private static void WritePlace(Utf8JsonWriter writer, CoarseLocation place)
    {
        writer.WriteStartArray();
        WriteOptional(writer, place.CountryCode);
        WriteOptional(writer, place.City);
        WriteOptional(writer, place.Latitude?.ToString("R", CultureInfo.InvariantCulture));
        WriteOptional(writer, place.Longitude?.ToString("R", CultureInfo.InvariantCulture));
        WriteOptional(writer, place.AccuracyRadiusKm?.ToString(CultureInfo.InvariantCulture));
        WriteOptional(writer, place.AutonomousSystemNumber?.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndArray();
    }

    private static CoarseLocation? ReadPlace(JsonElement place)
    {
        if (place.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (place.ValueKind != JsonValueKind.Array || place.GetArrayLength() != 6)
        {
            throw new FormatException();
        }

        return CoarseLocation.Restore(
            place[0].GetString(),
            place[1].GetString(),
            place[2].GetString() is { } latitude ? double.Parse(latitude, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
            place[3].GetString() is { } longitude ? double.Parse(longitude, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
            place[4].GetString() is { } radius ? int.Parse(radius, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null,
            place[5].GetString() is { } asn ? Long(asn) : null);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void AddOptional(List<RedisValue> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields.Add(name);
            fields.Add(value);
        }
    }

    private static void AddMethods(List<RedisValue> fields, IReadOnlyList<string> methods)
    {
        for (int i = 0; i < methods.Count; i++)
        {
            fields.Add(MethodPrefix + Number(i + 1));
            fields.Add(methods[i]);
        }
    }

    private static void AddData(List<RedisValue> fields, IReadOnlyDictionary<string, string> data)
    {
        foreach (KeyValuePair<string, string> entry in data)
        {
            fields.Add(DataPrefix + entry.Key);
            fields.Add(entry.Value);
        }
    }

    private static string Required(string? value) => value ?? throw new FormatException();

    /// <summary>Collects a session's fields in any order.</summary>
    private sealed class SessionReader
    {
        private string? _id;
        private string? _userId;
        private RedisValue _createdAt;
        private RedisValue _lastSeenAt;
        private RedisValue _idleExpiresAt;
        private RedisValue _absoluteExpiresAt;
        private RedisValue _authenticatedAt;
        private RedisValue _level;
        private RedisValue _epoch;
        private RedisValue _version;
        private RedisValue _revokedAt;
        private RedisValue _reason;
        private bool _device;
        private string? _userAgent;
        private string? _network;
        private string? _deviceId;
        private string? _thumbprint;
        private string? _jwk;
        private RedisValue _boundAt;
        private string? _place;
        private RedisValue _risk;
        private SortedList<int, string>? _methods;
        private Dictionary<string, string>? _data;

        public void Read(string name, RedisValue value)
        {
            switch (name)
            {
                case "id": _id = value; break;
                case "uid": _userId = value; break;
                case "ca": _createdAt = value; break;
                case "ls": _lastSeenAt = value; break;
                case "ie": _idleExpiresAt = value; break;
                case "ae": _absoluteExpiresAt = value; break;
                case "aa": _authenticatedAt = value; break;
                case "al": _level = value; break;
                case "ep": _epoch = value; break;
                case "v": _version = value; break;
                case "ra": _revokedAt = value; break;
                case "rr": _reason = value; break;
                case "dv": _device = true; break;
                case "du": _userAgent = value; break;
                case "dn": _network = value; break;
                case "dd": _deviceId = value; break;
                case "kt": _thumbprint = value; break;
                case "kj": _jwk = value; break;
                case "kb": _boundAt = value; break;
                case "lo": _place = value; break;
                case "sk": _risk = value; break;
                default:
                    if (name.StartsWith(DataPrefix, StringComparison.Ordinal))
                    {
                        (_data ??= new Dictionary<string, string>(StringComparer.Ordinal)).Add(name[DataPrefix.Length..], Required(value));
                    }
                    else if (name.StartsWith(MethodPrefix, StringComparison.Ordinal))
                    {
                        (_methods ??= []).Add(int.Parse(name.AsSpan(MethodPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture), Required(value));
                    }

                    break;
            }
        }

        public Session Build()
        {
            Session session = new()
            {
                Id = SessionId.Parse(Required(_id)),
                UserId = Required(_userId),
                CreatedAt = Time(_createdAt),
                LastSeenAt = Time(_lastSeenAt),
                IdleExpiresAt = Time(_idleExpiresAt),
                AbsoluteExpiresAt = Time(_absoluteExpiresAt),
                AuthenticatedAt = Time(_authenticatedAt),
                AuthenticationLevel = _level.IsNull ? 0 : checked((int)Long(Required(_level))),
                SecurityEpoch = Long(Required(_epoch)),
                Version = Long(Required(_version)),
                RevokedAt = _revokedAt.IsNull ? null : Time(_revokedAt),
                RevocationReason = _reason.IsNull ? null : (RevocationReason)checked((int)Long(Required(_reason))),
                Device = _device ? new SessionDevice(_userAgent, _network, _deviceId) : null,
                KeyBinding = _thumbprint is null ? null : new SessionKeyBinding(_thumbprint, Required(_jwk), Time(_boundAt)),
                Location = _place is null ? null : DecodePlace(_place),
                SignInRisk = _risk.IsNull ? SignInRiskReason.None : (SignInRiskReason)checked((int)Long(Required(_risk))),
            };
            if (_methods is not null)
            {
                session = session with { AuthenticationMethods = [.. _methods.Values] };
            }

            return _data is null ? session : session with { Data = _data };
        }
    }
}
