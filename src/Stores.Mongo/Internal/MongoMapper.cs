using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using SessionCore.Devices;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Mongo.Internal;

/// <summary>
/// Hand-written mapping between the store records and BSON documents, with short explicit field names.
/// Instants are stored as UTC ticks (Int64) so a round trip is exact; BSON dates (milliseconds) appear only
/// in the TTL field. Host data keys are stored as values, never as field names, so keys such as "$where"
/// or "a.b" are harmless.
/// </summary>
internal static class MongoMapper
{
    public const string Id = "_id";
    public const string UserId = "u";
    public const string Version = "v";
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

    public const string SessionId = "s";
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

    /// <summary>The document key of a user: SHA-256 of the UTF-8 id in base64url, fixed length whatever the id.</summary>
    // Lenient on purpose (a lone surrogate becomes U+FFFD), so a document is always writable. Ids that differ only
    // there share a key: session revoke-all and listing compare the stored user id, the users collection (epoch,
    // devices) does not. Sign-in refuses such ids, so only records written before that rule can meet this.
    public static string UserKeyOf(string userId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    public static BsonValue Ticks(DateTimeOffset value) => new BsonInt64(value.UtcTicks);

    public static BsonValue Ticks(DateTimeOffset? value) => value is { } v ? new BsonInt64(v.UtcTicks) : BsonNull.Value;

    public static BsonValue Text(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    public static BsonDocument ToDocument(UserSessions set)
    {
        BsonArray sessions = [];
        foreach (Session session in set.Sessions)
        {
            sessions.Add(ToDocument(session));
        }

        BsonArray families = [];
        foreach (RefreshFamily family in set.Families)
        {
            families.Add(ToDocument(family));
        }

        DateTimeOffset expires = set.ExpiresAt();
        return new BsonDocument
        {
            { Id, UserKeyOf(set.UserId) },
            { UserId, set.UserId },
            { Version, new BsonInt64(checked(set.Version + 1)) },
            { Sessions, sessions },
            { Families, families },
            { NextPurge, Ticks(set.NextPurgeAt()) },
            { ExpiresAt, new BsonDateTime(expires.UtcDateTime) },
        };
    }

    public static UserSessions ToUserSessions(BsonDocument doc)
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

        return new UserSessions(userId, doc[Version].AsInt64, sessions, families);
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
            Device = device.IsBsonDocument
                ? new SessionDevice(NullableText(device[DeviceUserAgent]), NullableText(device[DeviceNetwork]), NullableText(device[DeviceId]))
                : null,
            SecurityEpoch = doc[SecurityEpoch].AsInt64,
            Version = doc[Version].AsInt64,
            RevokedAt = NullableTicks(doc[RevokedAt]),
            RevocationReason = doc[RevocationReason].IsBsonNull ? null : (RevocationReason)doc[RevocationReason].AsInt32,
            Data = data,
        };
    }

    public static BsonDocument ToDocument(RefreshFamily family)
    {
        BsonArray spent = [];
        BsonArray hashes = [family.CurrentTokenHash];
        if (family.PreviousTokenHash is not null)
        {
            hashes.Add(family.PreviousTokenHash);
        }

        foreach (string hash in family.SpentTokenHashes)
        {
            spent.Add(hash);
            hashes.Add(hash);
        }

        return new BsonDocument
        {
            { Id, family.FamilyId },
            { SessionId, family.SessionId.ToString() },
            { CreatedAt, Ticks(family.CreatedAt) },
            { AbsoluteExpiresAt, Ticks(family.AbsoluteExpiresAt) },
            { Generation, family.Generation },
            { CurrentTokenHash, family.CurrentTokenHash },
            { CurrentIssuedAt, Ticks(family.CurrentIssuedAt) },
            { CurrentIdleExpiresAt, Ticks(family.CurrentIdleExpiresAt) },
            { SealedCurrentToken, new BsonBinaryData(family.SealedCurrentToken.ToArray()) },
            { PreviousTokenHash, Text(family.PreviousTokenHash) },
            { RotatedAt, Ticks(family.RotatedAt) },
            { SpentTokenHashes, spent },
            { TokenHashes, hashes },
            { RevokedAt, Ticks(family.RevokedAt) },
            { RevocationReason, family.RevocationReason is { } reason ? new BsonInt32((int)reason) : BsonNull.Value },
            { Version, new BsonInt64(family.Version) },
        };
    }

    public static RefreshFamily ToFamily(BsonDocument doc, string userId)
    {
        BsonArray spentArray = doc[SpentTokenHashes].AsBsonArray;
        string[] spent = new string[spentArray.Count];
        for (int i = 0; i < spent.Length; i++)
        {
            spent[i] = spentArray[i].AsString;
        }

        return new RefreshFamily
        {
            FamilyId = doc[Id].AsString,
            SessionId = Tokens.SessionId.Parse(doc[SessionId].AsString),
            UserId = userId,
            CreatedAt = FromTicks(doc[CreatedAt]),
            AbsoluteExpiresAt = FromTicks(doc[AbsoluteExpiresAt]),
            Generation = doc[Generation].AsInt32,
            CurrentTokenHash = doc[CurrentTokenHash].AsString,
            CurrentIssuedAt = FromTicks(doc[CurrentIssuedAt]),
            CurrentIdleExpiresAt = FromTicks(doc[CurrentIdleExpiresAt]),
            SealedCurrentToken = doc[SealedCurrentToken].AsBsonBinaryData.Bytes,
            PreviousTokenHash = NullableText(doc[PreviousTokenHash]),
            RotatedAt = NullableTicks(doc[RotatedAt]),
            SpentTokenHashes = spent,
            RevokedAt = NullableTicks(doc[RevokedAt]),
            RevocationReason = doc[RevocationReason].IsBsonNull ? null : (RevocationReason)doc[RevocationReason].AsInt32,
            Version = doc[Version].AsInt64,
        };
    }

    public static BsonDocument ToDocument(KnownDevice device) => new()
    {
        { DeviceKey, device.Key },
        { DeviceIdHash, Text(device.DeviceIdHash) },
        { UserAgentFamily, Text(device.UserAgentFamily) },
        { DeviceNetwork, Text(device.Network) },
        { FirstSeenAt, Ticks(device.FirstSeenAt) },
        { LastSeenAt, Ticks(device.LastSeenAt) },
    };

    public static UserSecurityState ToUserState(BsonDocument doc)
    {
        BsonArray array = doc.GetValue(KnownDevices, new BsonArray()).AsBsonArray;
        KnownDevice[] devices = new KnownDevice[array.Count];
        for (int i = 0; i < devices.Length; i++)
        {
            BsonValue d = array[i];
            devices[i] = new KnownDevice(
                d[DeviceKey].AsString,
                NullableText(d[DeviceIdHash]),
                NullableText(d[UserAgentFamily]),
                NullableText(d[DeviceNetwork]),
                FromTicks(d[FirstSeenAt]),
                FromTicks(d[LastSeenAt]));
        }

        return new UserSecurityState(doc[UserId].AsString, doc.GetValue(SecurityEpoch, 0L).ToInt64(), devices);
    }

    private static DateTimeOffset FromTicks(BsonValue value) =>
        value.IsInt64 ? new DateTimeOffset(value.AsInt64, TimeSpan.Zero) : throw new FormatException(Error.CorruptRecord);

    private static DateTimeOffset? NullableTicks(BsonValue value) => value.IsBsonNull ? null : FromTicks(value);

    private static string? NullableText(BsonValue value) => value.IsBsonNull ? null : value.AsString;
}
