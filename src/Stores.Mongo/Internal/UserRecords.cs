using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Mongo.Internal;

/// <summary>
/// One user's document as <see cref="StoreDecisions"/> sees it: the user's sessions, refresh families, security epoch
/// and known devices, read in one round trip with the global revocation instant. The decisions change this copy; the
/// store writes it back only if no other writer changed the document since it was read.
/// </summary>
internal sealed class UserRecords : IStoreRecords
{
    public UserRecords(string? userId, long version, long epoch, IReadOnlyList<KnownDevice> devices, List<Session> sessions, List<RefreshFamily> families, DateTimeOffset? revokedBefore)
    {
        UserId = userId;
        Version = version;
        Epoch = epoch;
        Devices = devices;
        Sessions = sessions;
        Families = families;
        RevokedBefore = revokedBefore;
    }

    /// <summary>Gets the user the document belongs to, or <see langword="null"/> when no document was found and none is to be created.</summary>
    public string? UserId { get; }

    /// <summary>Gets the version read (a random starting point for a document not yet written).</summary>
    public long Version { get; }

    public long Epoch { get; private set; }

    public IReadOnlyList<KnownDevice> Devices { get; private set; }

    public List<Session> Sessions { get; }

    public List<RefreshFamily> Families { get; }

    public DateTimeOffset? RevokedBefore { get; }

    /// <summary>Gets a value indicating whether a decision changed the document.</summary>
    public bool Changed { get; private set; }

    public bool IsEmpty => Sessions.Count == 0 && Families.Count == 0 && Epoch == 0 && Devices.Count == 0;

    /// <summary>
    /// A user without a document. Its first version is random, not 0: a document deleted once empty and created again
    /// must never repeat a version a stalled writer read from its predecessor, or that writer's compare-and-swap would
    /// match the new document and write its stale copy over it.
    /// </summary>
    public static UserRecords New(string? userId, DateTimeOffset? revokedBefore)
    {
        // 62 random bits: far from overflow after any number of writes, and a repeat is not a realistic event.
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        long version = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes) & 0x3FFF_FFFF_FFFF_FFFF;
        return new UserRecords(userId, version, 0, [], [], [], revokedBefore);
    }

    public Session? FindSession(SessionId id) => Sessions.Find(s => s.Id == id);

    public IReadOnlyList<Session> FindUserSessions(string userId) => IsOwner(userId) ? [.. Sessions] : [];

    public RefreshFamily? FindFamily(RefreshTokenHash tokenHash) => Families.Find(f => f.Contains(tokenHash));

    public IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId) => Families.FindAll(f => f.SessionId == sessionId);

    public UserSecurityState FindUser(string userId) => new(userId, FindSecurityEpoch(userId), IsOwner(userId) ? Devices : []);

    public long FindSecurityEpoch(string userId) => IsOwner(userId) ? Epoch : 0;

    public void InsertSession(Session session)
    {
        Own(session.UserId);
        if (FindSession(session.Id) is not null)
        {
            throw new InvalidOperationException(Error.DuplicateKey);
        }

        Sessions.Add(session);
    }

    public void UpdateSession(Session session) => Sessions[Index(Sessions, s => s.Id == session.Id)] = session;

    public void InsertFamily(RefreshFamily family)
    {
        Own(family.UserId);
        if (Families.Exists(f => f.FamilyId == family.FamilyId) || FindFamily(family.CurrentTokenHash) is not null)
        {
            throw new InvalidOperationException(Error.DuplicateKey);
        }

        Families.Add(family);
    }

    public void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash)
    {
        // The family's own hashes are its index entries (the document's "th" array), so nothing else moves with them.
        int index = Index(Families, f => f.FamilyId == family.FamilyId);
        if (addedTokenHash is RefreshTokenHash added && FindFamily(added) is not null)
        {
            throw new InvalidOperationException(Error.DuplicateKey);
        }

        Families[index] = family;
        Changed = true;
    }

    public void UpdateUser(UserSecurityState state)
    {
        Own(state.UserId);
        Epoch = state.SecurityEpoch;
        Devices = state.KnownDevices;
    }

    /// <summary>Deletes what <see cref="Session.IsPurgeableAt"/> and <see cref="RefreshFamily.IsPurgeableAt"/> allow.</summary>
    public int Purge(DateTimeOffset now)
    {
        int removed = Sessions.RemoveAll(s => s.IsPurgeableAt(now)) + Families.RemoveAll(f => f.IsPurgeableAt(now));
        Changed |= removed > 0;
        return removed;
    }

    private bool IsOwner(string userId) => string.Equals(UserId, userId, StringComparison.Ordinal);

    // A document holds one user's records only. Another id can reach it only by sharing its key (ids that differ in a
    // lone surrogate, which sign-in refuses); such a write is refused rather than mixed into this user's document.
    private void Own(string userId)
    {
        if (!IsOwner(userId))
        {
            throw new SessionStoreException(Error.UserKeyShared);
        }

        Changed = true;
    }

    private int Index<T>(List<T> list, Predicate<T> match)
    {
        Changed = true;
        int index = list.FindIndex(match);
        return index >= 0 ? index : throw new SessionStoreException(Error.CorruptRecord);
    }
}
