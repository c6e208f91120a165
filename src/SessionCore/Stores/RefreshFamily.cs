using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// A refresh-token family as a store keeps it: every token ever issued for one session's refresh
/// chain, identified only by hashes. Exactly one token (<see cref="CurrentTokenHash"/>) is active.
/// </summary>
/// <remarks>
/// Security: no field holds a usable secret. <see cref="SealedCurrentToken"/> is the current token's
/// secret sealed with an AEAD key that never reaches the store; it only serves an idempotent retry
/// inside the grace window.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshFamily
{
    /// <summary>Gets the random family identifier (not secret).</summary>
    public required string FamilyId { get; init; }

    /// <summary>Gets the session the family is bound to.</summary>
    public required SessionId SessionId { get; init; }

    /// <summary>Gets the user the family belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets when the family was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the family ends, however often it is used.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>Gets the generation of the current token (the first token is generation 0).</summary>
    public int Generation { get; init; }

    /// <summary>Gets the hash of the only active token.</summary>
    public required string CurrentTokenHash { get; init; }

    /// <summary>Gets when the current token was issued.</summary>
    public required DateTimeOffset CurrentIssuedAt { get; init; }

    /// <summary>Gets when the current token expires if it is not redeemed (never after <see cref="AbsoluteExpiresAt"/>).</summary>
    public required DateTimeOffset CurrentIdleExpiresAt { get; init; }

    /// <summary>Gets the AEAD-sealed secret of the current token, kept for grace-window retries, or empty.</summary>
    public ReadOnlyMemory<byte> SealedCurrentToken { get; init; }

    /// <summary>Gets the hash of the token that was rotated into the current one, or <see langword="null"/>.</summary>
    public string? PreviousTokenHash { get; init; }

    /// <summary>Gets when <see cref="PreviousTokenHash"/> was rotated, or <see langword="null"/>.</summary>
    public DateTimeOffset? RotatedAt { get; init; }

    /// <summary>Gets the hashes of every older spent token (before <see cref="PreviousTokenHash"/>), kept to detect reuse.</summary>
    public IReadOnlyList<string> SpentTokenHashes { get; init; } = [];

    /// <summary>Gets when the family was revoked, or <see langword="null"/>.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets why the family was revoked, or <see langword="null"/>.</summary>
    public RevocationReason? RevocationReason { get; init; }

    /// <summary>Gets the record version, incremented by every change.</summary>
    public long Version { get; init; }

    /// <summary>Gets a value indicating whether the family has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Tells whether <paramref name="tokenHash"/> is any token of this family (current, previous or spent).</summary>
    /// <param name="tokenHash">A refresh token hash.</param>
    /// <returns><see langword="true"/> when the hash belongs to this family.</returns>
    public bool Contains(string tokenHash) =>
        string.Equals(CurrentTokenHash, tokenHash, StringComparison.Ordinal)
        || string.Equals(PreviousTokenHash, tokenHash, StringComparison.Ordinal)
        || ContainsSpent(tokenHash);

    /// <summary>
    /// The state after a successful rotation, as every store must write it: the current token becomes
    /// the previous one, the previous one joins the spent list, the successor becomes current, and the
    /// version and generation advance by one.
    /// </summary>
    /// <param name="redemption">The redemption that won the compare-and-swap.</param>
    /// <returns>The new family state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="redemption"/> is <see langword="null"/>.</exception>
    public RefreshFamily Rotate(RefreshRedemption redemption)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        List<string> spent = new(SpentTokenHashes.Count + 1);
        spent.AddRange(SpentTokenHashes);
        if (PreviousTokenHash is not null)
        {
            spent.Add(PreviousTokenHash);
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
    /// Decides a redemption exactly as <see cref="ISessionStore.RedeemRefreshTokenAsync"/> specifies, for
    /// stores that evaluate the rule in .NET: revoked family, then a non-current token, then token or
    /// family expiry, then a session that is missing, revoked or past its idle or absolute expiry.
    /// </summary>
    /// <param name="redemption">The redemption.</param>
    /// <param name="session">The family's session as the store holds it, or <see langword="null"/> when it holds none.</param>
    /// <returns><see cref="RefreshRedeemStatus.Rotated"/> when the store should write <see cref="Rotate"/>; otherwise why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="redemption"/> is <see langword="null"/>.</exception>
    public RefreshRedeemStatus Classify(RefreshRedemption redemption, Session? session)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        if (IsRevoked)
        {
            return RefreshRedeemStatus.FamilyRevoked;
        }

        if (!string.Equals(CurrentTokenHash, redemption.PresentedTokenHash, StringComparison.Ordinal))
        {
            return RefreshRedeemStatus.NotCurrent;
        }

        if (redemption.Now >= CurrentIdleExpiresAt || redemption.Now >= AbsoluteExpiresAt)
        {
            return RefreshRedeemStatus.Expired;
        }

        // Idle expiry counts too: a rotation the session then refuses would spend the presented token without
        // delivering its successor, and the client's next try would look like reuse.
        return session is null || session.Id != SessionId || !session.IsLiveAt(redemption.Now)
            ? RefreshRedeemStatus.SessionNotLive
            : RefreshRedeemStatus.Rotated;
    }

    /// <summary>The state after revocation (a revoked family stays revoked).</summary>
    /// <param name="reason">Why it is revoked.</param>
    /// <param name="now">When.</param>
    /// <returns>The revoked family, or this instance when it is revoked already.</returns>
    public RefreshFamily Revoke(RevocationReason reason, DateTimeOffset now) =>
        IsRevoked ? this : this with { RevokedAt = now, RevocationReason = reason, SealedCurrentToken = default, Version = checked(Version + 1) };

    private bool ContainsSpent(string tokenHash)
    {
        foreach (string spent in SpentTokenHashes)
        {
            if (string.Equals(spent, tokenHash, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
