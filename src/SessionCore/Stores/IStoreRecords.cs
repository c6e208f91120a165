using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// The records one atomic step of a store sees and changes. A store that decides in .NET opens its atomic scope (a
/// lock, a transaction, a versioned document), exposes its records through this interface and lets
/// <see cref="StoreDecisions"/> decide and write; the store itself holds no rule.
/// </summary>
/// <remarks>
/// <para>
/// Every <see cref="StoreDecisions"/> operation reads and writes the records of one user only (plus the global
/// <see cref="RevokedBefore"/>), so a store may scope the step to that user's records.
/// </para>
/// <para>
/// Writes must become visible together when the step completes, or not at all. Insert methods must refuse an
/// identifier or token hash that exists already (by throwing); a store may leave that check to a unique index.
/// </para>
/// </remarks>
public interface IStoreRecords
{
    /// <summary>Gets the global revocation instant: every session created at or before it is revoked; <see langword="null"/> when none was set.</summary>
    DateTimeOffset? RevokedBefore { get; }

    /// <summary>Finds a session by identifier, revoked or not.</summary>
    /// <param name="id">The identifier.</param>
    /// <returns>The session, or <see langword="null"/>.</returns>
    Session? FindSession(SessionId id);

    /// <summary>Lists every stored session of a user, revoked and expired ones included.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The sessions, in no particular order.</returns>
    IReadOnlyList<Session> FindUserSessions(string userId);

    /// <summary>Finds the family that holds a token hash as current, previous or spent.</summary>
    /// <param name="tokenHash">The hash.</param>
    /// <returns>The family, or <see langword="null"/>.</returns>
    RefreshFamily? FindFamily(RefreshTokenHash tokenHash);

    /// <summary>Lists the refresh families of a session, revoked ones included.</summary>
    /// <param name="sessionId">The session.</param>
    /// <returns>The families, in no particular order.</returns>
    IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId);

    /// <summary>Reads a user's security state; an unknown user has epoch 0 and no devices.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The state.</returns>
    UserSecurityState FindUser(string userId);

    /// <summary>Reads only a user's security epoch (0 for an unknown user), which every validation needs.</summary>
    /// <param name="userId">The user.</param>
    /// <returns>The epoch.</returns>
    long FindSecurityEpoch(string userId);

    /// <summary>Inserts a new session.</summary>
    /// <param name="session">The session; its identifier must be new.</param>
    void InsertSession(Session session);

    /// <summary>Replaces a stored session with a newer state of it.</summary>
    /// <param name="session">The new state.</param>
    void UpdateSession(Session session);

    /// <summary>Inserts a new family and indexes its token hash.</summary>
    /// <param name="family">The family; its identifier and token hash must be new.</param>
    void InsertFamily(RefreshFamily family);

    /// <summary>Replaces a stored family with a newer state of it and keeps the token-hash index in step.</summary>
    /// <param name="family">The new state.</param>
    /// <param name="addedTokenHash">A hash the family now holds that it did not (to index), or <see langword="null"/>.</param>
    /// <param name="removedTokenHash">A hash the family no longer holds (to drop from the index), or <see langword="null"/>.</param>
    void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash);

    /// <summary>Writes a user's security state.</summary>
    /// <param name="state">The new state.</param>
    void UpdateUser(UserSecurityState state);
}
