using System;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>A new refresh-token family as one store operation (<see cref="ISessionStore.CreateRefreshFamilyAsync"/>).</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshFamilyCreation
{
    /// <summary>Gets the new family's identifier.</summary>
    public required RefreshFamilyId FamilyId { get; init; }

    /// <summary>Gets the session the family belongs to; it must open under <see cref="Rules"/>.</summary>
    public required SessionId SessionId { get; init; }

    /// <summary>Gets the hash of the family's first token.</summary>
    public required RefreshTokenHash TokenHash { get; init; }

    /// <summary>Gets how long the family lives at most (never past its session's absolute expiry).</summary>
    public required TimeSpan Lifetime { get; init; }

    /// <summary>Gets how long a token lives unredeemed.</summary>
    public required TimeSpan IdleLifetime { get; init; }

    /// <summary>Gets the OAuth client the family was issued to, or <see langword="null"/>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the RFC 7638 thumbprint of the key every redemption must prove possession of (DPoP), or <see langword="null"/> for an unbound family.</summary>
    public string? KeyThumbprint { get; init; }

    /// <summary>Gets the lifetimes the session must satisfy.</summary>
    public required SessionRules Rules { get; init; }

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }
}
