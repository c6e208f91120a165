using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Http;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Dbsc;

/// <summary>
/// Device Bound Session Credentials on the core's sessions, without a web framework: offers registration, serves the
/// registration and refresh endpoints, and judges each request by its long-lived session cookie and its short-lived
/// bound cookie. Strings in (header and cookie values), typed results and <see cref="DbscAnswer"/>s out.
/// </summary>
/// <remarks>
/// <para>
/// Security: a registration binds the session to the proof's key in one store step (<see cref="ISessionStore.BindKeyAsync"/>);
/// a binding is never replaced or removed and moves to the replacement on regeneration. From then on the long-lived
/// token alone no longer authenticates (<see cref="SessionManager.ValidateAsync(string?, CancellationToken)"/> answers
/// <see cref="SessionValidationStatus.KeyBindingRequired"/>): a request needs the current bound cookie, checked
/// statelessly by <see cref="ValidateRequestAsync"/> (one MAC, no signature), and a new bound cookie needs a proof by the
/// registered key over a fresh single-use challenge. Revocation, expiry and invalidation are seen by the same session
/// lookup every request makes; a refresh of a session that no longer opens is answered <c>continue: false</c>.
/// </para>
/// <para>
/// The DBSC session identifier is <c>k</c> followed by the key's thumbprint, so it survives regeneration and names the
/// key, never the session token. A bound session used without its bound cookie or proof raises
/// <see cref="BoundSessionReplaySuspected"/>.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton. It does not own the services it is given.</threadsafety>
[DebuggerDisplay("DbscSessionService")]
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscSessionService
{
    private readonly SessionManager _sessions;
    private readonly DbscChallengeService _challenges;
    private readonly DbscBoundCookieService _cookies;
    private readonly string _registrationPath;
    private readonly string _refreshPath;
    private readonly string? _origin;
    private readonly Func<Session, bool>? _requireBinding;

    /// <summary>Initializes a new instance of the <see cref="DbscSessionService"/> class.</summary>
    /// <param name="sessions">The session manager (its store, clock, rules and event sinks are used).</param>
    /// <param name="challenges">Issues and verifies challenges.</param>
    /// <param name="cookies">Issues and verifies bound cookies.</param>
    /// <param name="options">The endpoints and policy, or <see langword="null"/> for the defaults; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sessions"/>, <paramref name="challenges"/> or <paramref name="cookies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An endpoint or the origin is invalid.</exception>
    public DbscSessionService(SessionManager sessions, DbscChallengeService challenges, DbscBoundCookieService cookies, DbscSessionOptions? options = null)
    {
        Throw.IfNull(sessions);
        Throw.IfNull(challenges);
        Throw.IfNull(cookies);
        options ??= new DbscSessionOptions();
        if (!DbscHeaderWriter.IsEndpoint(options.RegistrationPath))
        {
            throw new ArgumentException(Error.DbscPathInvalid, nameof(options));
        }

        if (!DbscHeaderWriter.IsEndpoint(options.RefreshPath))
        {
            throw new ArgumentException(Error.DbscRefreshUrlInvalid, nameof(options));
        }

        _sessions = sessions;
        _challenges = challenges;
        _cookies = cookies;
        _registrationPath = options.RegistrationPath;
        _refreshPath = options.RefreshPath;
        _origin = options.Origin;
        _requireBinding = options.RequireBinding;
        Proofs = new DbscProofValidator(challenges, sessions.Store, sessions.TimeProvider);

        // Fail at start-up, not on the first registration: the instructions check the origin.
        _ = Instructions(new string('A', 43));
    }

    /// <summary>Gets the proof validator this service uses (sharing the manager's store for single use).</summary>
    public DbscProofValidator Proofs { get; }

    /// <summary>The DBSC session identifier of a binding: <c>k</c> followed by the key's thumbprint.</summary>
    /// <param name="binding">The binding.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="binding"/> is <see langword="null"/>.</exception>
    public static string SessionIdentifierOf(SessionKeyBinding binding)
    {
        Throw.IfNull(binding);
        return "k" + binding.Thumbprint;
    }

    /// <summary>
    /// Writes the <c>Secure-Session-Registration</c> value that offers binding to a live, unbound session (after sign-in,
    /// or on any response while it stays unbound), with a fresh registration challenge.
    /// </summary>
    /// <param name="session">The session (from sign-in or from <see cref="ValidateRequestAsync"/>).</param>
    /// <returns>The header value, or <see langword="null"/> when the session is bound already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public string? CreateRegistrationHeader(Session session)
    {
        Throw.IfNull(session);
        return session.KeyBinding is not null
            ? null
            : DbscHeaderWriter.FormatRegistration(DbscProofValidator.SupportedAlgorithms, _registrationPath, _challenges.Issue(session.Id, DbscChallengePurpose.Registration));
    }

    /// <summary>Issues a bound cookie for a bound session, for example right after it was regenerated (the cookie names the session).</summary>
    /// <param name="session">A live, bound session.</param>
    /// <returns>The <c>Set-Cookie</c> value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The session is not bound, or ends in less than a second.</exception>
    /// <remarks>Security: the return value is a credential; never log it.</remarks>
    public string IssueBoundCookie(Session session)
    {
        Throw.IfNull(session);
        if (session.KeyBinding is not { } binding)
        {
            throw new ArgumentException(Error.DbscSessionNotBound, nameof(session));
        }

        return _cookies.Issue(session.Id, binding.Thumbprint, session.AbsoluteExpiresAt);
    }

    /// <summary>Judges a request: its long-lived session token and, once the session is bound, its bound cookie.</summary>
    /// <param name="sessionToken">The long-lived session cookie's value, or <see langword="null"/>.</param>
    /// <param name="cookieHeader">The request's <c>Cookie</c> header (the bound cookie is found in it), or <see langword="null"/>.</param>
    /// <param name="skippedHeader">The request's <c>Secure-Session-Skipped</c> header, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the request is authenticated, and why not.</returns>
    /// <remarks>
    /// Security: the bound cookie is verified without any signature check or store call; the one store call is the
    /// session lookup (with sliding renewal) that every request makes. A bound session without a valid bound cookie
    /// raises <see cref="BoundSessionReplaySuspected"/>, unless the browser said it skipped a failed refresh.
    /// </remarks>
    public async ValueTask<DbscRequestResult> ValidateRequestAsync(string? sessionToken, string? cookieHeader, string? skippedHeader = null, CancellationToken cancellationToken = default)
    {
        (SessionValidationStatus status, Session? session) = await OpenAsync(sessionToken, touch: true, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return new DbscRequestResult(DbscRequestStatus.SessionNotValid, status, null);
        }

        if (session.KeyBinding is not { } binding)
        {
            bool required = _requireBinding is not null && _requireBinding(session);
            return new DbscRequestResult(required ? DbscRequestStatus.BindingRequired : DbscRequestStatus.Unbound, status, session);
        }

        DbscBoundCookieResult cookie = _cookies.VerifyCookieHeader(cookieHeader, session.Id, binding.Thumbprint);
        switch (cookie.Status)
        {
            case DbscBoundCookieStatus.Valid:
                return new DbscRequestResult(DbscRequestStatus.Bound, status, session);
            case DbscBoundCookieStatus.Expired or DbscBoundCookieStatus.TooLongLived:
                return new DbscRequestResult(DbscRequestStatus.BoundCookieExpired, status, session);
            case DbscBoundCookieStatus.Missing:
                if (!Skipped(skippedHeader, SessionIdentifierOf(binding)))
                {
                    await SuspectAsync(session, BoundSessionReplayReason.BoundCookieMissing, cancellationToken).ConfigureAwait(false);
                }

                return new DbscRequestResult(DbscRequestStatus.BoundCookieMissing, status, session);
            default:
                await SuspectAsync(session, BoundSessionReplayReason.BoundCookieInvalid, cancellationToken).ConfigureAwait(false);
                return new DbscRequestResult(DbscRequestStatus.BoundCookieInvalid, status, session);
        }
    }

    /// <summary>Serves the registration endpoint: verifies the proof, binds the session to its key and sets the first bound cookie.</summary>
    /// <param name="sessionToken">The long-lived session cookie's value, or <see langword="null"/>.</param>
    /// <param name="responseHeader">The request's <c>Secure-Session-Response</c> header, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened and the answer to send.</returns>
    /// <remarks>
    /// Security: the proof must answer a registration challenge issued for this very session, once; the key is bound in
    /// one atomic store step. Registering the same key again is idempotent; another key is refused and raises
    /// <see cref="BoundSessionReplaySuspected"/>.
    /// </remarks>
    public async ValueTask<DbscEndpointResult> RegisterAsync(string? sessionToken, string? responseHeader, CancellationToken cancellationToken = default)
    {
        (SessionValidationStatus status, Session? session) = await OpenAsync(sessionToken, touch: false, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return status == SessionValidationStatus.StoreUnavailable
                ? new DbscEndpointResult(DbscEndpointStatus.StoreUnavailable, DbscAnswer.Unavailable())
                : new DbscEndpointResult(DbscEndpointStatus.SessionNotValid, DbscAnswer.Refused(401));
        }

        string? text = ReadProof(responseHeader);
        DbscProofResult proof = text is { Length: 0 }
            ? DbscProofResult.Failure(DbscProofStatus.Malformed)
            : await Proofs.ValidateRegistrationAsync(text, session.Id, null, cancellationToken).ConfigureAwait(false);
        if (!proof.TryGetValue(out DbscProof? accepted))
        {
            return proof.Status == DbscProofStatus.StoreUnavailable
                ? new DbscEndpointResult(DbscEndpointStatus.StoreUnavailable, DbscAnswer.Unavailable(), proof.Status)
                : new DbscEndpointResult(DbscEndpointStatus.ProofRefused, DbscAnswer.Refused(), proof.Status);
        }

        DateTimeOffset now = _sessions.TimeProvider.GetUtcNow();
        SessionKeyBinding binding = new(accepted.KeyThumbprint, accepted.PublicKeyJwk, now);
        StoreOutcome<SessionBindResult> bound = await _sessions.CallStoreAsync(
            (session.Id, binding, _sessions.Rules, now),
            static (store, a, ct) => store.BindKeyAsync(a.Id, a.binding, a.Rules, a.now, ct),
            cancellationToken).ConfigureAwait(false);
        if (!bound.Succeeded)
        {
            return new DbscEndpointResult(DbscEndpointStatus.StoreUnavailable, DbscAnswer.Unavailable());
        }

        switch (bound.Value.Status)
        {
            case SessionBindStatus.Bound or SessionBindStatus.AlreadyBound when bound.Value.Session is { KeyBinding: not null } result && result.Id == session.Id:
                DbscAnswer answer = DbscAnswer.Registered(Instructions(SessionIdentifierOf(result.KeyBinding!)), IssueBoundCookie(result));
                return new DbscEndpointResult(DbscEndpointStatus.Registered, answer, session: result);
            case SessionBindStatus.BoundToOtherKey:
                await SuspectAsync(session, BoundSessionReplayReason.OtherKeyRegistration, cancellationToken).ConfigureAwait(false);
                return new DbscEndpointResult(DbscEndpointStatus.BoundToOtherKey, DbscAnswer.Refused());
            default:
                return new DbscEndpointResult(DbscEndpointStatus.SessionNotValid, DbscAnswer.Refused(401));
        }
    }

    /// <summary>
    /// Serves the refresh endpoint: without a proof, demands one (403 and a challenge); with one, verifies it against the
    /// registered key and sets a new bound cookie; for a session that no longer opens, answers <c>continue: false</c>.
    /// </summary>
    /// <param name="sessionToken">The long-lived session cookie's value, or <see langword="null"/>.</param>
    /// <param name="sessionIdHeader">The request's <c>Sec-Secure-Session-Id</c> header, or <see langword="null"/>.</param>
    /// <param name="responseHeader">The request's <c>Secure-Session-Response</c> header, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What happened and the answer to send.</returns>
    /// <remarks>
    /// Security: a refused challenge (expired, used, of another session) is answered with a fresh one, since the
    /// browser may have signed an old one; a proof by another key is refused and raises
    /// <see cref="BoundSessionReplaySuspected"/>. Revoked, expired and invalidated sessions end the browser's DBSC
    /// session and delete the bound cookie.
    /// </remarks>
    public async ValueTask<DbscEndpointResult> RefreshAsync(string? sessionToken, string? sessionIdHeader, string? responseHeader, CancellationToken cancellationToken = default)
    {
        (SessionValidationStatus status, Session? session) = await OpenAsync(sessionToken, touch: true, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return status == SessionValidationStatus.StoreUnavailable
                ? new DbscEndpointResult(DbscEndpointStatus.StoreUnavailable, DbscAnswer.Unavailable())
                : new DbscEndpointResult(DbscEndpointStatus.SessionNotValid, DbscAnswer.Terminated(_cookies.BuildDeletion()));
        }

        if (session.KeyBinding is not { } binding)
        {
            return new DbscEndpointResult(DbscEndpointStatus.NotBound, DbscAnswer.Terminated(_cookies.BuildDeletion()));
        }

        string identifier = SessionIdentifierOf(binding);
        if (!DbscHeaderReader.ReadSessionIdentifier(sessionIdHeader).TryGetValue(out string? named) || !string.Equals(named, identifier, StringComparison.Ordinal))
        {
            return new DbscEndpointResult(DbscEndpointStatus.SessionIdentifierMismatch, DbscAnswer.Refused());
        }

        string? text = ReadProof(responseHeader);
        if (text is null)
        {
            return new DbscEndpointResult(DbscEndpointStatus.ChallengeIssued, ChallengeAnswer(session, identifier));
        }

        DbscProofResult proof = text.Length == 0
            ? DbscProofResult.Failure(DbscProofStatus.Malformed)
            : await Proofs.ValidateRefreshAsync(text, session.Id, binding, cancellationToken).ConfigureAwait(false);
        switch (proof.Status)
        {
            case DbscProofStatus.Valid:
                return new DbscEndpointResult(DbscEndpointStatus.Refreshed, DbscAnswer.Refreshed(IssueBoundCookie(session)), session: session);
            case DbscProofStatus.StoreUnavailable:
                return new DbscEndpointResult(DbscEndpointStatus.StoreUnavailable, DbscAnswer.Unavailable(), proof.Status);
            case DbscProofStatus.MissingChallenge or DbscProofStatus.ChallengeMalformed or DbscProofStatus.ChallengeForged
                or DbscProofStatus.ChallengeExpired or DbscProofStatus.ChallengeFromTheFuture or DbscProofStatus.ChallengeReplayed:
                // Signed by the registered key over a stale challenge: the browser retries with a fresh one.
                return new DbscEndpointResult(DbscEndpointStatus.ProofRefused, ChallengeAnswer(session, identifier), proof.Status);
            case DbscProofStatus.InvalidSignature or DbscProofStatus.UnexpectedKey or DbscProofStatus.AlgorithmMismatch:
                await SuspectAsync(session, BoundSessionReplayReason.ProofByOtherKey, cancellationToken).ConfigureAwait(false);
                return new DbscEndpointResult(DbscEndpointStatus.ProofRefused, DbscAnswer.Refused(), proof.Status);
            default:
                return new DbscEndpointResult(DbscEndpointStatus.ProofRefused, DbscAnswer.Refused(), proof.Status);
        }
    }

    /// <summary>Returns the type name.</summary>
    /// <returns>The type name.</returns>
    public override string ToString() => nameof(DbscSessionService);

    /// <summary>The proof of a <c>Secure-Session-Response</c> header: <see langword="null"/> when absent, empty when present but not an sf-string (refused as malformed).</summary>
    private static string? ReadProof(string? responseHeader)
    {
        HeaderValueResult read = DbscHeaderReader.ReadProof(responseHeader);
        return read.TryGetValue(out string? proof) ? proof : read.Status == HeaderValueStatus.NotFound ? null : string.Empty;
    }

    private static bool Skipped(string? skippedHeader, string identifier)
    {
        if (skippedHeader is null || !DbscHeaderReader.ReadSkipped(skippedHeader).TryGetValue(out var sessions))
        {
            return false;
        }

        foreach (DbscSkippedSession skipped in sessions)
        {
            if (string.Equals(skipped.SessionIdentifier, identifier, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private DbscAnswer ChallengeAnswer(Session session, string identifier) =>
        DbscAnswer.ChallengeRequired(DbscHeaderWriter.FormatChallenge(_challenges.Issue(session.Id, DbscChallengePurpose.Refresh), identifier));

    private DbscSessionInstructions Instructions(string identifier) =>
        new(identifier, _refreshPath, [_cookies.Credential]) { Origin = _origin };

    private async ValueTask<(SessionValidationStatus Status, Session? Session)> OpenAsync(string? sessionToken, bool touch, CancellationToken cancellationToken)
    {
        if (!SessionToken.TryParse(sessionToken, out SessionToken? token))
        {
            return (SessionValidationStatus.Malformed, null);
        }

        SessionValidationResult result = await _sessions.ValidateCoreAsync(token.Id, touch, cancellationToken).ConfigureAwait(false);
        return (result.Status, result.TryGetValue(out Session? session) ? session : null);
    }

    private ValueTask SuspectAsync(Session session, BoundSessionReplayReason reason, CancellationToken cancellationToken) =>
        _sessions.RaiseAsync(new BoundSessionReplaySuspected(session.UserId, session.Id, _sessions.TimeProvider.GetUtcNow(), reason), cancellationToken);
}
