using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.Dbsc;

/// <summary>The typed outcome of <see cref="DbscSessionService.ValidateRequestAsync"/>.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscRequestResult
{
    private readonly Session? _session;

    internal DbscRequestResult(DbscRequestStatus status, SessionValidationStatus sessionStatus, Session? session)
    {
        Status = status;
        SessionStatus = sessionStatus;
        Session = session;
        _session = status is DbscRequestStatus.Bound or DbscRequestStatus.Unbound ? session : null;
    }

    /// <summary>Gets how the request was judged.</summary>
    public DbscRequestStatus Status { get; }

    /// <summary>Gets how the long-lived session token was judged (<see cref="SessionValidationStatus.Valid"/> unless <see cref="DbscRequestStatus.SessionNotValid"/>).</summary>
    public SessionValidationStatus SessionStatus { get; }

    /// <summary>Gets a value indicating whether the request is authenticated.</summary>
    public bool IsSuccess => _session is not null;

    /// <summary>Gets the authenticated session.</summary>
    /// <exception cref="InvalidOperationException">The request is not authenticated.</exception>
    public Session Value => _session ?? Throw.InvalidOperation<Session>(Error.FailedResultHasNoValue);

    /// <summary>Gets the live session the long-lived token opened even when the request is not authenticated (to offer registration or to report), or <see langword="null"/>.</summary>
    /// <remarks>Security: never treat this as authentication; use <see cref="IsSuccess"/> and <see cref="Value"/>.</remarks>
    public Session? Session { get; }

    /// <summary>Gets the authenticated session when there is one.</summary>
    /// <param name="session">The session.</param>
    /// <returns><see langword="true"/> when authenticated.</returns>
    public bool TryGetValue([NotNullWhen(true)] out Session? session)
    {
        session = _session;
        return session is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
