using System;
using System.Collections.Generic;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>What a store did with a create-with-limit request.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class SessionCreateResult
{
    private static readonly SessionCreateResult s_rejected = new(false, []);
    private static readonly SessionCreateResult s_createdAlone = new(true, []);

    private SessionCreateResult(bool created, IReadOnlyList<SessionId> evicted)
    {
        Created = created;
        Evicted = evicted;
    }

    /// <summary>Gets a value indicating whether the session was inserted.</summary>
    public bool Created { get; }

    /// <summary>Gets the sessions revoked to make room (empty unless the mode is <see cref="SessionLimitMode.EvictOldest"/>).</summary>
    public IReadOnlyList<SessionId> Evicted { get; }

    /// <summary>The session was inserted.</summary>
    /// <param name="evicted">The sessions revoked to make room, if any.</param>
    /// <returns>A success result.</returns>
    public static SessionCreateResult Success(IReadOnlyList<SessionId>? evicted = null) =>
        evicted is null || evicted.Count == 0 ? s_createdAlone : new(true, evicted);

    /// <summary>The limit was reached and the mode is <see cref="SessionLimitMode.RejectNew"/>.</summary>
    /// <returns>A rejection.</returns>
    public static SessionCreateResult LimitReached() => s_rejected;

    /// <inheritdoc/>
    public override string ToString() => Created ? $"Created (evicted {Evicted.Count})" : "LimitReached";

    internal static IReadOnlyList<SessionId> None => Array.Empty<SessionId>();
}
