using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Sessions;

/// <summary>The typed outcome of <see cref="SessionManager.ValidateAsync(string?, System.Threading.CancellationToken)"/>.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class SessionValidationResult
{
    private static readonly SessionValidationResult[] s_failures =
        [.. Enum.GetValues<SessionValidationStatus>().Select(s => new SessionValidationResult(s, null))];

    private readonly Session? _session;

    private SessionValidationResult(SessionValidationStatus status, Session? session)
    {
        Status = status;
        _session = session;
    }

    /// <summary>Gets the outcome.</summary>
    public SessionValidationStatus Status { get; }

    /// <summary>Gets a value indicating whether the token opens a live session.</summary>
    public bool IsValid => _session is not null;

    /// <summary>Gets the live session.</summary>
    /// <exception cref="InvalidOperationException">The validation failed.</exception>
    public Session Value => _session ?? Throw.InvalidOperation<Session>(Error.FailedResultHasNoValue);

    /// <summary>Gets the live session when valid.</summary>
    /// <param name="session">The session, when valid.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public bool TryGetValue([NotNullWhen(true)] out Session? session)
    {
        session = _session;
        return session is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static SessionValidationResult Valid(Session session) => new(SessionValidationStatus.Valid, session);

    internal static SessionValidationResult Failure(SessionValidationStatus status) => s_failures[(int)status];
}
