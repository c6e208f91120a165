using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>The typed outcome of <see cref="SessionManager.RegenerateAsync(string?, SessionChange?, System.Threading.CancellationToken)"/>.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class SessionRegenerationResult
{
    private SessionRegenerationResult(SessionRegenerationStatus status, SessionValidationStatus validation, SessionToken? token, Session? session, SessionId previousId)
    {
        Status = status;
        Validation = validation;
        Token = token;
        Session = session;
        PreviousId = previousId;
    }

    /// <summary>Gets the outcome.</summary>
    public SessionRegenerationStatus Status { get; }

    /// <summary>Gets why the presented token was refused when <see cref="Status"/> is <see cref="SessionRegenerationStatus.NotValid"/>.</summary>
    public SessionValidationStatus Validation { get; }

    /// <summary>Gets a value indicating whether the session was replaced.</summary>
    [MemberNotNullWhen(true, nameof(Token), nameof(Session))]
    public bool IsSuccess => Status == SessionRegenerationStatus.Regenerated;

    /// <summary>Gets the new token, to send to the client in place of the old one.</summary>
    public SessionToken? Token { get; }

    /// <summary>Gets the new session.</summary>
    public Session? Session { get; }

    /// <summary>Gets the identifier of the replaced (now revoked) session, or the default value on failure.</summary>
    public SessionId PreviousId { get; }

    /// <summary>Gets the new token.</summary>
    /// <exception cref="InvalidOperationException">The regeneration failed.</exception>
    public SessionToken Value => Token ?? Throw.InvalidOperation<SessionToken>(Error.FailedResultHasNoValue);

    /// <summary>Gets the new token when the regeneration succeeded.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out SessionToken? token)
    {
        token = Token;
        return token is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status == SessionRegenerationStatus.NotValid ? $"NotValid ({Validation})" : Status.ToString();

    internal static SessionRegenerationResult Success(SessionToken token, Session session, SessionId previousId) =>
        new(SessionRegenerationStatus.Regenerated, SessionValidationStatus.Valid, token, session, previousId);

    internal static SessionRegenerationResult NotValid(SessionValidationStatus validation) =>
        validation == SessionValidationStatus.StoreUnavailable
            ? Failure(SessionRegenerationStatus.StoreUnavailable)
            : new(SessionRegenerationStatus.NotValid, validation, null, null, default);

    internal static SessionRegenerationResult Failure(SessionRegenerationStatus status) =>
        new(status, status == SessionRegenerationStatus.StoreUnavailable ? SessionValidationStatus.StoreUnavailable : SessionValidationStatus.Valid, null, null, default);
}
