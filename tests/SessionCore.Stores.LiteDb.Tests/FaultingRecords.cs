using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Tests;

/// <summary>
/// Records that read through to a store's own and throw on the write after the allowed number, as a crash or a lost
/// connection between two writes would (the conformance suite's fault hook). Shared by the LiteDB and MongoDB tests.
/// </summary>
internal sealed class FaultingRecords(IStoreRecords inner, int allowedWrites) : IStoreRecords
{
    private int _writes;

    public DateTimeOffset? RevokedBefore => inner.RevokedBefore;

    /// <summary>A one-shot interceptor: the next decision sees faulting records, later ones the store's own.</summary>
    public static Func<IStoreRecords, IStoreRecords> Once(int allowedWrites)
    {
        bool armed = true;
        return records =>
        {
            bool fire = armed;
            armed = false;
            return fire ? new FaultingRecords(records, allowedWrites) : records;
        };
    }

    public Session? FindSession(SessionId id) => inner.FindSession(id);

    public IReadOnlyList<Session> FindUserSessions(string userId) => inner.FindUserSessions(userId);

    public RefreshFamily? FindFamily(RefreshTokenHash tokenHash) => inner.FindFamily(tokenHash);

    public IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId) => inner.FindSessionFamilies(sessionId);

    public UserSecurityState FindUser(string userId) => inner.FindUser(userId);

    public long FindSecurityEpoch(string userId) => inner.FindSecurityEpoch(userId);

    public void InsertSession(Session session)
    {
        Write();
        inner.InsertSession(session);
    }

    public void UpdateSession(Session session)
    {
        Write();
        inner.UpdateSession(session);
    }

    public void InsertFamily(RefreshFamily family)
    {
        Write();
        inner.InsertFamily(family);
    }

    public void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash)
    {
        Write();
        inner.UpdateFamily(family, addedTokenHash, removedTokenHash);
    }

    public void UpdateUser(UserSecurityState state)
    {
        Write();
        inner.UpdateUser(state);
    }

    private void Write()
    {
        if (++_writes > allowedWrites)
        {
            throw new InvalidOperationException("Fault injected between two writes.");
        }
    }
}
