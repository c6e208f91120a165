using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.LiteDb.Internal;

/// <summary>
/// Hand-written mapping between the store records and BSON documents, with short explicit field names.
/// Instants are stored as UTC ticks (Int64), so a round trip is exact to the tick; LiteDB's own date type
/// keeps milliseconds only.
/// </summary>
internal static class LiteDbMapper
{
    public const string Id = "_id";
    public const string UserKey = "uk";
    public const string UserId = "u";
    public const string CreatedAt = "c";
    public const string LastSeenAt = "ls";
    public const string IdleExpiresAt = "ie";
    public const string AbsoluteExpiresAt = "ae";
    public const string AuthenticatedAt = "aa";
    public const string AuthenticationLevel = "al";
    public const string AuthenticationMethods = "am";
    public const string Device = "dv";
    public const string DeviceUserAgent = "ua";
    public const string DeviceNetwork = "nw";
    public const string DeviceId = "di";
    public const string SecurityEpoch = "ep";
    public const string Version = "v";
    public const string RevokedAt = "ra";
    public const string RevocationReason = "rr";
    public const string Data = "d";
    public const string DataKey = "k";
    public const string DataValue = "x";
    public const string KeyBinding = "kb";
    public const string Thumbprint = "t";
    public const string PublicKeyJwk = "j";
    public const string BoundAt = "b";

    public const string SessionId = "s";
    public const string ClientId = "cl";
    public const string KeyThumbprint = "kt";
    public const string Generation = "g";
    public const string CurrentTokenHash = "ch";
    public const string CurrentIssuedAt = "ci";
    public const string CurrentIdleExpiresAt = "cie";
    public const string SealedCurrentToken = "sc";
    public const string PreviousTokenHash = "ph";
    public const string RotatedAt = "rot";
    public const string SpentTokenHashes = "sp";

    public const string FamilyId = "f";

    public const string KnownDevices = "kd";
    public const string DeviceKey = "k";
    public const string DeviceIdHash = "dh";
    public const string UserAgentFamily = "uf";
    public const string FirstSeenAt = "fs";

    public const string Instant = "t";

    // The coarse place of a session or a known device (never an address), and the sign-in risk reasons of a session.
    public const string Location = "lo";
    public const string LocatedAt = "la";
    public const string SignInRisk = "sk";
    public const string PlaceCountry = "cc";
    public const string PlaceCity = "cy";
    public const string PlaceLatitude = "lat";
    public const string PlaceLongitude = "lon";
    public const string PlaceRadius = "r";
    public const string PlaceAsn = "as";

    private const long MaxTicks = 3155378975999999999; // DateTimeOffset.MaxValue.UtcTicks

    /// <summary>
    /// The indexed form of a user id: SHA-256 of its UTF-8 bytes, in base64url. LiteDB limits an index key
    /// to about 1 KB, and user ids may be longer (in bytes) than that; the hash has a fixed 43 characters.
    /// Every match on it is confirmed against the stored id, so even a collision could not mix users.
    /// </summary>
    public static string UserKeyOf(string userId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    public static BsonValue Ticks(DateTimeOffset value) => new(value.UtcTicks);

    public static BsonDocument ToDocument(Session session)
    {
        BsonArray data = [];
        foreach (KeyValuePair<string, string> entry in session.Data)
        {
            data.Add(new BsonDocument { [DataKey] = entry.Key, [DataValue] = entry.Value });
        }

        return new BsonDocument
        {
            [Id] = session.Id.ToString(),
            [UserKey] = UserKeyOf(session.UserId),
            [UserId] = session.UserId,
            [CreatedAt] = Ticks(session.CreatedAt),
            [LastSeenAt] = Ticks(session.LastSeenAt),
            [IdleExpiresAt] = Ticks(session.IdleExpiresAt),
            [AbsoluteExpiresAt] = Ticks(session.AbsoluteExpiresAt),
            [AuthenticatedAt] = Ticks(session.AuthenticatedAt),
            [AuthenticationLevel] = session.AuthenticationLevel,
            [AuthenticationMethods] = Texts(session.AuthenticationMethods),
            [Device] = session.Device is { } device
                ? new BsonDocument { [DeviceUserAgent] = Text(device.UserAgent), [DeviceNetwork] = Text(device.Network), [DeviceId] = Text(device.DeviceId) }
                : BsonValue.Null,
            [SecurityEpoch] = session.SecurityEpoch,
            [Version] = session.Version,
            [RevokedAt] = Ticks(session.RevokedAt),
            [RevocationReason] = session.RevocationReason is { } reason ? (int)reason : BsonValue.Null,
            [Data] = data,
            [KeyBinding] = session.KeyBinding is { } binding
                ? new BsonDocument { [Thumbprint] = binding.Thumbprint, [PublicKeyJwk] = binding.PublicKeyJwk, [BoundAt] = Ticks(binding.BoundAt) }
                : BsonValue.Null,
            [Location] = Place(session.Location),
            [SignInRisk] = (int)session.SignInRisk,
        };
    }

    public static Session ToSession(BsonDocument doc)
    {
        Dictionary<string, string> data = new(StringComparer.Ordinal);
        foreach (BsonValue entry in ReadArray(Field(doc, Data)))
        {
            data[ReadString(Field(entry, DataKey))] = ReadString(Field(entry, DataValue));
        }

        BsonValue device = doc[Device];
        BsonValue binding = doc[KeyBinding];
        return new Session
        {
            Id = Tokens.SessionId.Parse(ReadString(Field(doc, Id))),
            UserId = ReadString(Field(doc, UserId)),
            CreatedAt = FromTicks(Field(doc, CreatedAt)),
            LastSeenAt = FromTicks(Field(doc, LastSeenAt)),
            IdleExpiresAt = FromTicks(Field(doc, IdleExpiresAt)),
            AbsoluteExpiresAt = FromTicks(Field(doc, AbsoluteExpiresAt)),
            AuthenticatedAt = FromTicks(Field(doc, AuthenticatedAt)),
            AuthenticationLevel = ReadInt32(Field(doc, AuthenticationLevel)),
            AuthenticationMethods = ReadTexts(Field(doc, AuthenticationMethods), ReadString),
            Device = device.IsNull ? null : new SessionDevice(NullableText(Field(device, DeviceUserAgent)), NullableText(Field(device, DeviceNetwork)), NullableText(Field(device, DeviceId))),
            SecurityEpoch = ReadInt64(Field(doc, SecurityEpoch)),
            Version = ReadInt64(Field(doc, Version)),
            RevokedAt = NullableTicks(Field(doc, RevokedAt)),
            RevocationReason = doc[RevocationReason].IsNull ? null : (RevocationReason)ReadInt32(Field(doc, RevocationReason)),
            Data = data,
            KeyBinding = binding.IsNull ? null : new SessionKeyBinding(ReadString(Field(binding, Thumbprint)), ReadString(Field(binding, PublicKeyJwk)), FromTicks(Field(binding, BoundAt))),
            Location = ReadPlace(doc[Location]),
            SignInRisk = doc[SignInRisk].IsNull ? SignInRiskReason.None : (SignInRiskReason)ReadInt32(doc[SignInRisk]),
        };
    }

    public static BsonDocument ToDocument(RefreshFamily family)
    {
        BsonArray spent = [];
        foreach (RefreshTokenHash hash in family.SpentTokenHashes)
        {
            spent.Add(hash.ToString());
        }

        return new BsonDocument
        {
            [Id] = family.FamilyId.ToString(),
            [SessionId] = family.SessionId.ToString(),
            [UserId] = family.UserId,
            [ClientId] = Text(family.ClientId),
            [KeyThumbprint] = Text(family.KeyThumbprint),
            [CreatedAt] = Ticks(family.CreatedAt),
            [AbsoluteExpiresAt] = Ticks(family.AbsoluteExpiresAt),
            [Generation] = family.Generation,
            [CurrentTokenHash] = family.CurrentTokenHash.ToString(),
            [CurrentIssuedAt] = Ticks(family.CurrentIssuedAt),
            [CurrentIdleExpiresAt] = Ticks(family.CurrentIdleExpiresAt),
            [SealedCurrentToken] = family.SealedCurrentToken.ToArray(),
            [PreviousTokenHash] = Text(family.PreviousTokenHash?.ToString()),
            [RotatedAt] = Ticks(family.RotatedAt),
            [SpentTokenHashes] = spent,
            [RevokedAt] = Ticks(family.RevokedAt),
            [RevocationReason] = family.RevocationReason is { } reason ? (int)reason : BsonValue.Null,
            [Version] = family.Version,
        };
    }

    public static RefreshFamily ToFamily(BsonDocument doc) => new()
    {
        FamilyId = RefreshFamilyId.Parse(ReadString(Field(doc, Id))),
        SessionId = Tokens.SessionId.Parse(ReadString(Field(doc, SessionId))),
        UserId = ReadString(Field(doc, UserId)),
        ClientId = NullableText(Field(doc, ClientId)),
        KeyThumbprint = NullableText(Field(doc, KeyThumbprint)),
        CreatedAt = FromTicks(Field(doc, CreatedAt)),
        AbsoluteExpiresAt = FromTicks(Field(doc, AbsoluteExpiresAt)),
        Generation = ReadInt32(Field(doc, Generation)),
        CurrentTokenHash = ReadHash(Field(doc, CurrentTokenHash)),
        CurrentIssuedAt = FromTicks(Field(doc, CurrentIssuedAt)),
        CurrentIdleExpiresAt = FromTicks(Field(doc, CurrentIdleExpiresAt)),
        SealedCurrentToken = Field(doc, SealedCurrentToken) is { IsBinary: true } sealedToken ? sealedToken.AsBinary : throw Corrupt(),
        PreviousTokenHash = doc[PreviousTokenHash].IsNull ? null : ReadHash(Field(doc, PreviousTokenHash)),
        RotatedAt = NullableTicks(Field(doc, RotatedAt)),
        SpentTokenHashes = ReadTexts(Field(doc, SpentTokenHashes), ReadHash),
        RevokedAt = NullableTicks(Field(doc, RevokedAt)),
        RevocationReason = doc[RevocationReason].IsNull ? null : (RevocationReason)ReadInt32(Field(doc, RevocationReason)),
        Version = ReadInt64(Field(doc, Version)),
    };

    public static BsonDocument ToDocument(UserSecurityState state)
    {
        BsonArray devices = [];
        foreach (KnownDevice device in state.KnownDevices)
        {
            devices.Add(new BsonDocument
            {
                [DeviceKey] = device.Key,
                [DeviceIdHash] = Text(device.DeviceIdHash),
                [UserAgentFamily] = Text(device.UserAgentFamily),
                [DeviceNetwork] = Text(device.Network),
                [FirstSeenAt] = Ticks(device.FirstSeenAt),
                [LastSeenAt] = Ticks(device.LastSeenAt),
                [Location] = Place(device.LastLocation),
                [LocatedAt] = device.LastLocation is null ? BsonValue.Null : Ticks(device.LastLocatedAt),
            });
        }

        return new BsonDocument { [Id] = UserKeyOf(state.UserId), [UserId] = state.UserId, [SecurityEpoch] = state.SecurityEpoch, [KnownDevices] = devices };
    }

    public static UserSecurityState ToUserState(BsonDocument doc)
    {
        BsonArray array = ReadArray(Field(doc, KnownDevices));
        KnownDevice[] devices = new KnownDevice[array.Count];
        for (int i = 0; i < devices.Length; i++)
        {
            BsonValue d = array[i];
            devices[i] = new KnownDevice(
                ReadString(Field(d, DeviceKey)),
                NullableText(Field(d, DeviceIdHash)),
                NullableText(Field(d, UserAgentFamily)),
                NullableText(Field(d, DeviceNetwork)),
                FromTicks(Field(d, FirstSeenAt)),
                FromTicks(Field(d, LastSeenAt)));
            if (ReadPlace(d[Location]) is { } place)
            {
                // Records written before places were kept have neither field.
                devices[i] = devices[i] with { LastLocation = place, LastLocatedAt = NullableTicks(d[LocatedAt]) };
            }
        }

        return new UserSecurityState(ReadString(Field(doc, UserId)), ReadEpoch(doc), devices);
    }

    public static long ReadEpoch(BsonDocument user) => ReadInt64(Field(user, SecurityEpoch));

    public static string ReadString(BsonValue value) => value.IsString ? value.AsString : throw Corrupt();

    public static DateTimeOffset FromTicks(BsonValue value) =>
        value.IsInt64 && value.AsInt64 is >= 0 and <= MaxTicks ? new DateTimeOffset(value.AsInt64, TimeSpan.Zero) : throw Corrupt();

    // Readers check every value's BSON type, so a record of the wrong shape (another collection's, a
    // missing or mistyped field, an out-of-range instant) is a FormatException the store wraps in
    // SessionStoreException, never a null required value or a driver exception that quotes the raw value.
    private static BsonValue Place(CoarseLocation? place) => place is null
        ? BsonValue.Null
        : new BsonDocument
        {
            [PlaceCountry] = Text(place.CountryCode),
            [PlaceCity] = Text(place.City),
            [PlaceLatitude] = place.Latitude is double latitude ? new BsonValue(latitude) : BsonValue.Null,
            [PlaceLongitude] = place.Longitude is double longitude ? new BsonValue(longitude) : BsonValue.Null,
            [PlaceRadius] = place.AccuracyRadiusKm is int radius ? new BsonValue(radius) : BsonValue.Null,
            [PlaceAsn] = place.AutonomousSystemNumber is long asn ? new BsonValue(asn) : BsonValue.Null,
        };

    // CoarseLocation.Restore sanitises again, so a damaged place reads as unknown fields; a wrong type is corruption.
    private static CoarseLocation? ReadPlace(BsonValue value) => value.IsNull
        ? null
        : CoarseLocation.Restore(
            NullableText(Field(value, PlaceCountry)),
            NullableText(Field(value, PlaceCity)),
            NullableDouble(value[PlaceLatitude]),
            NullableDouble(value[PlaceLongitude]),
            value[PlaceRadius].IsNull ? null : ReadInt32(value[PlaceRadius]),
            value[PlaceAsn].IsNull ? null : ReadInt64(value[PlaceAsn]));

    private static double? NullableDouble(BsonValue value) => value.IsNull ? null : value.IsDouble ? value.AsDouble : throw Corrupt();

    private static BsonValue Field(BsonValue document, string name) => document.IsDocument ? document[name] : throw Corrupt();

    private static BsonValue Ticks(DateTimeOffset? value) => value is { } v ? new BsonValue(v.UtcTicks) : BsonValue.Null;

    private static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static BsonArray Texts(IReadOnlyList<string> values)
    {
        BsonArray array = [];
        foreach (string value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private static T[] ReadTexts<T>(BsonValue value, Func<BsonValue, T> read)
    {
        BsonArray array = ReadArray(value);
        T[] items = new T[array.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = read(array[i]);
        }

        return items;
    }

    private static RefreshTokenHash ReadHash(BsonValue value) => RefreshTokenHash.Parse(ReadString(value));

    private static DateTimeOffset? NullableTicks(BsonValue value) => value.IsNull ? null : FromTicks(value);

    private static string? NullableText(BsonValue value) => value.IsNull ? null : ReadString(value);

    private static BsonArray ReadArray(BsonValue value) => value.IsArray ? value.AsArray : throw Corrupt();

    private static int ReadInt32(BsonValue value) => value.IsInt32 ? value.AsInt32 : throw Corrupt();

    private static long ReadInt64(BsonValue value) => value.IsInt64 || value.IsInt32 ? value.AsInt64 : throw Corrupt();

    private static FormatException Corrupt() => new(Error.CorruptRecord);
}
