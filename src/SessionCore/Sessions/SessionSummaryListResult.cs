using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Sessions;

/// <summary>A user's live sessions as summaries, or why they could not be listed.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionSummaryListResult
{
    internal SessionSummaryListResult(IReadOnlyList<SessionSummary> summaries)
    {
        Status = SessionOperationStatus.Done;
        Summaries = summaries;
    }

    private SessionSummaryListResult(SessionOperationStatus status) => Status = status;

    /// <summary>Gets <see cref="SessionOperationStatus.Done"/>, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</summary>
    public SessionOperationStatus Status { get; }

    /// <summary>Gets a value indicating whether the summaries were listed.</summary>
    [MemberNotNullWhen(true, nameof(Summaries))]
    public bool IsSuccess => Summaries is not null;

    /// <summary>Gets the summaries, most recently seen first, or <see langword="null"/> on failure.</summary>
    public IReadOnlyList<SessionSummary>? Summaries { get; }

    /// <summary>Gets the summaries.</summary>
    /// <exception cref="InvalidOperationException">The listing failed.</exception>
    public IReadOnlyList<SessionSummary> Value => Summaries ?? Throw.InvalidOperation<IReadOnlyList<SessionSummary>>(Error.FailedResultHasNoValue);

    internal static SessionSummaryListResult StoreUnavailable { get; } = new(SessionOperationStatus.StoreUnavailable);

    /// <summary>Gets the summaries when the listing succeeded.</summary>
    /// <param name="summaries">The summaries.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out IReadOnlyList<SessionSummary>? summaries)
    {
        summaries = Summaries;
        return summaries is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"Done ({Summaries.Count})" : Status.ToString();
}
