using System;
using System.Collections.Generic;
using SessionCore.Risk;
using SessionCore.Stores;
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

    /// <summary>
    /// Gets how the user authenticated (for example <c>pwd</c>, <c>otp</c>, <c>hwk</c>: RFC 8176 values), as the host
    /// reported at sign-in or at the last step-up; empty when not reported.
    /// </summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>
    /// Gets the device key this session is bound to (Device Bound Session Credentials), or <see langword="null"/> while
    /// it is unbound.
    /// </summary>
    /// <remarks>
    /// Security: a binding, once made, never falls away: regeneration carries it to the replacement, and no store
    /// operation removes it or replaces it with another key.
    /// </remarks>
    public SessionKeyBinding? KeyBinding { get; init; }

    /// <summary>
    /// Gets the coarse place the session signed in from (see <see cref="CoarseLocation"/>), or <see langword="null"/> when
    /// it is unknown or no sign-in risk check ran.
    /// </summary>
    /// <remarks>Security (privacy): the coarse form only (country, city, rounded coordinates with their radius, AS number), never an address.</remarks>
    public CoarseLocation? Location { get; init; }

    /// <summary>
    /// Gets the reasons the sign-in risk check found when the session signed in (<see cref="SignInRiskReason.None"/> when
    /// none, or when no check ran). Kept across regeneration, so a host can tell the user about an unusual sign-in.
    /// </summary>
    public SignInRiskReason SignInRisk { get; init; }

    /// <summary>Gets a value indicating whether the session has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    internal static IReadOnlyDictionary<string, string> EmptyData { get; } = new Dictionary<string, string>();

    /// <summary>Tells whether the record alone (ignoring the user's epoch and configured lifetimes) is usable at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when the session is neither revoked nor past its stored expiries.</returns>
    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && now < IdleExpiresAt && now < AbsoluteExpiresAt;

    /// <summary>
    /// Decides whether the session opens at <paramref name="now"/>: the one rule every store and the manager apply.
    /// </summary>
    /// <param name="rules">The configured lifetimes and tolerances.</param>
    /// <param name="userSecurityEpoch">The user's current security epoch.</param>
    /// <param name="revokedBefore">The global revocation instant (every session created at or before it is revoked), or <see langword="null"/>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>
    /// In this order: <see cref="SessionValidationStatus.Revoked"/> when revoked, issued under an older epoch than the user's,
    /// or created at or before <paramref name="revokedBefore"/>; <see cref="SessionValidationStatus.ClockSkew"/> when a
    /// recorded time lies beyond the tolerated skew ahead of <paramref name="now"/>;
    /// <see cref="SessionValidationStatus.ExpiredAbsolute"/> and then <see cref="SessionValidationStatus.ExpiredIdle"/> when past
    /// the stored expiry or the configured lifetime; otherwise <see cref="SessionValidationStatus.Valid"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Security: the stored expiries are capped by the configured lifetimes, so a tampered record or one written under a
    /// laxer configuration cannot outlive what the rules allow; a record from the future means a clock went wrong, and
    /// trusting it could extend a lifetime.
    /// </remarks>
    public SessionValidationStatus Classify(SessionRules rules, long userSecurityEpoch, DateTimeOffset? revokedBefore, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (IsRevoked || SecurityEpoch < userSecurityEpoch || (revokedBefore is DateTimeOffset floor && CreatedAt <= floor))
        {
            return SessionValidationStatus.Revoked;
        }

        DateTimeOffset latestAcceptable = now + rules.ClockSkewTolerance;
        if (CreatedAt > latestAcceptable || LastSeenAt > latestAcceptable || AuthenticatedAt > latestAcceptable)
        {
            return SessionValidationStatus.ClockSkew;
        }

        if (now >= AbsoluteExpiresAt || now >= CreatedAt + rules.AbsoluteLifetime)
        {
            return SessionValidationStatus.ExpiredAbsolute;
        }

        return now >= IdleExpiresAt || now >= LastSeenAt + rules.IdleTimeout
            ? SessionValidationStatus.ExpiredIdle
            : SessionValidationStatus.Valid;
    }

    /// <summary>
    /// The sliding renewal: when <see cref="SessionRules.RenewalInterval"/> has passed since <see cref="LastSeenAt"/>,
    /// the session is seen now and its idle expiry moves forward (never past the absolute expiry).
    /// </summary>
    /// <param name="rules">The configured lifetimes.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The renewed session (a new version), or this instance when no write is due.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    public Session Touch(SessionRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (now - LastSeenAt < rules.RenewalInterval)
        {
            return this;
        }

        DateTimeOffset idle = now + rules.IdleTimeout;
        return this with { LastSeenAt = now, IdleExpiresAt = idle < AbsoluteExpiresAt ? idle : AbsoluteExpiresAt, Version = checked(Version + 1) };
    }

    /// <summary>The state after revocation; a revoked session stays revoked with its first reason.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="now">When.</param>
    /// <returns>The revoked session, or this instance when it is revoked already.</returns>
    public Session Revoke(RevocationReason reason, DateTimeOffset now) =>
        IsRevoked ? this : this with { RevokedAt = now, RevocationReason = reason, Version = checked(Version + 1) };

    /// <summary>
    /// The replacement a regeneration inserts: a new identifier, seen now, the same creation time, absolute expiry,
    /// device and key binding, with the requested changes applied and the version restarted.
    /// </summary>
    /// <param name="replacement">The new identifier and the changes.</param>
    /// <param name="rules">The configured lifetimes.</param>
    /// <param name="securityEpoch">The epoch the replacement carries (the user's current one).</param>
    /// <param name="now">The current time.</param>
    /// <returns>The replacement session.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="replacement"/> or <paramref name="rules"/> is <see langword="null"/>.</exception>
    public Session Regenerate(SessionReplacement replacement, SessionRules rules, long securityEpoch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        ArgumentNullException.ThrowIfNull(rules);
        DateTimeOffset idle = now + rules.IdleTimeout;
        return this with
        {
            Id = replacement.NewId,
            LastSeenAt = now,
            IdleExpiresAt = idle < AbsoluteExpiresAt ? idle : AbsoluteExpiresAt,
            AuthenticatedAt = replacement.Reauthenticated ? now : AuthenticatedAt,
            AuthenticationLevel = replacement.AuthenticationLevel ?? AuthenticationLevel,
            AuthenticationMethods = replacement.AuthenticationMethods ?? AuthenticationMethods,
            Data = replacement.Data ?? Data,
            SecurityEpoch = securityEpoch,
            Version = 0,
            RevokedAt = null,
            RevocationReason = null,
        };
    }

    /// <summary>Tells whether a store may delete the record at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>
    /// <see langword="true"/> past the absolute expiry, or past the idle expiry while not revoked (a revoked record is kept
    /// until its absolute expiry, so that its token is answered as revoked rather than unknown).
    /// </returns>
    public bool IsPurgeableAt(DateTimeOffset now) => now >= AbsoluteExpiresAt || (!IsRevoked && now >= IdleExpiresAt);
}
