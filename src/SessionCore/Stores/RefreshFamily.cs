using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// A refresh-token family as a store keeps it: one session's chain of refresh tokens, identified only by hashes.
/// Exactly one token (<see cref="CurrentTokenHash"/>) is active; the one it replaced and the most recent older ones
/// are remembered, so that a replay of a spent token is recognised as reuse.
/// </summary>
/// <remarks>
/// <para>
/// Security: no field holds a usable secret. <see cref="SealedCurrentToken"/> is the current token's secret sealed with
/// an AEAD key that never reaches the store; it only serves an idempotent retry inside the grace window.
/// </para>
/// <para>
/// The record is bounded: it remembers at most <see cref="SpentTokenCapacity"/> spent tokens besides the previous one, so
/// its size and the cost of a redemption do not grow with the number of rotations. A token older than that is no longer
/// recognised at all (it is answered as unknown and revokes nothing), which costs nothing in safety: that token was
/// spent at least <see cref="SpentTokenCapacity"/> rotations ago, and every rotation since proved the chain was in one
/// client's hands.
/// </para>
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshFamily
{
    /// <summary>How many spent tokens (before <see cref="PreviousTokenHash"/>) a family remembers.</summary>
    public const int SpentTokenCapacity = 64;

    /// <summary>Gets the random family identifier (not secret).</summary>
    public required RefreshFamilyId FamilyId { get; init; }

    /// <summary>Gets the session the family is bound to.</summary>
    public required SessionId SessionId { get; init; }

    /// <summary>Gets the user the family belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets the OAuth client the family was issued to, or <see langword="null"/>.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// Gets the RFC 7638 thumbprint of the key every redemption must prove possession of (DPoP, RFC 9449), or
    /// <see langword="null"/> for an unbound family.
    /// </summary>
    /// <remarks>Security: set when the family is created and never changed; a redemption without a proof by this key changes nothing.</remarks>
    public string? KeyThumbprint { get; init; }

    /// <summary>Gets when the family was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the family ends, however often it is used.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>Gets the generation of the current token (the first token is generation 0).</summary>
    public int Generation { get; init; }

    /// <summary>Gets the hash of the only active token.</summary>
    public required RefreshTokenHash CurrentTokenHash { get; init; }

    /// <summary>Gets when the current token was issued.</summary>
    public required DateTimeOffset CurrentIssuedAt { get; init; }

    /// <summary>Gets when the current token expires if it is not redeemed (never after <see cref="AbsoluteExpiresAt"/>).</summary>
    public required DateTimeOffset CurrentIdleExpiresAt { get; init; }

    /// <summary>Gets the AEAD-sealed secret of the current token, kept for grace-window retries, or empty.</summary>
    public ReadOnlyMemory<byte> SealedCurrentToken { get; init; }

    /// <summary>Gets the hash of the token that was rotated into the current one, or <see langword="null"/>.</summary>
    public RefreshTokenHash? PreviousTokenHash { get; init; }

    /// <summary>Gets when <see cref="PreviousTokenHash"/> was rotated, or <see langword="null"/>.</summary>
    public DateTimeOffset? RotatedAt { get; init; }

    /// <summary>Gets the hashes of the most recent older spent tokens (before <see cref="PreviousTokenHash"/>), oldest first, at most <see cref="SpentTokenCapacity"/>.</summary>
    public IReadOnlyList<RefreshTokenHash> SpentTokenHashes { get; init; } = [];

    /// <summary>Gets when the family was revoked, or <see langword="null"/>.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets why the family was revoked, or <see langword="null"/>.</summary>
    public RevocationReason? RevocationReason { get; init; }

    /// <summary>Gets the record version, incremented by every change.</summary>
    public long Version { get; init; }

    /// <summary>Gets a value indicating whether the family has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Gets every token hash the family holds: current, previous and spent (what a store indexes).</summary>
    public IEnumerable<RefreshTokenHash> TokenHashes
    {
        get
        {
            yield return CurrentTokenHash;
            if (PreviousTokenHash is RefreshTokenHash previous)
            {
                yield return previous;
            }

            foreach (RefreshTokenHash spent in SpentTokenHashes)
            {
                yield return spent;
            }
        }
    }

    /// <summary>Tells whether <paramref name="tokenHash"/> is any token of this family (current, previous or spent).</summary>
    /// <param name="tokenHash">A refresh token hash.</param>
    /// <returns><see langword="true"/> when the hash belongs to this family.</returns>
    public bool Contains(RefreshTokenHash tokenHash)
    {
        foreach (RefreshTokenHash held in TokenHashes)
        {
            if (held.FixedTimeEquals(tokenHash))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decides a redemption exactly as <see cref="ISessionStore.RedeemRefreshTokenAsync"/> specifies: the one rule every
    /// store applies. The checks run in this order, and the first that applies decides.
    /// </summary>
    /// <param name="redemption">The redemption; its presented hash must be one of this family's tokens.</param>
    /// <param name="sessionStatus">What <see cref="Session.Classify"/> says of the family's session (<see cref="SessionValidationStatus.NotFound"/> when the store holds none).</param>
    /// <returns>
    /// <see cref="RefreshRedeemStatus.BindingMismatch"/> when the redemption does not come from the family's client or
    /// carries no proof by the family's key (nothing more is decided: such a caller can neither rotate nor revoke); <see cref="RefreshRedeemStatus.FamilyRevoked"/>
    /// for a revoked family; for the current token <see cref="RefreshRedeemStatus.Expired"/> past the token's or family's
    /// expiry, <see cref="RefreshRedeemStatus.SessionNotLive"/> when its session does not open, otherwise
    /// <see cref="RefreshRedeemStatus.Rotated"/>; for an older token <see cref="RefreshRedeemStatus.Expired"/> past the
    /// family's expiry (a dead family's old token is no evidence of theft), <see cref="RefreshRedeemStatus.GraceRetry"/>
    /// for the previous token within the grace window (or <see cref="RefreshRedeemStatus.RetryConflict"/> when the rotation
    /// lies beyond the clock-skew tolerance ahead, <see cref="RefreshRedeemStatus.Expired"/> past the successor's expiry,
    /// <see cref="RefreshRedeemStatus.SessionNotLive"/> when the session does not open), and otherwise
    /// <see cref="RefreshRedeemStatus.Reused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="redemption"/> is <see langword="null"/>.</exception>
    public RefreshRedeemStatus Classify(RefreshRedemption redemption, SessionValidationStatus sessionStatus)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        if ((KeyThumbprint is not null && !FixedTimeEquals(KeyThumbprint, redemption.ProofKeyThumbprint))
            || (ClientId is not null && !string.Equals(ClientId, redemption.ClientId, StringComparison.Ordinal)))
        {
            return RefreshRedeemStatus.BindingMismatch;
        }

        if (IsRevoked)
        {
            return RefreshRedeemStatus.FamilyRevoked;
        }

        DateTimeOffset now = redemption.Now;
        if (CurrentTokenHash.FixedTimeEquals(redemption.PresentedTokenHash))
        {
            // Idle expiry of the session counts too: a rotation the session then refuses would spend the presented
            // token without delivering its successor, and the client's next try would look like reuse.
            return now >= CurrentIdleExpiresAt || now >= AbsoluteExpiresAt ? RefreshRedeemStatus.Expired
                : sessionStatus != SessionValidationStatus.Valid ? RefreshRedeemStatus.SessionNotLive
                : RefreshRedeemStatus.Rotated;
        }

        if (now >= AbsoluteExpiresAt)
        {
            return RefreshRedeemStatus.Expired;
        }

        bool inGrace = redemption.GraceWindow > TimeSpan.Zero
            && RotatedAt is DateTimeOffset rotatedAt
            && now - rotatedAt <= redemption.GraceWindow
            && PreviousTokenHash is RefreshTokenHash previous
            && previous.FixedTimeEquals(redemption.PresentedTokenHash);
        if (!inGrace)
        {
            return RefreshRedeemStatus.Reused;
        }

        // Rotated by a node whose clock is far ahead: the window cannot be judged, but a clock fault is no evidence of theft.
        return RotatedAt > now + redemption.Rules.ClockSkewTolerance ? RefreshRedeemStatus.RetryConflict
            : now >= CurrentIdleExpiresAt ? RefreshRedeemStatus.Expired
            : sessionStatus != SessionValidationStatus.Valid ? RefreshRedeemStatus.SessionNotLive
            : RefreshRedeemStatus.GraceRetry;
    }

    /// <summary>
    /// The state after a successful rotation, as every store must write it: the current token becomes the previous one,
    /// the previous one joins the spent tokens (the oldest spent token is forgotten beyond <see cref="SpentTokenCapacity"/>),
    /// the successor becomes current, and the version and generation advance by one.
    /// </summary>
    /// <param name="redemption">The redemption that won the compare-and-swap.</param>
    /// <param name="forgotten">The spent token hash the family no longer remembers (the store drops it from its index), or <see langword="null"/>.</param>
    /// <returns>The new family state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="redemption"/> is <see langword="null"/>.</exception>
    public RefreshFamily Rotate(RefreshRedemption redemption, out RefreshTokenHash? forgotten)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        forgotten = null;
        IReadOnlyList<RefreshTokenHash> spent = SpentTokenHashes;
        if (PreviousTokenHash is RefreshTokenHash previous)
        {
            int keep = Math.Min(spent.Count, SpentTokenCapacity - 1);
            RefreshTokenHash[] next = new RefreshTokenHash[keep + 1];
            for (int i = 0; i < keep; i++)
            {
                next[i] = spent[spent.Count - keep + i];
            }

            next[keep] = previous;
            if (spent.Count > keep)
            {
                forgotten = spent[spent.Count - keep - 1];
            }

            spent = next;
        }

        return this with
        {
            Generation = checked(Generation + 1),
            PreviousTokenHash = CurrentTokenHash,
            RotatedAt = redemption.Now,
            CurrentTokenHash = redemption.SuccessorTokenHash,
            CurrentIssuedAt = redemption.Now,
            CurrentIdleExpiresAt = redemption.SuccessorIdleExpiresAt < AbsoluteExpiresAt ? redemption.SuccessorIdleExpiresAt : AbsoluteExpiresAt,
            SealedCurrentToken = redemption.SealedSuccessor,
            SpentTokenHashes = spent,
            Version = checked(Version + 1),
        };
    }

    /// <summary>
    /// The state after revocation: a revoked family stays revoked with its first reason, and keeps only what reuse
    /// detection needs (its token hashes), not the sealed successor.
    /// </summary>
    /// <param name="reason">Why it is revoked.</param>
    /// <param name="now">When.</param>
    /// <returns>The revoked family, or this instance when it is revoked already.</returns>
    public RefreshFamily Revoke(RevocationReason reason, DateTimeOffset now) =>
        IsRevoked ? this : this with { RevokedAt = now, RevocationReason = reason, SealedCurrentToken = default, Version = checked(Version + 1) };

    /// <summary>Tells whether a store may delete the record at <paramref name="now"/> (past its absolute expiry).</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when the family can no longer be used for anything.</returns>
    public bool IsPurgeableAt(DateTimeOffset now) => now >= AbsoluteExpiresAt;

    private static bool FixedTimeEquals(string expected, string? presented) =>
        presented is not null
        && presented.Length == expected.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(presented.AsSpan()));
}
