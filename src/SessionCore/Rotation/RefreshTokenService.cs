using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Rotation;

/// <summary>
/// Refresh tokens for long API sessions without long-lived credentials: a short access token plus an
/// opaque refresh token that is rotated on every use, with reuse detection.
/// </summary>
/// <remarks>
/// <para>
/// Security (rotation): every redemption is one compare-and-swap in the store
/// (<see cref="ISessionStore.RedeemRefreshTokenAsync"/>), so of any number of concurrent redemptions of
/// one token at most one creates a successor, and a family never has two active tokens.
/// </para>
/// <para>
/// Security (retry): a client that lost the response may present the rotated token again within
/// <see cref="RefreshTokenOptions.GraceWindow"/> and receives the same successor, which the store keeps
/// sealed under a key held only in this process (or shared through <see cref="RefreshTokenOptions.SealingKey"/>).
/// The service refuses to unseal once the window has passed, or when the rotation time lies further in the
/// future than <see cref="SessionOptions.ClockSkewTolerance"/>. A retry that cannot be answered (another
/// node's key, a clock fault, a damaged record) is <see cref="RefreshTokenStatus.RetryConflict"/>: nothing is
/// revoked and nothing is issued.
/// </para>
/// <para>
/// Security (reuse): a spent token presented outside the window, or any token of a revoked family, is
/// treated as theft: the family and its session are revoked, <see cref="RefreshTokenReuseDetected"/> (and
/// <see cref="SessionRevoked"/> when this call ended the session) is raised and nothing is issued. Store failures are answered with
/// <see cref="RefreshTokenStatus.StoreUnavailable"/> (fail closed).
/// </para>
/// <para>
/// A successful redemption counts as activity on the session: it is validated through the manager
/// (revocation, idle and absolute expiry, clock skew) and its idle expiry slides as a validation would.
/// When an <see cref="AccessTokenIssuer"/> is given, every issued or redeemed refresh token comes with a
/// fresh access token for the session (<see cref="RefreshTokenResult.AccessToken"/>).
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed class RefreshTokenService : IDisposable
{
    private readonly SessionManager _manager;
    private readonly RefreshTokenSettings _settings;
    private readonly SuccessorSealer _sealer;
    private readonly AccessTokenIssuer? _accessTokens;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="RefreshTokenService"/> class.</summary>
    /// <param name="manager">The session manager whose store, clock and event sinks are used.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; validated and copied now.</param>
    /// <param name="accessTokens">Mints an access token with every refresh token handed out, or <see langword="null"/> for refresh tokens only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="manager"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of bounds or contradicts another, or the sealing key is unusable.</exception>
    public RefreshTokenService(SessionManager manager, RefreshTokenOptions? options = null, AccessTokenIssuer? accessTokens = null)
        : this(manager, RefreshTokenSettings.Create(options ?? new RefreshTokenOptions()), accessTokens)
    {
    }

    internal RefreshTokenService(SessionManager manager, RefreshTokenSettings settings, AccessTokenIssuer? accessTokens = null)
    {
        _manager = Throw.IfNull(manager);
        _settings = settings;
        _accessTokens = accessTokens;
        _sealer = new SuccessorSealer(settings.SealingKey, manager.Tokens);
    }

    private ISessionStore Store => _manager.Store;

    private DateTimeOffset Now => _manager.TimeProvider.GetUtcNow();

    /// <summary>Creates a refresh family for the live session a client holds and returns its first token.</summary>
    /// <param name="sessionToken">The presented session token; junk is answered with <see cref="RefreshTokenStatus.Malformed"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first refresh token and the session, or why none was issued.</returns>
    public ValueTask<RefreshTokenResult> IssueAsync(string? sessionToken, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryParse(sessionToken, out SessionToken? parsed))
        {
            return ValueTask.FromResult(RefreshTokenResult.Failure(RefreshTokenStatus.Malformed));
        }

        return IssueAsync(parsed, cancellationToken);
    }

    /// <summary>Creates a refresh family for a live session and returns its first token.</summary>
    /// <param name="sessionToken">The session token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first refresh token and the session, or why none was issued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sessionToken"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    /// <remarks>Security: the session is validated through the manager (revocation, idle and absolute expiry) first.</remarks>
    public async ValueTask<RefreshTokenResult> IssueAsync(SessionToken sessionToken, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(sessionToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.RefreshIssue");
        RefreshTokenResult result = await IssueCoreAsync(sessionToken.Id, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        return result;
    }

    /// <summary>Redeems a refresh token presented by a client: rotates it, or detects its reuse.</summary>
    /// <param name="refreshToken">The presented value; junk is answered with <see cref="RefreshTokenStatus.Malformed"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The successor and the session, or why none was issued.</returns>
    public ValueTask<RefreshTokenResult> RedeemAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out RefreshToken? parsed))
        {
            SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.RefreshRedeemed, RefreshTokenStatus.Malformed);
            return ValueTask.FromResult(RefreshTokenResult.Failure(RefreshTokenStatus.Malformed));
        }

        return RedeemAsync(parsed, cancellationToken);
    }

    /// <summary>Redeems a parsed refresh token: rotates it, or detects its reuse.</summary>
    /// <param name="refreshToken">The token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The successor and the session, or why none was issued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    /// <remarks>
    /// Security: see the type remarks. A spent token outside the grace window, or a token of a revoked
    /// family, revokes the family and its session.
    /// </remarks>
    public async ValueTask<RefreshTokenResult> RedeemAsync(RefreshToken refreshToken, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(refreshToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.RefreshRedeem");
        RefreshTokenResult result;
        try
        {
            result = await RedeemCoreAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SessionManager.IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            result = RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }

        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.RefreshRedeemed, result.Status);
        return result;
    }

    /// <summary>Revokes the family of a refresh token (RFC 7009-style token revocation, for example at sign-out of an API client).</summary>
    /// <param name="refreshToken">Any token of the family; junk and unknown tokens are answered with <see cref="SessionOperationStatus.NothingToDo"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    /// <remarks>Security: the session itself stays; revoke it through <see cref="SessionManager"/> to end it too.</remarks>
    public async ValueTask<SessionOperationStatus> RevokeAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out RefreshToken? parsed))
        {
            return SessionOperationStatus.NothingToDo;
        }

        try
        {
            RefreshFamily? family = await Store.FindRefreshFamilyByTokenAsync(parsed.Hash, cancellationToken).ConfigureAwait(false);
            if (family is null || !family.Contains(parsed.Hash))
            {
                return SessionOperationStatus.NothingToDo;
            }

            return await Store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, Now, cancellationToken).ConfigureAwait(false)
                ? SessionOperationStatus.Done
                : SessionOperationStatus.NothingToDo;
        }
        catch (Exception ex) when (SessionManager.IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return SessionOperationStatus.StoreUnavailable;
        }
    }

    /// <summary>Releases the sealing key; the service cannot issue or redeem afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _sealer.Dispose();
    }

    private async ValueTask<RefreshTokenResult> IssueCoreAsync(SessionId sessionId, CancellationToken cancellationToken)
    {
        SessionValidationResult validation = await _manager.ValidateCoreAsync(sessionId, touch: true, cancellationToken).ConfigureAwait(false);
        if (!validation.TryGetValue(out Session? session))
        {
            return RefreshTokenResult.Failure(validation.Status == SessionValidationStatus.StoreUnavailable
                ? RefreshTokenStatus.StoreUnavailable
                : RefreshTokenStatus.SessionNotLive);
        }

        DateTimeOffset now = Now;
        RefreshToken token = RefreshToken.Mint(_manager.Tokens);
        DateTimeOffset absolute = SessionManager.Min(now + _settings.FamilyLifetime, session.AbsoluteExpiresAt);
        RefreshFamily family = new()
        {
            FamilyId = _manager.Tokens.NewIdentifier(),
            SessionId = session.Id,
            UserId = session.UserId,
            CreatedAt = now,
            AbsoluteExpiresAt = absolute,
            CurrentTokenHash = token.Hash,
            CurrentIssuedAt = now,
            CurrentIdleExpiresAt = SessionManager.Min(now + _settings.IdleLifetime, absolute),
        };

        try
        {
            if (!await Store.CreateRefreshFamilyAsync(family, now, cancellationToken).ConfigureAwait(false))
            {
                return RefreshTokenResult.Failure(RefreshTokenStatus.SessionNotLive);
            }
        }
        catch (Exception ex) when (SessionManager.IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }

        SessionCoreTelemetry.RefreshIssued.Add(1);
        return RefreshTokenResult.Success(RefreshTokenStatus.Issued, token, session, family.FamilyId, MintAccessToken(session));
    }

    private async ValueTask<RefreshTokenResult> RedeemCoreAsync(RefreshToken presented, CancellationToken cancellationToken)
    {
        string presentedHash = presented.Hash;

        // The successor is prepared before the store is asked anything, so the redemption is one store
        // call: every decision below comes from that single compare-and-swap. The sealed copy is bound to
        // the presented (parent) hash, which belongs to exactly one family.
        DateTimeOffset now = Now;
        RefreshToken successor = RefreshToken.Mint(_manager.Tokens);
        RefreshRedemption redemption = new(
            presentedHash,
            successor.Hash,
            _sealer.Seal(successor, presentedHash),
            now + _settings.IdleLifetime,
            now);

        RefreshRedeemResult outcome = await Store.RedeemRefreshTokenAsync(redemption, cancellationToken).ConfigureAwait(false);
        RefreshFamily? family = outcome.Family;
        if (family is null || outcome.Status == RefreshRedeemStatus.NotFound)
        {
            return RefreshTokenResult.Failure(RefreshTokenStatus.NotFound);
        }

        if (!family.Contains(presentedHash))
        {
            // The store answered for a family that does not hold this hash: fail closed, change nothing.
            return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);
        }

        switch (outcome.Status)
        {
            case RefreshRedeemStatus.Rotated:
                if (!OpaqueToken.HashEquals(family.CurrentTokenHash, successor.Hash))
                {
                    return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);
                }

                SessionCoreTelemetry.RefreshRotated.Add(1);
                return await SucceedAsync(RefreshTokenStatus.Rotated, successor, family, now, cancellationToken).ConfigureAwait(false);

            case RefreshRedeemStatus.Expired:
                return RefreshTokenResult.Failure(RefreshTokenStatus.Expired);

            case RefreshRedeemStatus.SessionNotLive:
                return RefreshTokenResult.Failure(RefreshTokenStatus.SessionNotLive);

            case RefreshRedeemStatus.FamilyRevoked:
                return await ReuseAsync(family, now, familyWasRevoked: true, cancellationToken).ConfigureAwait(false);

            case RefreshRedeemStatus.NotCurrent:
                return await NotCurrentAsync(presentedHash, family, now, cancellationToken).ConfigureAwait(false);

            default:
                // An unknown status from an adapter: refuse, change nothing.
                return RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }
    }

    private async ValueTask<RefreshTokenResult> NotCurrentAsync(string presentedHash, RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now >= family.AbsoluteExpiresAt)
        {
            // The whole family is dead; a late old token is not evidence of theft worth a revocation.
            return RefreshTokenResult.Failure(RefreshTokenStatus.Expired);
        }

        bool inGrace = _settings.GraceWindow > TimeSpan.Zero
            && family.RotatedAt is DateTimeOffset rotatedAt
            && now - rotatedAt <= _settings.GraceWindow
            && OpaqueToken.HashEquals(family.PreviousTokenHash, presentedHash);
        if (!inGrace)
        {
            return await ReuseAsync(family, now, familyWasRevoked: false, cancellationToken).ConfigureAwait(false);
        }

        if (family.RotatedAt > now + _manager.Settings.ClockSkewTolerance)
        {
            // Rotated by a node whose clock is far ahead of ours: the window cannot be judged, so refuse
            // to unseal, but a clock fault is no evidence of theft.
            return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);
        }

        if (now >= family.CurrentIdleExpiresAt)
        {
            return RefreshTokenResult.Failure(RefreshTokenStatus.Expired);
        }

        RefreshToken? successor = family.SealedCurrentToken.IsEmpty
            ? null
            : _sealer.Open(family.SealedCurrentToken.Span, presentedHash, family.CurrentTokenHash);
        if (successor is null || !OpaqueToken.HashEquals(family.CurrentTokenHash, successor.Hash))
        {
            return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);
        }

        return await SucceedAsync(RefreshTokenStatus.GraceRetry, successor, family, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RefreshTokenResult> SucceedAsync(RefreshTokenStatus status, RefreshToken token, RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Through the manager: the full liveness check (idle expiry and clock skew included) and the
        // throttled sliding renewal, so an API client that keeps refreshing keeps its session alive.
        SessionValidationResult validation = await _manager.ValidateCoreAsync(family.SessionId, touch: true, cancellationToken).ConfigureAwait(false);
        if (!validation.TryGetValue(out Session? session) || now >= session.AbsoluteExpiresAt)
        {
            return RefreshTokenResult.Failure(validation.Status == SessionValidationStatus.StoreUnavailable
                ? RefreshTokenStatus.StoreUnavailable
                : RefreshTokenStatus.SessionNotLive);
        }

        return RefreshTokenResult.Success(status, token, session, family.FamilyId, MintAccessToken(session));
    }

    private string? MintAccessToken(Session session) =>
        _accessTokens?.Issue(AccessTokenRequest.ForSession(session));

    private async ValueTask<RefreshTokenResult> ReuseAsync(RefreshFamily family, DateTimeOffset now, bool familyWasRevoked, CancellationToken cancellationToken)
    {
        await Store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.RefreshTokenReuse, now, cancellationToken).ConfigureAwait(false);
        bool sessionRevoked = await Store.RevokeAsync(family.SessionId, RevocationReason.RefreshTokenReuse, now, cancellationToken).ConfigureAwait(false);
        SessionCoreTelemetry.RefreshReuseDetected.Add(1);
        await _manager.RaiseAsync(new RefreshTokenReuseDetected(family.UserId, family.SessionId, now, family.FamilyId, familyWasRevoked), cancellationToken).ConfigureAwait(false);
        if (sessionRevoked)
        {
            SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(RevocationReason.RefreshTokenReuse));
            await _manager.RaiseAsync(new SessionRevoked(family.UserId, family.SessionId, now, RevocationReason.RefreshTokenReuse), cancellationToken).ConfigureAwait(false);
        }

        return RefreshTokenResult.Failure(RefreshTokenStatus.Reused);
    }
}
