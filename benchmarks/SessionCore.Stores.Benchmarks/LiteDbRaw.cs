using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;
using M = SessionCore.Stores.LiteDb.Internal.LiteDbMapper;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// The baseline of the LiteDB write benchmarks: each operation as a hand-written LiteDB transaction that makes the same
/// writes as the store, with only the reads those writes need, written the idiomatic way (<c>FindById</c>, parameterised
/// <c>BsonExpression</c>s, the documents edited in place). It holds no lock of its own: LiteDB serializes the writers.
/// </summary>
internal sealed class LiteDbRaw : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _sessions;
    private readonly ILiteCollection<BsonDocument> _families;
    private readonly ILiteCollection<BsonDocument> _tokens;
    private readonly ILiteCollection<BsonDocument> _users;

    private LiteDbRaw(string path)
    {
        Path = path;
        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        _sessions = _db.GetCollection("sessions", BsonAutoId.ObjectId);
        _families = _db.GetCollection("refresh_families", BsonAutoId.ObjectId);
        _tokens = _db.GetCollection("refresh_tokens", BsonAutoId.ObjectId);
        _users = _db.GetCollection("users", BsonAutoId.ObjectId);
    }

    public string Path { get; }

    /// <summary>Opens a new file laid out by the store itself (same collections, indexes and collation), then raw.</summary>
    public static LiteDbRaw Create(string name)
    {
        string path = System.IO.Path.Combine(BenchEnvironment.CacheFolder, $"raw-{name}-{Environment.ProcessId}.db");
        LiteDbFixture.Delete(path);
        new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null }).Dispose();
        File.Delete(path + ".sessioncore-lock");
        return new LiteDbRaw(path);
    }

    /// <summary>Sign-in: the user's epoch, then the session stamped with it.</summary>
    public void SignIn(Session session) => InTransaction(() =>
    {
        BsonDocument doc = M.ToDocument(session);
        doc[M.SecurityEpoch] = Epoch(session.UserId);
        _sessions.Insert(doc);
    });

    /// <summary>Sign-in with a limit: the epoch, the user's sessions, the least recently seen live ones revoked with their families.</summary>
    public int SignInWithEviction(Session session, int limit, DateTimeOffset now) => InTransaction(() =>
    {
        long epoch = Epoch(session.UserId);
        long ticks = now.UtcTicks;
        List<BsonDocument> live = [.. _sessions.Find(BsonExpression.Create("$.uk = @0", M.UserKeyOf(session.UserId)))
            .Where(s => s[M.RevokedAt].IsNull && s[M.IdleExpiresAt].AsInt64 > ticks && s[M.SecurityEpoch].AsInt64 >= epoch)
            .OrderBy(s => s[M.LastSeenAt].AsInt64).ThenBy(s => s[M.CreatedAt].AsInt64).ThenBy(s => s[M.Id].AsString, StringComparer.Ordinal)];
        int evicted = Math.Max(0, live.Count + 1 - limit);
        foreach (BsonDocument victim in live.Take(evicted))
        {
            RevokeCascade(victim, RevocationReason.Evicted, ticks);
        }

        BsonDocument doc = M.ToDocument(session);
        doc[M.SecurityEpoch] = epoch;
        _sessions.Insert(doc);
        return evicted;
    });

    /// <summary>Regeneration: the session and the epoch, the replacement inserted, the session revoked with its families.</summary>
    public void Regenerate(SessionId current, SessionId replacement, DateTimeOffset now) => InTransaction(() =>
    {
        BsonDocument doc = _sessions.FindById(current.ToString()) ?? throw Missing();
        BsonDocument next = new(doc)
        {
            [M.Id] = replacement.ToString(),
            [M.LastSeenAt] = now.UtcTicks,
            [M.IdleExpiresAt] = Math.Min(now.AddMinutes(30).UtcTicks, doc[M.AbsoluteExpiresAt].AsInt64),
            [M.SecurityEpoch] = Epoch(doc[M.UserId].AsString),
            [M.Version] = 0L,
        };
        _sessions.Insert(next);
        RevokeCascade(doc, RevocationReason.Regenerated, now.UtcTicks);
    });

    /// <summary>Revocation: the session, then it and its families revoked.</summary>
    public void Revoke(SessionId id, DateTimeOffset now) => InTransaction(() =>
        RevokeCascade(_sessions.FindById(id.ToString()) ?? throw Missing(), RevocationReason.Logout, now.UtcTicks));

    /// <summary>Invalidation: the user's epoch advanced, every live session revoked with its families.</summary>
    public int Invalidate(string userId, DateTimeOffset now) => InTransaction(() =>
    {
        BsonDocument user = _users.FindById(M.UserKeyOf(userId)) ?? M.ToDocument(new UserSecurityState(userId, 0, []));
        user[M.SecurityEpoch] = user[M.SecurityEpoch].AsInt64 + 1;
        _users.Upsert(user);
        int revoked = 0;
        foreach (BsonDocument session in _sessions.Find(BsonExpression.Create("$.uk = @0", M.UserKeyOf(userId))).ToList())
        {
            if (session[M.RevokedAt].IsNull)
            {
                RevokeCascade(session, RevocationReason.PasswordChanged, now.UtcTicks);
                revoked++;
            }
        }

        return revoked;
    });

    /// <summary>Refresh issue: the session and the epoch (to judge it), then the family and its token's index entry.</summary>
    public void Issue(RefreshFamily family) => InTransaction(() =>
    {
        BsonDocument session = _sessions.FindById(family.SessionId.ToString()) ?? throw Missing();
        _ = Epoch(session[M.UserId].AsString);
        _families.Insert(M.ToDocument(family));
        _tokens.Insert(new BsonDocument { [M.Id] = family.CurrentTokenHash.ToString(), [M.FamilyId] = family.FamilyId.ToString() });
    });

    /// <summary>Redemption: token, family, session and epoch, then the family rotated and the successor indexed.</summary>
    public void Redeem(RefreshTokenHash presented, RefreshTokenHash successor, DateTimeOffset now) => InTransaction(() =>
    {
        BsonDocument token = _tokens.FindById(presented.ToString()) ?? throw Missing();
        BsonDocument family = _families.FindById(token[M.FamilyId].AsString) ?? throw Missing();
        BsonDocument session = _sessions.FindById(family[M.SessionId].AsString) ?? throw Missing();
        _ = Epoch(session[M.UserId].AsString);
        BsonArray spent = family[M.SpentTokenHashes].AsArray;
        if (!family[M.PreviousTokenHash].IsNull)
        {
            spent.Add(family[M.PreviousTokenHash]);
        }

        if (spent.Count > RefreshFamily.SpentTokenCapacity)
        {
            _tokens.Delete(spent[0]);
            spent.RemoveAt(0);
        }

        family[M.PreviousTokenHash] = family[M.CurrentTokenHash];
        family[M.CurrentTokenHash] = successor.ToString();
        family[M.RotatedAt] = now.UtcTicks;
        family[M.CurrentIssuedAt] = now.UtcTicks;
        family[M.CurrentIdleExpiresAt] = now.AddHours(1).UtcTicks;
        family[M.Generation] = family[M.Generation].AsInt32 + 1;
        family[M.Version] = family[M.Version].AsInt64 + 1;
        _families.Update(family);
        _tokens.Insert(new BsonDocument { [M.Id] = successor.ToString(), [M.FamilyId] = family[M.Id] });
    });

    public void Dispose()
    {
        _db.Dispose();
        LiteDbFixture.Delete(Path);
    }

    private static InvalidOperationException Missing() => new("The prepared record is missing from the raw file.");

    private long Epoch(string userId) => _users.FindById(M.UserKeyOf(userId)) is { } user ? user[M.SecurityEpoch].AsInt64 : 0;

    private void RevokeCascade(BsonDocument session, RevocationReason reason, long ticks)
    {
        session[M.RevokedAt] = ticks;
        session[M.RevocationReason] = (int)reason;
        session[M.Version] = session[M.Version].AsInt64 + 1;
        _sessions.Update(session);
        foreach (BsonDocument family in _families.Find(BsonExpression.Create("$.s = @0", session[M.Id])).ToList())
        {
            if (family[M.RevokedAt].IsNull)
            {
                family[M.RevokedAt] = ticks;
                family[M.RevocationReason] = (int)reason;
                family[M.SealedCurrentToken] = Array.Empty<byte>();
                family[M.Version] = family[M.Version].AsInt64 + 1;
                _families.Update(family);
            }
        }
    }

    private void InTransaction(Action body) => InTransaction(() =>
    {
        body();
        return 0;
    });

    private T InTransaction<T>(Func<T> body)
    {
        _db.BeginTrans();
        try
        {
            T result = body();
            _db.Commit();
            return result;
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }
}
