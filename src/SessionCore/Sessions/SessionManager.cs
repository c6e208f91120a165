using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Risk;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>
/// The entry point for server-side sessions: sign-in, validation with idle and absolute timeouts and
/// sliding renewal, regeneration, revocation and invalidation. Create one with
/// <see cref="SessionManagerBuilder"/> or <c>services.AddSessionCore(...)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Security: the manager fails closed. Malformed input, an unknown token, a store failure or a record
/// from a clock too far ahead all yield a typed "not authenticated" outcome, never an exception and
/// never a session. A token presented by a client is never adopted as a new session.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed partial class SessionManager
{
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly TokenSource _tokens;
    private readonly SessionManagerSettings _settings;
    private readonly ISessionEventSink[] _sinks;
    private readonly SignInRiskEvaluator? _risk;

    internal SessionManager(ISessionStore store, TimeProvider time, TokenSource tokens, SessionManagerSettings settings, ISessionEventSink[] sinks, SignInRiskEvaluator? risk = null)
    {
        _risk = risk;
        _store = store;
        _time = time;
        _tokens = tokens;
        _settings = settings;
        _sinks = sinks;
    }

    /// <summary>Gets the store this manager uses.</summary>
    public ISessionStore Store => _store;

    /// <summary>Gets the time source this manager uses.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Gets the sign-in risk check run at every sign-in with client information, or <see langword="null"/> when none is configured.</summary>
    public SignInRiskEvaluator? SignInRisk => _risk;

    /// <summary>Gets the lifetimes and tolerances this manager passes to its store with every decision.</summary>
    public SessionRules Rules => _settings.Rules;

    internal SessionManagerSettings Settings => _settings;

    internal TokenSource Tokens => _tokens;

    /// <summary>Validates a token presented by a client (from a cookie or a header; never from a URL).</summary>
    /// <param name="token">The presented value; <see langword="null"/> and junk are answered with a typed failure.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session when the token opens a live one, otherwise why not.</returns>
    /// <remarks>
    /// Security: one store call judges the session (revocation, the user's security epoch, the global revocation
    /// instant, clock skew, expiry) and, after <see cref="SessionOptions.RenewalInterval"/>, slides its idle expiry
    /// forward (never past the absolute expiry) in the same atomic step. A store failure is answered as
    /// <see cref="SessionValidationStatus.StoreUnavailable"/>.
    /// </remarks>
    public ValueTask<SessionValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryParse(token, out SessionToken? parsed))
        {
            SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.SessionsValidated, SessionValidationStatus.Malformed);
            return ValueTask.FromResult(SessionValidationResult.Failure(SessionValidationStatus.Malformed));
        }

        return ValidateAsync(parsed, cancellationToken);
    }

    /// <summary>Validates a parsed session token.</summary>
    /// <param name="token">The token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session when the token opens a live one, otherwise why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Security: a session bound to a device key (<see cref="Session.KeyBinding"/>) is answered
    /// <see cref="SessionValidationStatus.KeyBindingRequired"/>: once bound, the token alone never authenticates again.
    /// </remarks>
    public async ValueTask<SessionValidationResult> ValidateAsync(SessionToken token, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(token);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.Validate");
        SessionValidationResult result = await ValidateCoreAsync(token.Id, touch: true, cancellationToken).ConfigureAwait(false);
        if (result.TryGetValue(out Session? session) && session.KeyBinding is not null)
        {
            result = SessionValidationResult.Failure(SessionValidationStatus.KeyBindingRequired);
        }

        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.SessionsValidated, result.Status);
        return result;
    }

    /// <summary>Lists a user's live sessions, for a "your devices" page.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live sessions, most recently seen first, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public async ValueTask<SessionListResult> ListSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        StoreOutcome<IReadOnlyList<Session>> listed = await CallStoreAsync(
            (userId, Rules, _time.GetUtcNow()),
            static (store, a, ct) => store.ListUserSessionsAsync(a.userId, a.Item2, a.Item3, ct),
            cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return SessionListResult.StoreUnavailable;
        }

        Session[] sorted = [.. listed.Value];
        Array.Sort(sorted, static (a, b) => b.LastSeenAt.CompareTo(a.LastSeenAt));
        return new SessionListResult(sorted);
    }

    internal async ValueTask<SessionValidationResult> ValidateCoreAsync(SessionId id, bool touch, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        StoreOutcome<SessionCheck> checkedSession = await CallStoreAsync(
            (id, Rules, now, touch),
            static (store, a, ct) => store.ValidateAsync(a.id, a.Item2, a.now, a.touch, ct),
            cancellationToken).ConfigureAwait(false);
        if (!checkedSession.Succeeded)
        {
            return SessionValidationResult.Failure(SessionValidationStatus.StoreUnavailable);
        }

        return await JudgedAsync(checkedSession.Value.Status, checkedSession.Value.Session, id, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Turns a store's verdict into the manager's answer: a record that is not the one asked for counts as not found, an
    /// expiry is reported once through the event sinks.
    /// </summary>
    internal async ValueTask<SessionValidationResult> JudgedAsync(SessionValidationStatus status, Session? session, SessionId id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (session is null || session.Id != id)
        {
            return SessionValidationResult.Failure(SessionValidationStatus.NotFound);
        }

        if (status is SessionValidationStatus.ExpiredIdle or SessionValidationStatus.ExpiredAbsolute)
        {
            await RaiseAsync(new SessionExpired(session.UserId, session.Id, now, status == SessionValidationStatus.ExpiredAbsolute), cancellationToken).ConfigureAwait(false);
        }

        // An unknown status from an adapter is refused like any other failure.
        return status == SessionValidationStatus.Valid ? SessionValidationResult.Valid(session)
            : Enum.IsDefined(status) && status != SessionValidationStatus.Valid ? SessionValidationResult.Failure(status)
            : SessionValidationResult.Failure(SessionValidationStatus.StoreUnavailable);
    }

    /// <summary>
    /// The one place a store call is made: only the call itself is guarded, so a fault in the manager's own code is never
    /// mistaken for (and counted as) a store failure. Caller cancellation propagates.
    /// </summary>
    internal async ValueTask<StoreOutcome<TResult>> CallStoreAsync<TState, TResult>(
        TState state, Func<ISessionStore, TState, CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        try
        {
            return new StoreOutcome<TResult>(true, await call(_store, state, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return default;
        }
    }

    internal static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    internal static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    internal void CheckUserId(string userId)
    {
        Throw.IfNullOrWhiteSpace(userId);
        if (userId.Length > _settings.MaxUserIdLength)
        {
            throw new ArgumentException(Error.UserIdTooLong, nameof(userId));
        }
    }

    // Stores key users by a hash of the UTF-8 form, and UTF-8 has no lone surrogates: two such ids would share a
    // key. Checked where sessions are created; revoking and listing accept any id, so nothing already stored
    // under one can become impossible to sign out.
    internal static void CheckUserIdWellFormed(string userId)
    {
        if (!IsWellFormedUtf16(userId))
        {
            throw new ArgumentException(Error.UserIdNotWellFormed, nameof(userId));
        }
    }

    private static bool IsWellFormedUtf16(string text)
    {
        int i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        for (; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal async ValueTask RaiseAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        foreach (ISessionEventSink sink in _sinks)
        {
            try
            {
                await sink.HandleAsync(sessionEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing sink must never change an authentication decision.
            catch (Exception)
#pragma warning restore CA1031
            {
                SessionCoreTelemetry.EventSinkFailures.Add(1);
            }
        }
    }
}
