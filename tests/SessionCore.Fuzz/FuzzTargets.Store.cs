using System;
using System.Collections.Generic;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> StoreTargets() =>
    [
        new("litedb-document", "LiteDB BsonSerializer.Deserialize, then the store's BsonDocument -> Session / RefreshFamily / UserSecurityState mapping", LiteDbDocument, CorruptRecord, isolated: true),
    ];

    // The mapper's documented answer to a record of the wrong shape: FormatException (the store wraps it
    // in SessionStoreException). Anything else, or a record that maps with a missing required value, is a bug.
    private static bool CorruptRecord(Exception ex) => ex.GetType() == typeof(FormatException);

    private static void LiteDbDocument(byte[] input)
    {
        // The BSON decoder is LiteDB's, not ours: a document it refuses never reaches the mapper.
        BsonDocument? doc = ExceptionMonitor.Unwatched(() =>
        {
            try
            {
                return BsonSerializer.Deserialize(input);
            }
#pragma warning disable CA1031 // Input the driver itself refuses is out of scope here.
            catch (Exception)
#pragma warning restore CA1031
            {
                return null;
            }
        });
        if (doc is null)
        {
            return;
        }

        Map(() =>
        {
            Session session = LiteDbMapper.ToSession(doc);
            InvariantViolationException.Check(session.UserId is not null && session.Data is not null && session.AuthenticationMethods is not null && !session.Id.IsEmpty, "a mapped session has its required values");
            InvariantViolationException.Check(session.KeyBinding is null || (session.KeyBinding.Thumbprint is not null && session.KeyBinding.PublicKeyJwk is not null), "a mapped key binding has its values");
            foreach (KeyValuePair<string, string> entry in session.Data)
            {
                InvariantViolationException.Check(entry.Key is not null && entry.Value is not null, "session data has no null entries");
            }
        });
        Map(() =>
        {
            RefreshFamily family = LiteDbMapper.ToFamily(doc);
            InvariantViolationException.Check(!family.FamilyId.IsEmpty && family.UserId is not null && !family.CurrentTokenHash.IsEmpty && !family.SessionId.IsEmpty, "a mapped family has its required values");
            foreach (RefreshTokenHash hash in family.TokenHashes)
            {
                InvariantViolationException.Check(!hash.IsEmpty, "a family's hashes are not empty");
            }
        });
        Map(() =>
        {
            UserSecurityState state = LiteDbMapper.ToUserState(doc);
            InvariantViolationException.Check(state.UserId is not null, "a mapped user state has its user id");
            foreach (KnownDevice device in state.KnownDevices)
            {
                InvariantViolationException.Check(device.Key is not null, "a known device has its key");
            }
        });
    }

    private static void Map(Action mapping)
    {
        try
        {
            mapping();
        }
        catch (FormatException)
        {
        }
    }
}
