using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Sessions;

/// <summary>A user's live sessions, or why they could not be listed.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionListResult
{
    internal SessionListResult(IReadOnlyList<Session> sessions)
    {
        Status = SessionOperationStatus.Done;
        Sessions = sessions;
    }

    private SessionListResult(SessionOperationStatus status) => Status = status;

    /// <summary>Gets <see cref="SessionOperationStatus.Done"/>, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</summary>
    public SessionOperationStatus Status { get; }

    /// <summary>Gets a value indicating whether the sessions were listed.</summary>
    [MemberNotNullWhen(true, nameof(Sessions))]
    public bool IsSuccess => Sessions is not null;

    /// <summary>Gets the sessions, most recently seen first, or <see langword="null"/> on failure.</summary>
    public IReadOnlyList<Session>? Sessions { get; }

    /// <summary>Gets the sessions.</summary>
    /// <exception cref="InvalidOperationException">The listing failed.</exception>
    public IReadOnlyList<Session> Value => Sessions ?? Throw.InvalidOperation<IReadOnlyList<Session>>(Error.FailedResultHasNoValue);

    internal static SessionListResult StoreUnavailable { get; } = new(SessionOperationStatus.StoreUnavailable);

    /// <summary>Gets the sessions when the listing succeeded.</summary>
    /// <param name="sessions">The sessions.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out IReadOnlyList<Session>? sessions)
    {
        sessions = Sessions;
        return sessions is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"Done ({Sessions.Count})" : Status.ToString();
}
