using System;
using System.Collections.Generic;
using System.Linq;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Tokens;
using M = SessionCore.Stores.LiteDb.Internal.LiteDbMapper;

namespace SessionCore.Stores.LiteDb.Internal;

/// <summary>
/// The store's records as <see cref="StoreDecisions"/> sees them inside one LiteDB transaction. Used only under the
/// store's lock: the query expressions are parsed once and their parameter is set before each use, so no lookup
/// parses or compiles query text, and no value ever becomes part of one.
/// </summary>
internal sealed class LiteDbRecords : IStoreRecords
{
    private const string RevokedBeforeKey = "revoked_before";
    private const string SingleUseExpiresAt = "exp";

    // Every this many recorded single uses, expired entries are deleted in the same transaction, so the collection
    // stays bounded even when no purge timer runs.
    private const int SingleUsePurgeEvery = 1024;

    private readonly ILiteCollection<BsonDocument> _sessions;
    private readonly ILiteCollection<BsonDocument> _families;
    private readonly ILiteCollection<BsonDocument> _tokens;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly ILiteCollection<BsonDocument> _global;
    private readonly ILiteCollection<BsonDocument> _singleUse;
    private readonly BsonExpression _byId = Parameterised("_id = @0");
    private readonly BsonExpression _byUserKey = Parameterised("$." + M.UserKey + " = @0");
    private readonly BsonExpression _bySession = Parameterised("$." + M.SessionId + " = @0");
    private readonly BsonExpression _absoluteDue = Parameterised("$." + M.AbsoluteExpiresAt + " <= @0");
    private readonly BsonExpression _idleDue = Parameterised("$." + M.IdleExpiresAt + " <= @0");
    private readonly BsonExpression _singleUseDue = Parameterised("$." + SingleUseExpiresAt + " <= @0");
    private int _singleUseWrites;
    private DateTimeOffset? _revokedBefore;
    private DateTimeOffset? _pendingRevokedBefore;
    private (string Key, BsonDocument? Doc)? _userRead;

    public LiteDbRecords(LiteDatabase db)
    {
        _sessions = db.GetCollection("sessions", BsonAutoId.ObjectId);
        _families = db.GetCollection("refresh_families", BsonAutoId.ObjectId);
        _tokens = db.GetCollection("refresh_tokens", BsonAutoId.ObjectId);
        _users = db.GetCollection("users", BsonAutoId.ObjectId);
        _global = db.GetCollection("global", BsonAutoId.ObjectId);
        _singleUse = db.GetCollection("single_use", BsonAutoId.ObjectId);
        _sessions.EnsureIndex(M.UserKey, "$." + M.UserKey, false);
        _sessions.EnsureIndex(M.IdleExpiresAt, "$." + M.IdleExpiresAt, false);
        _sessions.EnsureIndex(M.AbsoluteExpiresAt, "$." + M.AbsoluteExpiresAt, false);
        _families.EnsureIndex(M.SessionId, "$." + M.SessionId, false);
        _families.EnsureIndex(M.AbsoluteExpiresAt, "$." + M.AbsoluteExpiresAt, false);
        _singleUse.EnsureIndex(SingleUseExpiresAt, "$." + SingleUseExpiresAt, false);
        _revokedBefore = FindById(_global, RevokedBeforeKey) is { } doc ? M.FromTicks(doc[M.Instant]) : null;
    }

    // The file belongs to this process and every write runs under the store's lock, so the committed instant is held
    // in memory: reading it costs no lookup, and it is exactly what the file holds.
    public DateTimeOffset? RevokedBefore => _pendingRevokedBefore ?? _revokedBefore;

    public void Begin()
    {
        _pendingRevokedBefore = null;
        _userRead = null;
    }

    public void Committed() => _revokedBefore = RevokedBefore;

    public Session? FindSession(SessionId id) => !id.IsEmpty && FindById(_sessions, id.ToString()) is { } doc ? M.ToSession(doc) : null;

    // The index holds a hash of the user id; the stored id decides.
    public IReadOnlyList<Session> FindUserSessions(string userId) =>
        [.. Find(_sessions, _byUserKey, M.UserKeyOf(userId)).Where(doc => IsExactly(doc[M.UserId], userId)).Select(M.ToSession)];

    public RefreshFamily? FindFamily(RefreshTokenHash tokenHash) =>
        !tokenHash.IsEmpty && FindById(_tokens, tokenHash.ToString()) is { } token && FindById(_families, M.ReadString(token[M.FamilyId])) is { } doc
            ? M.ToFamily(doc)
            : null;

    public IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId) =>
        [.. Find(_families, _bySession, sessionId.ToString()).Where(doc => IsExactly(doc[M.SessionId], sessionId.ToString())).Select(M.ToFamily)];

    public UserSecurityState FindUser(string userId) => FindUserDocument(userId) is { } doc ? M.ToUserState(doc) : new UserSecurityState(userId, 0, []);

    public long FindSecurityEpoch(string userId) => FindUserDocument(userId) is { } doc ? M.ReadEpoch(doc) : 0;

    // No "does it exist?" read first: the unique _id index refuses a duplicate, and the transaction rolls back.
    public void InsertSession(Session session) => Insert(_sessions, M.ToDocument(session));

    public void UpdateSession(Session session) => _sessions.Update(M.ToDocument(session));

    public void InsertFamily(RefreshFamily family)
    {
        Insert(_families, M.ToDocument(family));
        Insert(_tokens, TokenDocument(family.CurrentTokenHash, family.FamilyId));
    }

    public void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash)
    {
        _families.Update(M.ToDocument(family));
        if (addedTokenHash is RefreshTokenHash added)
        {
            Insert(_tokens, TokenDocument(added, family.FamilyId));
        }

        if (removedTokenHash is RefreshTokenHash removed)
        {
            _tokens.Delete(removed.ToString());
        }
    }

    public void UpdateUser(UserSecurityState state)
    {
        // The decisions read a user before they write one, so the document at the key is known. Ids that differ only in
        // an unpaired surrogate share a key (sign-in refuses such ids); such a write is refused, never mixed in.
        BsonDocument doc = M.ToDocument(state);
        string key = doc[M.Id].AsString;
        BsonDocument? stored = _userRead is (string readKey, var read) && readKey == key ? read : FindById(_users, key);
        if (stored is not null && !IsExactly(stored[M.UserId], state.UserId))
        {
            throw new SessionStoreException(Error.UserKeyShared);
        }

        _users.Upsert(doc);
    }

    public DateTimeOffset RevokeEverySession(DateTimeOffset now)
    {
        if (RevokedBefore is DateTimeOffset current && current >= now)
        {
            return current;
        }

        _global.Upsert(new BsonDocument { [M.Id] = RevokedBeforeKey, [M.Instant] = M.Ticks(now) });
        _pendingRevokedBefore = now;
        return now;
    }

    public int Purge(DateTimeOffset now)
    {
        BsonValue ticks = M.Ticks(now);
        int removed = 0;
        foreach (string id in Find(_sessions, _absoluteDue, ticks).Concat(Find(_sessions, _idleDue, ticks))
            .Select(M.ToSession).Where(s => s.IsPurgeableAt(now)).Select(s => s.Id.ToString()).Distinct(StringComparer.Ordinal).ToList())
        {
            removed += _sessions.Delete(id) ? 1 : 0;
        }

        foreach (RefreshFamily family in Find(_families, _absoluteDue, ticks).Select(M.ToFamily).Where(f => f.IsPurgeableAt(now)).ToList())
        {
            foreach (RefreshTokenHash hash in family.TokenHashes)
            {
                _tokens.Delete(hash.ToString());
            }

            removed += _families.Delete(family.FamilyId.ToString()) ? 1 : 0;
        }

        PurgeSingleUse(now);
        return removed;
    }

    public bool TryUseOnce(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        string id = SingleUseId(key);
        if (FindById(_singleUse, id) is { } existing)
        {
            BsonValue liveUntil = existing[SingleUseExpiresAt];
            if (!liveUntil.IsInt64)
            {
                throw new SessionStoreException(Error.CorruptRecord);
            }

            if (liveUntil.AsInt64 > now.UtcTicks)
            {
                return false;
            }
        }

        if (++_singleUseWrites % SingleUsePurgeEvery == 0)
        {
            PurgeSingleUse(now);
        }

        _singleUse.Upsert(new BsonDocument { [M.Id] = id, [SingleUseExpiresAt] = expiresAt.UtcTicks });
        return true;
    }

    // Upper-case hex: one spelling per key under any collation the file was created with.
    private static string SingleUseId(SingleUseKey key)
    {
        Span<byte> bytes = stackalloc byte[SingleUseKey.Size];
        key.CopyTo(bytes);
        return Convert.ToHexString(bytes);
    }

    // Expired entries only; not counted in the purge's result, which counts sessions and families.
    private void PurgeSingleUse(DateTimeOffset now)
    {
        _singleUseDue.Parameters["0"] = new BsonValue(now.UtcTicks);
        _singleUse.DeleteMany(_singleUseDue);
    }

    private static BsonExpression Parameterised(string predicate) => BsonExpression.Create(predicate, BsonValue.Null);

    private static BsonDocument TokenDocument(RefreshTokenHash tokenHash, RefreshFamilyId familyId) =>
        new() { [M.Id] = tokenHash.ToString(), [M.FamilyId] = familyId.ToString() };

    private static bool IsExactly(BsonValue stored, string expected) => stored.IsString && string.Equals(stored.AsString, expected, StringComparison.Ordinal);

    // A file's string comparison is fixed when it is created, and LiteDB's default ignores case; files this store
    // creates compare ordinally, but one created elsewhere may not. Every lookup therefore confirms the key byte for
    // byte, so a key differing only in case never reaches another record.
    private BsonDocument? FindById(ILiteCollection<BsonDocument> collection, string id)
    {
        _byId.Parameters["0"] = id;
        return collection.FindOne(_byId) is { } doc && IsExactly(doc[M.Id], id) ? doc : null;
    }

    private BsonDocument? FindUserDocument(string userId)
    {
        string key = M.UserKeyOf(userId);
        BsonDocument? doc = FindById(_users, key);
        _userRead = (key, doc);
        return doc is not null && IsExactly(doc[M.UserId], userId) ? doc : null;
    }

    private static List<BsonDocument> Find(ILiteCollection<BsonDocument> collection, BsonExpression predicate, BsonValue value)
    {
        predicate.Parameters["0"] = value;
        return [.. collection.Find(predicate)];
    }

    private static void Insert(ILiteCollection<BsonDocument> collection, BsonDocument doc)
    {
        try
        {
            collection.Insert(doc);
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Without the driver's exception: its message quotes the key.
            throw new InvalidOperationException(Error.DuplicateKey);
        }
    }
}
