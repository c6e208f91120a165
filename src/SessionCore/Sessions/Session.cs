using System;
using System.Collections.Generic;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>
/// A server-side session as the store keeps it. It holds no secret: <see cref="Id"/> is the hash of
/// the client's token.
/// </summary>
/// <threadsafety>Immutable and safe to share; changes are made by creating a copy.</threadsafety>
public sealed record Session
{
    /// <summary>Gets the session identifier (hash of the token).</summary>
    public required SessionId Id { get; init; }

    /// <summary>Gets the identifier of the signed-in user.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets when the session was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the session was last seen (updated at most once per renewal interval).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Gets when the session expires if it is not used again.</summary>
    public required DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>Gets when the session expires whatever its use.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>Gets when the user last proved who they are (sign-in or step-up), for freshness checks.</summary>
    public required DateTimeOffset AuthenticatedAt { get; init; }

    /// <summary>Gets the authentication level or privilege tier (for example 1 = password, 2 = multi-factor).</summary>
    public int AuthenticationLevel { get; init; }

    /// <summary>Gets what is known of the client device, or <see langword="null"/>.</summary>
    public SessionDevice? Device { get; init; }

    /// <summary>Gets the user's security epoch when the session was issued.</summary>
    public long SecurityEpoch { get; init; }

    /// <summary>Gets the record version, used by stores for optimistic concurrency.</summary>
    public long Version { get; init; }

    /// <summary>Gets when the session was revoked, or <see langword="null"/> while it is not.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets why the session was revoked, or <see langword="null"/> while it is not.</summary>
    public RevocationReason? RevocationReason { get; init; }

    /// <summary>Gets a small bag of host data (not for secrets).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = EmptyData;

    /// <summary>Gets a value indicating whether the session has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    internal static IReadOnlyDictionary<string, string> EmptyData { get; } = new Dictionary<string, string>();

    /// <summary>Tells whether the session can still be used at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when the session is neither revoked nor expired.</returns>
    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && now < IdleExpiresAt && now < AbsoluteExpiresAt;

    /// <summary>
    /// Decides a regeneration of this session exactly as <see cref="Stores.ISessionStore.RegenerateAsync"/> specifies,
    /// for stores that evaluate the rule in .NET.
    /// </summary>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see cref="Stores.SessionRegenerateStatus.NotLive"/> when revoked or expired at <paramref name="now"/>,
    /// <see cref="Stores.SessionRegenerateStatus.Conflict"/> when the version moved, otherwise
    /// <see cref="Stores.SessionRegenerateStatus.Regenerated"/>: revoke this session and insert the replacement in one step.</returns>
    public Stores.SessionRegenerateStatus ClassifyRegeneration(long expectedVersion, DateTimeOffset now) =>
        !IsLiveAt(now) ? Stores.SessionRegenerateStatus.NotLive
        : Version != expectedVersion ? Stores.SessionRegenerateStatus.Conflict
        : Stores.SessionRegenerateStatus.Regenerated;
}
