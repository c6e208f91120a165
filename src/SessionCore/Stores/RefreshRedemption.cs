using System;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>A refresh-token redemption as one store operation (<see cref="ISessionStore.RedeemRefreshTokenAsync"/>).</summary>
/// <remarks>Security: <see cref="SealedSuccessor"/> is sealed with a key the store never sees; the store keeps it only for grace-window retries.</remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshRedemption
{
    /// <summary>Gets the hash of the token the client presented.</summary>
    public required RefreshTokenHash PresentedTokenHash { get; init; }

    /// <summary>Gets the hash of the successor prepared for a rotation.</summary>
    public required RefreshTokenHash SuccessorTokenHash { get; init; }

    /// <summary>Gets the successor's secret, AEAD-sealed, for grace-window retries.</summary>
    public ReadOnlyMemory<byte> SealedSuccessor { get; init; }

    /// <summary>Gets when the successor expires unredeemed (capped by the family's absolute expiry).</summary>
    public required DateTimeOffset SuccessorIdleExpiresAt { get; init; }

    /// <summary>Gets how long after a rotation the previous token is answered as a retry rather than as reuse (zero: never).</summary>
    public TimeSpan GraceWindow { get; init; }

    /// <summary>Gets the OAuth client presenting the token, or <see langword="null"/>; a family issued to a client is only redeemed by that client.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the RFC 7638 thumbprint of the key the client proved possession of (a verified DPoP proof), or <see langword="null"/>.</summary>
    public string? ProofKeyThumbprint { get; init; }

    /// <summary>Gets the lifetimes the family's session must satisfy.</summary>
    public required SessionRules Rules { get; init; }

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }
}
