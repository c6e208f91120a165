using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Sessions;

/// <summary>The typed outcome of a freshness check.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class FreshnessResult
{
    private readonly Session? _session;

    internal FreshnessResult(FreshnessStatus status, SessionValidationStatus validation, Session? session, TimeSpan age, int? requiredLevel)
    {
        Status = status;
        Validation = validation;
        _session = session;
        Age = age;
        RequiredLevel = requiredLevel;
    }

    /// <summary>Gets the outcome.</summary>
    public FreshnessStatus Status { get; }

    /// <summary>Gets a value indicating whether the sensitive operation may proceed.</summary>
    public bool IsFresh => Status == FreshnessStatus.Fresh;

    /// <summary>Gets the validation outcome of the presented token (<see cref="SessionValidationStatus.Valid"/> unless <see cref="Status"/> is <see cref="FreshnessStatus.NotAuthenticated"/>).</summary>
    public SessionValidationStatus Validation { get; }

    /// <summary>Gets how long ago the user last proved who they are (zero when not authenticated).</summary>
    public TimeSpan Age { get; }

    /// <summary>Gets the authentication level the operation requires, or <see langword="null"/> for any.</summary>
    public int? RequiredLevel { get; }

    /// <summary>Gets the live session, when fresh.</summary>
    /// <exception cref="InvalidOperationException">The session is not fresh.</exception>
    public Session Value => IsFresh ? _session! : Throw.InvalidOperation<Session>(Error.FailedResultHasNoValue);

    /// <summary>Gets the live session when fresh.</summary>
    /// <param name="session">The session.</param>
    /// <returns><see langword="true"/> when fresh.</returns>
    public bool TryGetValue([NotNullWhen(true)] out Session? session)
    {
        session = IsFresh ? _session : null;
        return session is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
