using System;
using System.Collections.Generic;
using System.Linq;
using SessionCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>The concurrent-session limit a store enforces atomically with a create.</summary>
/// <threadsafety>Immutable.</threadsafety>
public readonly record struct SessionLimit
{
    /// <summary>Initializes a new instance of the <see cref="SessionLimit"/> struct.</summary>
    /// <param name="maxSessions">The most live sessions a user may have (1 to 1000).</param>
    /// <param name="mode">What to do when a create would exceed the limit.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="maxSessions"/> is out of range.</exception>
    public SessionLimit(int maxSessions, SessionLimitMode mode)
    {
        MaxSessions = Throw.IfOutOfRange(maxSessions, 1, 1000);
        Mode = mode;
    }

    /// <summary>Gets no limit.</summary>
    public static SessionLimit None => default;

    /// <summary>Gets the most live sessions a user may have, or 0 for no limit.</summary>
    public int MaxSessions { get; }

    /// <summary>Gets what to do when a create would exceed the limit.</summary>
    public SessionLimitMode Mode { get; }

    /// <summary>Gets a value indicating whether a limit applies.</summary>
    public bool IsLimited => MaxSessions > 0;

    /// <summary>
    /// Decides a create under this limit exactly as <see cref="ISessionStore.CreateAsync"/> specifies, for stores
    /// that evaluate the rule in .NET: which of the user's live sessions make room for the new one.
    /// </summary>
    /// <param name="liveSessions">The user's live sessions before the create.</param>
    /// <param name="evict">The sessions to revoke (reason <see cref="RevocationReason.Evicted"/>) before inserting:
    /// the least recently seen first, then the oldest created, then the lowest identifier in ordinal order (so every store
    /// picks the same sessions, whatever order it reads them in); empty when the new session fits.</param>
    /// <returns><see langword="false"/> when the limit is reached in <see cref="SessionLimitMode.RejectNew"/> mode: create nothing.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="liveSessions"/> is <see langword="null"/>.</exception>
    public bool TrySelectEvictions(IEnumerable<Session> liveSessions, out IReadOnlyList<Session> evict)
    {
        System.ArgumentNullException.ThrowIfNull(liveSessions);
        evict = [];
        if (!IsLimited)
        {
            return true;
        }

        Session[] live = [.. liveSessions];
        int excess = live.Length - MaxSessions + 1;
        if (excess <= 0)
        {
            return true;
        }

        if (Mode == SessionLimitMode.RejectNew)
        {
            return false;
        }

        evict = [.. live.OrderBy(s => s.LastSeenAt).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal).Take(excess)];
        return true;
    }
}
