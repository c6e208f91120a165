using System;
using SessionCore.Sessions;

namespace SessionCore.Rotation;

/// <summary>
/// Settings of <see cref="RefreshTokenService"/>. Every value has a safe default and bounds; they are
/// validated once, when the service is created, and copied, so later changes do nothing.
/// </summary>
/// <threadsafety>Not thread-safe; configure before creating the service.</threadsafety>
public sealed class RefreshTokenOptions
{
    /// <summary>The size of <see cref="SealingKey"/> in bytes.</summary>
    public const int SealingKeySize = 32;

    /// <summary>The longest accepted <see cref="GraceWindow"/>.</summary>
    public static readonly TimeSpan MaxGraceWindow = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long a refresh family lives at most, however often it is used.</summary>
    /// <value>7 days; between 1 minute and 90 days.</value>
    /// <remarks>
    /// Security: a family never outlives its session either: its absolute expiry is the earlier of
    /// this lifetime and the session's absolute expiry, so set <see cref="SessionOptions.AbsoluteLifetime"/>
    /// accordingly for long API sessions.
    /// </remarks>
    public TimeSpan FamilyLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how long an unredeemed refresh token stays usable.</summary>
    /// <value>1 day; between 1 minute and 30 days, and not longer than <see cref="FamilyLifetime"/>.</value>
    public TimeSpan IdleLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how long after a rotation the rotated token may be presented again and receive the
    /// same successor (a client retrying after a lost response).
    /// </summary>
    /// <value>10 seconds; between 0 (no retry: any second use is reuse) and 60 seconds.</value>
    /// <remarks>
    /// Security: inside the window a thief holding the rotated token receives the same successor as the
    /// client; keep it short. After it, presenting the rotated token is reuse and revokes the family and
    /// its session.
    /// </remarks>
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the 32-byte key that seals the current successor for grace-window retries, or empty
    /// to generate a random key in memory when the service is created.
    /// </summary>
    /// <value>Empty: a per-process key.</value>
    /// <remarks>
    /// Security: the key never reaches the store. With the default per-process key, a retry that lands on
    /// another node (or after a restart) cannot unseal the successor and is answered with
    /// <see cref="RefreshTokenStatus.RetryConflict"/>; nothing is revoked and the client signs in again.
    /// Hosts running several nodes can share a key here: it must be 32 bytes from a CSPRNG, kept like any
    /// other secret key. The bytes are copied when the service is created; clear your buffer afterwards.
    /// </remarks>
    public ReadOnlyMemory<byte> SealingKey { get; set; }
}
