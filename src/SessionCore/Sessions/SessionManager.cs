using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
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

    internal SessionManager(ISessionStore store, TimeProvider time, TokenSource tokens, SessionManagerSettings settings, ISessionEventSink[] sinks)
    {
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

    internal SessionManagerSettings Settings => _settings;

    internal TokenSource Tokens => _tokens;

    /// <summary>Validates a token presented by a client (from a cookie or a header; never from a URL).</summary>
    /// <param name="token">The presented value; <see langword="null"/> and junk are answered with a typed failure.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session when the token opens a live one, otherwise why not.</returns>
    /// <remarks>
    /// Security: within <see cref="SessionOptions.RenewalInterval"/> of the last write, validation only
    /// reads; after it, the idle expiry slides forward (never past the absolute expiry) with one
    /// conditional write. A failure of that write is answered as <see cref="SessionValidationStatus.StoreUnavailable"/>.
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
    public async ValueTask<SessionValidationResult> ValidateAsync(SessionToken token, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(token);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.Validate");
        SessionValidationResult result = await ValidateCoreAsync(token.Id, touch: true, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sessioncore.outcome", result.Status.ToString());
        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.SessionsValidated, result.Status);
        return result;
    }

    /// <summary>Lists a user's live sessions, for a "your devices" page.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live sessions, most recently seen first; <see langword="null"/> when the store could not answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or too long.</exception>
    public async ValueTask<IReadOnlyList<Session>?> ListSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUserId(userId);
        try
        {
            IReadOnlyList<Session> sessions = await _store.ListUserSessionsAsync(userId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Session[] sorted = [.. sessions];
            Array.Sort(sorted, static (a, b) => b.LastSeenAt.CompareTo(a.LastSeenAt));
            return sorted;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return null;
        }
    }

    internal async ValueTask<SessionValidationResult> ValidateCoreAsync(SessionId id, bool touch, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Session? session;
        try
        {
            session = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return SessionValidationResult.Failure(SessionValidationStatus.StoreUnavailable);
        }

        SessionValidationStatus status = Classify(session, id, now);
        if (status != SessionValidationStatus.Valid)
        {
            if (status is SessionValidationStatus.ExpiredIdle or SessionValidationStatus.ExpiredAbsolute)
            {
                await RaiseAsync(new SessionExpired(session!.UserId, session.Id, now, status == SessionValidationStatus.ExpiredAbsolute), cancellationToken).ConfigureAwait(false);
            }

            return SessionValidationResult.Failure(status);
        }

        if (touch && now - session!.LastSeenAt >= _settings.RenewalInterval)
        {
            DateTimeOffset idleExpiresAt = Min(now + _settings.IdleTimeout, session.AbsoluteExpiresAt);
            try
            {
                // A lost race (another request renewed first) is harmless: the other write slid the expiry too.
                if (await _store.TouchAsync(session.Id, session.Version, now, idleExpiresAt, cancellationToken).ConfigureAwait(false))
                {
                    session = session with { LastSeenAt = now, IdleExpiresAt = idleExpiresAt, Version = session.Version + 1 };
                }
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                SessionCoreTelemetry.StoreFailures.Add(1);
                return SessionValidationResult.Failure(SessionValidationStatus.StoreUnavailable);
            }
        }

        return SessionValidationResult.Valid(session!);
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

    private SessionValidationStatus Classify(Session? session, SessionId id, DateTimeOffset now)
    {
        if (session is null || session.Id != id)
        {
            return SessionValidationStatus.NotFound;
        }

        if (session.IsRevoked)
        {
            return SessionValidationStatus.Revoked;
        }

        // A record from the future means a clock went wrong somewhere; trusting it could extend a lifetime.
        DateTimeOffset latestAcceptable = now + _settings.ClockSkewTolerance;
        if (session.CreatedAt > latestAcceptable || session.LastSeenAt > latestAcceptable || session.AuthenticatedAt > latestAcceptable)
        {
            return SessionValidationStatus.ClockSkew;
        }

        // Stored expiries are capped by the configured lifetimes, so a tampered record or one written under a
        // laxer configuration cannot outlive what this manager allows.
        if (now >= session.AbsoluteExpiresAt || now >= session.CreatedAt + _settings.AbsoluteLifetime)
        {
            return SessionValidationStatus.ExpiredAbsolute;
        }

        return now >= session.IdleExpiresAt || now >= session.LastSeenAt + _settings.IdleTimeout
            ? SessionValidationStatus.ExpiredIdle
            : SessionValidationStatus.Valid;
    }
}
