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
    public ValueTask<RefreshTokenResult> IssueAsync(string? sessionToken, CancellationToken cancellationToken = default) =>
        IssueAsync(sessionToken, RefreshTokenBinding.None, cancellationToken);

    /// <summary>Creates a refresh family for the live session a client holds and returns its first token.</summary>
    /// <param name="sessionToken">The presented session token; junk is answered with <see cref="RefreshTokenStatus.Malformed"/>.</param>
    /// <param name="binding">The OAuth client and, for a sender-constrained family, the verified proof-of-possession key to bind the family to (<see cref="RefreshTokenBinding.None"/> for neither).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first refresh token and the session, or why none was issued.</returns>
    public ValueTask<RefreshTokenResult> IssueAsync(string? sessionToken, RefreshTokenBinding binding, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryParse(sessionToken, out SessionToken? parsed))
        {
            return ValueTask.FromResult(RefreshTokenResult.Failure(RefreshTokenStatus.Malformed));
        }

        return IssueAsync(parsed, binding, cancellationToken);
    }

    /// <summary>Creates a refresh family for a live session and returns its first token.</summary>
    /// <param name="sessionToken">The session token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first refresh token and the session, or why none was issued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sessionToken"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    /// <remarks>Security: the session is validated through the manager (revocation, idle and absolute expiry) first.</remarks>
    public ValueTask<RefreshTokenResult> IssueAsync(SessionToken sessionToken, CancellationToken cancellationToken = default) =>
        IssueAsync(sessionToken, RefreshTokenBinding.None, cancellationToken);

    /// <summary>Creates a refresh family for a live session and returns its first token.</summary>
    /// <param name="sessionToken">The session token.</param>
    /// <param name="binding">The OAuth client and, for a sender-constrained family, the verified proof-of-possession key to bind the family to (<see cref="RefreshTokenBinding.None"/> for neither).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first refresh token and the session, or why none was issued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sessionToken"/> or <paramref name="binding"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The binding's key thumbprint is not an RFC 7638 SHA-256 thumbprint (43 base64url characters).</exception>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    /// <remarks>Security: the session is validated through the manager (revocation, idle and absolute expiry) first.</remarks>
    public async ValueTask<RefreshTokenResult> IssueAsync(SessionToken sessionToken, RefreshTokenBinding binding, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(sessionToken);
        Throw.IfNull(binding);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (binding.KeyThumbprint is not null && !AccessTokenIssuer.IsThumbprint(binding.KeyThumbprint))
        {
            // Checked before anything is written: a family bound to a value no proof can match would be unusable.
            throw new ArgumentException(Error.ConfirmationThumbprintInvalid, nameof(binding));
        }

        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.RefreshIssue");
        RefreshTokenResult result = await IssueCoreAsync(sessionToken.Id, binding, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        return result;
    }

    /// <summary>Redeems a refresh token presented by a client: rotates it, or detects its reuse.</summary>
    /// <param name="refreshToken">The presented value; junk is answered with <see cref="RefreshTokenStatus.Malformed"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The successor and the session, or why none was issued.</returns>
    public ValueTask<RefreshTokenResult> RedeemAsync(string? refreshToken, CancellationToken cancellationToken = default) =>
        RedeemAsync(refreshToken, RefreshTokenBinding.None, cancellationToken);

    /// <summary>Redeems a refresh token presented by a client: rotates it, or detects its reuse.</summary>
    /// <param name="refreshToken">The presented value; junk is answered with <see cref="RefreshTokenStatus.Malformed"/>.</param>
    /// <param name="binding">The client presenting the token and the key it proved possession of (<see cref="RefreshTokenBinding.None"/> for neither). A bound family refuses a redemption that does not match (<see cref="RefreshTokenStatus.BindingMismatch"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The successor and the session, or why none was issued.</returns>
    public ValueTask<RefreshTokenResult> RedeemAsync(string? refreshToken, RefreshTokenBinding binding, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out RefreshToken? parsed))
        {
            SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.RefreshRedeemed, RefreshTokenStatus.Malformed);
            return ValueTask.FromResult(RefreshTokenResult.Failure(RefreshTokenStatus.Malformed));
        }

        return RedeemAsync(parsed, binding, cancellationToken);
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
    public ValueTask<RefreshTokenResult> RedeemAsync(RefreshToken refreshToken, CancellationToken cancellationToken = default) =>
        RedeemAsync(refreshToken, RefreshTokenBinding.None, cancellationToken);

    /// <summary>Redeems a parsed refresh token: rotates it, or detects its reuse.</summary>
    /// <param name="refreshToken">The token.</param>
    /// <param name="binding">The client presenting the token and the key it proved possession of (<see cref="RefreshTokenBinding.None"/> for neither). A bound family refuses a redemption that does not match (<see cref="RefreshTokenStatus.BindingMismatch"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The successor and the session, or why none was issued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    /// <remarks>
    /// Security: see the type remarks. A spent token outside the grace window, or a token of a revoked
    /// family, revokes the family and its session.
    /// </remarks>
    public async ValueTask<RefreshTokenResult> RedeemAsync(RefreshToken refreshToken, RefreshTokenBinding binding, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(refreshToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.RefreshRedeem");
        RefreshTokenResult result = await RedeemCoreAsync(refreshToken, Throw.IfNull(binding), cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.RefreshRedeemed, result.Status);
        return result;
    }

    /// <summary>Revokes the family of a refresh token (RFC 7009 style): a client's sign-out from an API.</summary>
    /// <param name="refreshToken">Any token of the family (current or spent); junk is answered with <see cref="SessionOperationStatus.NothingToDo"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened.</returns>
    public async ValueTask<SessionOperationStatus> RevokeAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out RefreshToken? parsed))
        {
            return SessionOperationStatus.NothingToDo;
        }

        StoreOutcome<RefreshFamily?> outcome = await _manager.CallStoreAsync(
            (parsed.Hash, Now),
            static (store, a, ct) => store.RevokeRefreshFamilyAsync(a.Hash, RevocationReason.Logout, a.Now, ct),
            cancellationToken).ConfigureAwait(false);
        return !outcome.Succeeded ? SessionOperationStatus.StoreUnavailable
            : outcome.Value is not null ? SessionOperationStatus.Done
            : SessionOperationStatus.NothingToDo;
    }

    /// <summary>Releases the sealing key.</summary>
    public void Dispose()
    {
        _disposed = true;
        _sealer.Dispose();
    }

    private async ValueTask<RefreshTokenResult> IssueCoreAsync(SessionId sessionId, RefreshTokenBinding binding, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Now;
        RefreshToken token = RefreshToken.Mint(_manager.Tokens);
        RefreshFamilyCreation creation = new()
        {
            FamilyId = RefreshFamilyId.New(_manager.Tokens),
            SessionId = sessionId,
            TokenHash = token.Hash,
            Lifetime = _settings.FamilyLifetime,
            IdleLifetime = _settings.IdleLifetime,
            ClientId = binding.ClientId,
            KeyThumbprint = binding.KeyThumbprint,
            Rules = _manager.Rules,
            Now = now,
        };

        StoreOutcome<RefreshFamilyCreateResult> outcome = await _manager.CallStoreAsync(creation, static (store, c, ct) => store.CreateRefreshFamilyAsync(c, ct), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }

        RefreshFamilyCreateResult created = outcome.Value;
        SessionValidationResult session = await _manager.JudgedAsync(created.Status, created.Session, sessionId, now, cancellationToken).ConfigureAwait(false);
        if (!session.IsValid || created.Family is not RefreshFamily family || family.FamilyId != creation.FamilyId)
        {
            return RefreshTokenResult.Failure(session.Status == SessionValidationStatus.StoreUnavailable ? RefreshTokenStatus.StoreUnavailable : RefreshTokenStatus.SessionNotLive);
        }

        SessionCoreTelemetry.RefreshIssued.Add(1);
        return RefreshTokenResult.Success(RefreshTokenStatus.Issued, token, session.Value, family.FamilyId, MintAccessToken(session.Value, family), family.KeyThumbprint);
    }

    private async ValueTask<RefreshTokenResult> RedeemCoreAsync(RefreshToken presented, RefreshTokenBinding binding, CancellationToken cancellationToken)
    {
        RefreshTokenHash presentedHash = presented.Hash;

        // The successor is prepared before the store is asked anything, so the redemption is one store call: every
        // decision below comes from that single atomic step. The sealed copy is bound to the presented (parent) hash,
        // which belongs to exactly one family.
        DateTimeOffset now = Now;
        RefreshToken successor = RefreshToken.Mint(_manager.Tokens);
        RefreshRedemption redemption = new()
        {
            PresentedTokenHash = presentedHash,
            SuccessorTokenHash = successor.Hash,
            SealedSuccessor = _sealer.Seal(successor, presentedHash),
            SuccessorIdleExpiresAt = now + _settings.IdleLifetime,
            GraceWindow = _settings.GraceWindow,
            ClientId = binding.ClientId,
            ProofKeyThumbprint = binding.KeyThumbprint,
            Rules = _manager.Rules,
            Now = now,
        };

        StoreOutcome<RefreshRedeemResult> stored = await _manager.CallStoreAsync(redemption, static (store, r, ct) => store.RedeemRefreshTokenAsync(r, ct), cancellationToken).ConfigureAwait(false);
        if (!stored.Succeeded)
        {
            return RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }

        RefreshRedeemResult outcome = stored.Value;
        if (outcome.Status == RefreshRedeemStatus.NotFound || outcome.Family is not RefreshFamily family)
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
                if (!family.CurrentTokenHash.FixedTimeEquals(successor.Hash))
                {
                    return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);
                }

                SessionCoreTelemetry.RefreshRotated.Add(1);
                return await SucceedAsync(RefreshTokenStatus.Rotated, successor, family, outcome, now, cancellationToken).ConfigureAwait(false);

            case RefreshRedeemStatus.GraceRetry:
                RefreshToken? sealedSuccessor = family.SealedCurrentToken.IsEmpty
                    ? null
                    : _sealer.Open(family.SealedCurrentToken.Span, presentedHash, family.CurrentTokenHash);
                return sealedSuccessor is null || !family.CurrentTokenHash.FixedTimeEquals(sealedSuccessor.Hash)
                    ? RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict)
                    : await SucceedAsync(RefreshTokenStatus.GraceRetry, sealedSuccessor, family, outcome, now, cancellationToken).ConfigureAwait(false);

            case RefreshRedeemStatus.Reused or RefreshRedeemStatus.FamilyRevoked:
                return await ReuseAsync(outcome, family, now, cancellationToken).ConfigureAwait(false);

            case RefreshRedeemStatus.Expired:
                return RefreshTokenResult.Failure(RefreshTokenStatus.Expired);

            case RefreshRedeemStatus.SessionNotLive:
                return RefreshTokenResult.Failure(RefreshTokenStatus.SessionNotLive);

            case RefreshRedeemStatus.BindingMismatch:
                return RefreshTokenResult.Failure(RefreshTokenStatus.BindingMismatch);

            case RefreshRedeemStatus.RetryConflict:
                return RefreshTokenResult.Failure(RefreshTokenStatus.RetryConflict);

            default:
                // An unknown status from an adapter: refuse, change nothing.
                return RefreshTokenResult.Failure(RefreshTokenStatus.StoreUnavailable);
        }
    }

    private async ValueTask<RefreshTokenResult> SucceedAsync(RefreshTokenStatus status, RefreshToken token, RefreshFamily family, RefreshRedeemResult outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The store judged the session (and renewed it when due) in the same step; this only turns its verdict into ours.
        SessionValidationResult session = await _manager.JudgedAsync(outcome.SessionStatus, outcome.Session, family.SessionId, now, cancellationToken).ConfigureAwait(false);
        return session.TryGetValue(out Session? live)
            ? RefreshTokenResult.Success(status, token, live, family.FamilyId, MintAccessToken(live, family), family.KeyThumbprint)
            : RefreshTokenResult.Failure(session.Status == SessionValidationStatus.StoreUnavailable ? RefreshTokenStatus.StoreUnavailable : RefreshTokenStatus.SessionNotLive);
    }

    private string? MintAccessToken(Session session, RefreshFamily family)
    {
        if (_accessTokens is null)
        {
            return null;
        }

        // A family bound to a key mints tokens bound to the same key (RFC 9449 §5, §6.1): the redemption was only
        // accepted with a proof by it, and the token it yields must need that key too.
        return _accessTokens.Issue(AccessTokenRequest.ForSession(session, family.ClientId, scope: null, family.KeyThumbprint));
    }

    private async ValueTask<RefreshTokenResult> ReuseAsync(RefreshRedeemResult outcome, RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SessionCoreTelemetry.RefreshReuseDetected.Add(1);
        await _manager.RaiseAsync(new RefreshTokenReuseDetected(family.UserId, family.SessionId, now, family.FamilyId, outcome.Status == RefreshRedeemStatus.FamilyRevoked), cancellationToken).ConfigureAwait(false);
        if (outcome.SessionRevoked)
        {
            SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(RevocationReason.RefreshTokenReuse));
            await _manager.RaiseAsync(new SessionRevoked(family.UserId, family.SessionId, now, RevocationReason.RefreshTokenReuse), cancellationToken).ConfigureAwait(false);
        }

        return RefreshTokenResult.Failure(RefreshTokenStatus.Reused);
    }
}
