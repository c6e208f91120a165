using System;
using System.Collections.Generic;
using System.Linq;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Mongo.Internal;

/// <summary>
/// Everything the store keeps for one user's sessions: the sessions and their refresh families. It is one
/// MongoDB document, so every primitive is decided by one compare-and-swap on that document's version.
/// The methods mirror <see cref="InMemorySessionStore"/> and mutate this copy; the store writes it back only
/// if no other writer got in first.
/// </summary>
internal sealed class UserSessions
{
    public UserSessions(string userId, long version, List<Session> sessions, List<RefreshFamily> families)
    {
        UserId = userId;
        Version = version;
        Sessions = sessions;
        Families = families;
    }

    public string UserId { get; }

    /// <summary>Gets the version read from the database (a random starting point for a document not yet written).</summary>
    public long Version { get; }

    public List<Session> Sessions { get; }

    public List<RefreshFamily> Families { get; }

    public bool IsEmpty => Sessions.Count == 0 && Families.Count == 0;

    /// <summary>A user without a document. Its first version is random, not 0: a document deleted once empty and
    /// created again must never repeat a version a stalled writer read from its predecessor, or that writer's
    /// compare-and-swap would match the new document and write its stale copy over it.</summary>
    public static UserSessions New(string userId) => new(userId, FirstVersion(), [], []);

    private static long FirstVersion()
    {
        // 62 random bits: far from overflow after any number of writes, and a repeat is not a realistic event.
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes) & 0x3FFF_FFFF_FFFF_FFFF;
    }

    public Session? FindSession(SessionId id) => Sessions.Find(s => s.Id == id);

    public RefreshFamily? FindFamilyByToken(string tokenHash) => Families.Find(f => f.Contains(tokenHash));

    public List<Session> Live(DateTimeOffset now) => [.. Sessions.Where(s => s.IsLiveAt(now))];

    public SessionCreateResult Create(Session session, SessionLimit limit, DateTimeOffset now)
    {
        if (FindSession(session.Id) is not null)
        {
            throw new InvalidOperationException(Error.SessionExists);
        }

        List<SessionId>? evicted = null;
        if (limit.IsLimited)
        {
            if (!limit.TrySelectEvictions(Live(now), out IReadOnlyList<Session> victims))
            {
                return SessionCreateResult.LimitReached();
            }

            evicted = [];
            foreach (Session victim in victims)
            {
                Revoke(victim.Id, RevocationReason.Evicted, now);
                evicted.Add(victim.Id);
            }
        }

        Sessions.Add(session);
        return SessionCreateResult.Success(evicted);
    }

    public bool Touch(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt)
    {
        int index = Sessions.FindIndex(s => s.Id == id);
        if (index < 0 || Sessions[index].IsRevoked || Sessions[index].Version != expectedVersion)
        {
            return false;
        }

        Session session = Sessions[index];
        Sessions[index] = session with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt, Version = checked(session.Version + 1) };
        return true;
    }

    public SessionRegenerateStatus Regenerate(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now)
    {
        SessionRegenerateStatus status = FindSession(currentId)?.ClassifyRegeneration(expectedVersion, now) ?? SessionRegenerateStatus.NotFound;
        if (status != SessionRegenerateStatus.Regenerated)
        {
            return status;
        }

        if (FindSession(replacement.Id) is not null)
        {
            throw new InvalidOperationException(Error.SessionExists);
        }

        Revoke(currentId, RevocationReason.Regenerated, now);
        Sessions.Add(replacement);
        return SessionRegenerateStatus.Regenerated;
    }

    public bool Revoke(SessionId id, RevocationReason reason, DateTimeOffset now)
    {
        int index = Sessions.FindIndex(s => s.Id == id);
        if (index < 0 || Sessions[index].IsRevoked)
        {
            return false;
        }

        Session session = Sessions[index];
        Sessions[index] = session with { RevokedAt = now, RevocationReason = reason, Version = checked(session.Version + 1) };
        for (int i = 0; i < Families.Count; i++)
        {
            if (Families[i].SessionId == id)
            {
                Families[i] = Families[i].Revoke(reason, now);
            }
        }

        return true;
    }

    public List<SessionId> RevokeAll(SessionId? except, RevocationReason reason, DateTimeOffset now)
    {
        List<SessionId> revoked = [];
        foreach (SessionId id in Sessions.Select(s => s.Id).ToArray())
        {
            if (id != except && Revoke(id, reason, now))
            {
                revoked.Add(id);
            }
        }

        return revoked;
    }

    public bool CreateFamily(RefreshFamily family, DateTimeOffset now)
    {
        Session? session = FindSession(family.SessionId);
        if (session is null || !session.IsLiveAt(now))
        {
            return false;
        }

        if (Families.Exists(f => string.Equals(f.FamilyId, family.FamilyId, StringComparison.Ordinal)) || FindFamilyByToken(family.CurrentTokenHash) is not null)
        {
            throw new InvalidOperationException(Error.FamilyExists);
        }

        Families.Add(family);
        return true;
    }

    public RefreshRedeemResult Redeem(RefreshRedemption redemption)
    {
        int index = Families.FindIndex(f => f.Contains(redemption.PresentedTokenHash));
        if (index < 0)
        {
            return RefreshRedeemResult.NotFound;
        }

        RefreshFamily family = Families[index];
        RefreshRedeemStatus status = Classify(family, redemption);
        if (status != RefreshRedeemStatus.Rotated)
        {
            return new RefreshRedeemResult(status, family);
        }

        if (FindFamilyByToken(redemption.SuccessorTokenHash) is not null)
        {
            throw new InvalidOperationException(Error.TokenExists);
        }

        RefreshFamily rotated = family.Rotate(redemption);
        Families[index] = rotated;
        return new RefreshRedeemResult(RefreshRedeemStatus.Rotated, rotated);
    }

    public bool RevokeFamily(string familyId, RevocationReason reason, DateTimeOffset now)
    {
        int index = Families.FindIndex(f => string.Equals(f.FamilyId, familyId, StringComparison.Ordinal));
        if (index < 0 || Families[index].IsRevoked)
        {
            return false;
        }

        Families[index] = Families[index].Revoke(reason, now);
        return true;
    }

    public int Purge(DateTimeOffset now)
    {
        int removed = Sessions.RemoveAll(s => now >= s.AbsoluteExpiresAt || (!s.IsRevoked && now >= s.IdleExpiresAt));
        removed += Families.RemoveAll(f => now >= f.AbsoluteExpiresAt);
        return removed;
    }

    /// <summary>The earliest instant at which <see cref="Purge"/> would remove something (indexed, so purge finds the document).</summary>
    public DateTimeOffset NextPurgeAt()
    {
        DateTimeOffset next = DateTimeOffset.MaxValue;
        foreach (Session s in Sessions)
        {
            DateTimeOffset at = s.IsRevoked || s.AbsoluteExpiresAt < s.IdleExpiresAt ? s.AbsoluteExpiresAt : s.IdleExpiresAt;
            next = at < next ? at : next;
        }

        foreach (RefreshFamily f in Families)
        {
            next = f.AbsoluteExpiresAt < next ? f.AbsoluteExpiresAt : next;
        }

        return next;
    }

    /// <summary>The instant after which nothing in the document can be used (the TTL index deletes it then).</summary>
    public DateTimeOffset ExpiresAt()
    {
        DateTimeOffset last = DateTimeOffset.MinValue;
        foreach (Session s in Sessions)
        {
            last = s.AbsoluteExpiresAt > last ? s.AbsoluteExpiresAt : last;
        }

        foreach (RefreshFamily f in Families)
        {
            last = f.AbsoluteExpiresAt > last ? f.AbsoluteExpiresAt : last;
        }

        return last;
    }

    private RefreshRedeemStatus Classify(RefreshFamily family, RefreshRedemption redemption) =>
        family.Classify(redemption, FindSession(family.SessionId));
}
