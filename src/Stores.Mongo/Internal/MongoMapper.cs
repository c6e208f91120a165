using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using SessionCore.Devices;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Mongo.Internal;

/// <summary>
/// Hand-written mapping between the store records and BSON documents, with short explicit field names.
/// Instants are stored as UTC ticks (Int64) so a round trip is exact; BSON dates (milliseconds) appear only
/// in the TTL field. Host data keys are stored as values, never as field names, so keys such as "$where"
/// or "a.b" are harmless. A record of the wrong shape throws (a cast or a format error), which the store reports as
/// <see cref="SessionStoreException"/>.
/// </summary>
internal static class MongoMapper
{
    public const string Id = "_id";
    public const string UserId = "u";
    public const string Version = "v";
    public const string Instant = "t";
    public const string Sessions = "ss";
    public const string Families = "fam";
    public const string NextPurge = "nx";
    public const string ExpiresAt = "exp";

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
    public const string TokenHashes = "th";

    public const string KnownDevices = "kd";
    public const string DeviceKey = "k";
    public const string DeviceIdHash = "dh";
    public const string UserAgentFamily = "uf";
    public const string FirstSeenAt = "fs";

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

    /// <summary>The document key of a user: SHA-256 of the UTF-8 id in base64url, fixed length whatever the id.</summary>
    // Lenient on purpose (a lone surrogate becomes U+FFFD), so a key can always be computed. Ids that differ only there
    // share a key: every read compares the stored user id, and a write for the other id is refused (UserRecords).
    // Sign-in refuses such ids, so only records written before that rule can meet this.
    public static string UserKeyOf(string userId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    public static BsonValue Ticks(DateTimeOffset value) => new BsonInt64(value.UtcTicks);

    public static BsonDocument ToDocument(UserRecords records)
    {
        BsonArray sessions = [];
        DateTimeOffset next = DateTimeOffset.MaxValue;
        DateTimeOffset last = DateTimeOffset.MinValue;
        foreach (Session session in records.Sessions)
        {
            sessions.Add(ToDocument(session));
            next = Min(next, session.IsRevoked ? session.AbsoluteExpiresAt : Min(session.IdleExpiresAt, session.AbsoluteExpiresAt));
            last = session.AbsoluteExpiresAt > last ? session.AbsoluteExpiresAt : last;
        }

        BsonArray families = [];
        foreach (RefreshFamily family in records.Families)
        {
            families.Add(ToDocument(family));
            next = Min(next, family.AbsoluteExpiresAt);
            last = family.AbsoluteExpiresAt > last ? family.AbsoluteExpiresAt : last;
        }

        BsonArray devices = [];
        foreach (KnownDevice device in records.Devices)
        {
            devices.Add(ToDocument(device));
        }

        BsonDocument doc = new()
        {
            { Id, UserKeyOf(records.UserId!) },
            { UserId, records.UserId },
            { Version, new BsonInt64(checked(records.Version + 1)) },
            { SecurityEpoch, new BsonInt64(records.Epoch) },
            { KnownDevices, devices },
            { Sessions, sessions },
            { Families, families },
            { NextPurge, Ticks(next) },
        };

        // The TTL index deletes a document once nothing in it can be used, unless it carries what must outlive the
        // sessions: a security epoch (online-validated tokens are judged against it) or remembered devices.
        if (records.Epoch == 0 && records.Devices.Count == 0)
        {
            doc.Add(ExpiresAt, new BsonDateTime(last.UtcDateTime));
        }

        return doc;
    }

    public static UserRecords ToRecords(BsonDocument doc, DateTimeOffset? revokedBefore)
    {
        List<Session> sessions = [];
        string userId = doc[UserId].AsString;
        foreach (BsonValue s in doc[Sessions].AsBsonArray)
        {
            sessions.Add(ToSession(s.AsBsonDocument, userId));
        }

        List<RefreshFamily> families = [];
        foreach (BsonValue f in doc[Families].AsBsonArray)
        {
            families.Add(ToFamily(f.AsBsonDocument, userId));
        }

        List<KnownDevice> devices = [];
        foreach (BsonValue d in doc[KnownDevices].AsBsonArray)
        {
            devices.Add(new KnownDevice(
                d[DeviceKey].AsString,
                NullableText(d[DeviceIdHash]),
                NullableText(d[UserAgentFamily]),
                NullableText(d[DeviceNetwork]),
                FromTicks(d[FirstSeenAt]),
                FromTicks(d[LastSeenAt])));
            if (ReadPlace(Optional(d, Location)) is { } place)
            {
                // Records written before places were kept have neither field.
                devices[^1] = devices[^1] with { LastLocation = place, LastLocatedAt = NullableTicks(Optional(d, LocatedAt)) };
            }
        }

        return new UserRecords(userId, doc[Version].AsInt64, doc[SecurityEpoch].AsInt64, devices, sessions, families, revokedBefore);
    }

    public static BsonDocument ToDocument(Session session)
    {
        BsonArray data = [];
        foreach (KeyValuePair<string, string> entry in session.Data)
        {
            data.Add(new BsonDocument { { DataKey, entry.Key }, { DataValue, entry.Value } });
        }

        return new BsonDocument
        {
            { Id, session.Id.ToString() },
            { CreatedAt, Ticks(session.CreatedAt) },
            { LastSeenAt, Ticks(session.LastSeenAt) },
            { IdleExpiresAt, Ticks(session.IdleExpiresAt) },
            { AbsoluteExpiresAt, Ticks(session.AbsoluteExpiresAt) },
            { AuthenticatedAt, Ticks(session.AuthenticatedAt) },
            { AuthenticationLevel, session.AuthenticationLevel },
            { AuthenticationMethods, new BsonArray(session.AuthenticationMethods) },
            {
                Device, session.Device is { } device
                    ? new BsonDocument { { DeviceUserAgent, Text(device.UserAgent) }, { DeviceNetwork, Text(device.Network) }, { DeviceId, Text(device.DeviceId) } }
                    : BsonNull.Value
            },
            { SecurityEpoch, new BsonInt64(session.SecurityEpoch) },
            { Version, new BsonInt64(session.Version) },
            { RevokedAt, Ticks(session.RevokedAt) },
            { RevocationReason, session.RevocationReason is { } reason ? new BsonInt32((int)reason) : BsonNull.Value },
            { Data, data },
            {
                KeyBinding, session.KeyBinding is { } binding
                    ? new BsonDocument { { Thumbprint, binding.Thumbprint }, { PublicKeyJwk, binding.PublicKeyJwk }, { BoundAt, Ticks(binding.BoundAt) } }
                    : BsonNull.Value
            },
            { Location, Place(session.Location) },
            { SignInRisk, new BsonInt32((int)session.SignInRisk) },
        };
    }

    public static Session ToSession(BsonDocument doc, string userId)
    {
        Dictionary<string, string> data = new(StringComparer.Ordinal);
        foreach (BsonValue entry in doc[Data].AsBsonArray)
        {
            data[entry[DataKey].AsString] = entry[DataValue].AsString;
        }

        BsonValue device = doc[Device];
        BsonValue binding = doc[KeyBinding];
        return new Session
        {
            Id = Tokens.SessionId.Parse(doc[Id].AsString),
            UserId = userId,
            CreatedAt = FromTicks(doc[CreatedAt]),
            LastSeenAt = FromTicks(doc[LastSeenAt]),
            IdleExpiresAt = FromTicks(doc[IdleExpiresAt]),
            AbsoluteExpiresAt = FromTicks(doc[AbsoluteExpiresAt]),
            AuthenticatedAt = FromTicks(doc[AuthenticatedAt]),
            AuthenticationLevel = doc[AuthenticationLevel].AsInt32,
            AuthenticationMethods = [.. doc[AuthenticationMethods].AsBsonArray.Select(m => m.AsString)],
            Device = device.IsBsonNull ? null : new SessionDevice(NullableText(device[DeviceUserAgent]), NullableText(device[DeviceNetwork]), NullableText(device[DeviceId])),
            SecurityEpoch = doc[SecurityEpoch].AsInt64,
            Version = doc[Version].AsInt64,
            RevokedAt = NullableTicks(doc[RevokedAt]),
            RevocationReason = doc[RevocationReason].IsBsonNull ? null : (RevocationReason)doc[RevocationReason].AsInt32,
            Data = data,
            KeyBinding = binding.IsBsonNull ? null : new SessionKeyBinding(binding[Thumbprint].AsString, binding[PublicKeyJwk].AsString, FromTicks(binding[BoundAt])),
            Location = ReadPlace(Optional(doc, Location)),
            SignInRisk = Optional(doc, SignInRisk) is { IsBsonNull: false } risk ? (SignInRiskReason)risk.AsInt32 : SignInRiskReason.None,
        };
    }

    public static BsonDocument ToDocument(RefreshFamily family) => new()
    {
        { Id, family.FamilyId.ToString() },
        { SessionId, family.SessionId.ToString() },
        { ClientId, Text(family.ClientId) },
        { KeyThumbprint, Text(family.KeyThumbprint) },
        { CreatedAt, Ticks(family.CreatedAt) },
        { AbsoluteExpiresAt, Ticks(family.AbsoluteExpiresAt) },
        { Generation, family.Generation },
        { CurrentTokenHash, family.CurrentTokenHash.ToString() },
        { CurrentIssuedAt, Ticks(family.CurrentIssuedAt) },
        { CurrentIdleExpiresAt, Ticks(family.CurrentIdleExpiresAt) },
        { SealedCurrentToken, new BsonBinaryData(family.SealedCurrentToken.ToArray()) },
        { PreviousTokenHash, Text(family.PreviousTokenHash?.ToString()) },
        { RotatedAt, Ticks(family.RotatedAt) },
        { SpentTokenHashes, new BsonArray(family.SpentTokenHashes.Select(h => h.ToString())) },
        { TokenHashes, new BsonArray(family.TokenHashes.Select(h => h.ToString())) },
        { RevokedAt, Ticks(family.RevokedAt) },
        { RevocationReason, family.RevocationReason is { } reason ? new BsonInt32((int)reason) : BsonNull.Value },
        { Version, new BsonInt64(family.Version) },
    };

    public static RefreshFamily ToFamily(BsonDocument doc, string userId) => new()
    {
        FamilyId = RefreshFamilyId.Parse(doc[Id].AsString),
        SessionId = Tokens.SessionId.Parse(doc[SessionId].AsString),
        UserId = userId,
        ClientId = NullableText(doc[ClientId]),
        KeyThumbprint = NullableText(doc[KeyThumbprint]),
        CreatedAt = FromTicks(doc[CreatedAt]),
        AbsoluteExpiresAt = FromTicks(doc[AbsoluteExpiresAt]),
        Generation = doc[Generation].AsInt32,
        CurrentTokenHash = RefreshTokenHash.Parse(doc[CurrentTokenHash].AsString),
        CurrentIssuedAt = FromTicks(doc[CurrentIssuedAt]),
        CurrentIdleExpiresAt = FromTicks(doc[CurrentIdleExpiresAt]),
        SealedCurrentToken = doc[SealedCurrentToken].AsBsonBinaryData.Bytes,
        PreviousTokenHash = doc[PreviousTokenHash].IsBsonNull ? null : RefreshTokenHash.Parse(doc[PreviousTokenHash].AsString),
        RotatedAt = NullableTicks(doc[RotatedAt]),
        SpentTokenHashes = [.. doc[SpentTokenHashes].AsBsonArray.Select(h => RefreshTokenHash.Parse(h.AsString))],
        RevokedAt = NullableTicks(doc[RevokedAt]),
        RevocationReason = doc[RevocationReason].IsBsonNull ? null : (RevocationReason)doc[RevocationReason].AsInt32,
        Version = doc[Version].AsInt64,
    };

    public static BsonDocument ToDocument(KnownDevice device) => new()
    {
        { DeviceKey, device.Key },
        { DeviceIdHash, Text(device.DeviceIdHash) },
        { UserAgentFamily, Text(device.UserAgentFamily) },
        { DeviceNetwork, Text(device.Network) },
        { FirstSeenAt, Ticks(device.FirstSeenAt) },
        { LastSeenAt, Ticks(device.LastSeenAt) },
        { Location, Place(device.LastLocation) },
        { LocatedAt, device.LastLocation is null ? BsonNull.Value : Ticks(device.LastLocatedAt) },
    };

    public static DateTimeOffset FromTicks(BsonValue value) =>
        value.IsInt64 && value.AsInt64 is >= 0 and <= MaxTicks ? new DateTimeOffset(value.AsInt64, TimeSpan.Zero) : throw new FormatException(Error.CorruptRecord);

    private static BsonValue Ticks(DateTimeOffset? value) => value is { } v ? new BsonInt64(v.UtcTicks) : BsonNull.Value;

    private static BsonValue Text(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    // Fields added after the first release are absent from older records.
    private static BsonValue Optional(BsonValue document, string name) => document.AsBsonDocument.GetValue(name, BsonNull.Value);

    private static BsonValue Place(CoarseLocation? place) => place is null
        ? BsonNull.Value
        : new BsonDocument
        {
            { PlaceCountry, Text(place.CountryCode) },
            { PlaceCity, Text(place.City) },
            { PlaceLatitude, place.Latitude is double latitude ? new BsonDouble(latitude) : BsonNull.Value },
            { PlaceLongitude, place.Longitude is double longitude ? new BsonDouble(longitude) : BsonNull.Value },
            { PlaceRadius, place.AccuracyRadiusKm is int radius ? new BsonInt32(radius) : BsonNull.Value },
            { PlaceAsn, place.AutonomousSystemNumber is long asn ? new BsonInt64(asn) : BsonNull.Value },
        };

    // CoarseLocation.Restore sanitises again, so a damaged place reads as unknown fields; a wrong type is corruption.
    private static CoarseLocation? ReadPlace(BsonValue value) => value.IsBsonNull
        ? null
        : CoarseLocation.Restore(
            NullableText(Optional(value, PlaceCountry)),
            NullableText(Optional(value, PlaceCity)),
            Optional(value, PlaceLatitude) is { IsBsonNull: false } latitude ? latitude.AsDouble : null,
            Optional(value, PlaceLongitude) is { IsBsonNull: false } longitude ? longitude.AsDouble : null,
            Optional(value, PlaceRadius) is { IsBsonNull: false } radius ? radius.AsInt32 : null,
            Optional(value, PlaceAsn) is { IsBsonNull: false } asn ? asn.AsInt64 : null);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset? NullableTicks(BsonValue value) => value.IsBsonNull ? null : FromTicks(value);

    private static string? NullableText(BsonValue value) => value.IsBsonNull ? null : value.AsString;
}
