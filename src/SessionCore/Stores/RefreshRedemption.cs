using System;

namespace SessionCore.Stores;

/// <summary>A request to a store to rotate the refresh token whose hash is <see cref="PresentedTokenHash"/>.</summary>
/// <param name="PresentedTokenHash">The hash of the token the client presented.</param>
/// <param name="SuccessorTokenHash">The hash of the successor to install if the presented token is current.</param>
/// <param name="SealedSuccessor">The successor's secret sealed with the grace-window AEAD key.</param>
/// <param name="SuccessorIdleExpiresAt">The successor's idle expiry; the store caps it at the family's absolute expiry.</param>
/// <param name="Now">The current time, from the manager's <see cref="TimeProvider"/>.</param>
public sealed record RefreshRedemption(
    string PresentedTokenHash,
    string SuccessorTokenHash,
    ReadOnlyMemory<byte> SealedSuccessor,
    DateTimeOffset SuccessorIdleExpiresAt,
    DateTimeOffset Now);
