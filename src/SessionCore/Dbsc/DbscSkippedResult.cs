using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Http;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>The typed outcome of reading a <c>Secure-Session-Skipped</c> header.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscSkippedResult
{
    private static readonly DbscSkippedResult[] s_failures =
    [
        new(HeaderValueStatus.Found, null),
        new(HeaderValueStatus.NotFound, null),
        new(HeaderValueStatus.OtherScheme, null),
        new(HeaderValueStatus.Malformed, null),
        new(HeaderValueStatus.Ambiguous, null),
        new(HeaderValueStatus.TooLarge, null),
    ];

    private readonly IReadOnlyList<DbscSkippedSession>? _sessions;

    private DbscSkippedResult(HeaderValueStatus status, IReadOnlyList<DbscSkippedSession>? sessions)
    {
        Status = status;
        _sessions = sessions;
    }

    /// <summary>Gets the outcome: <see cref="HeaderValueStatus.Found"/>, <see cref="HeaderValueStatus.NotFound"/>, <see cref="HeaderValueStatus.Malformed"/> or <see cref="HeaderValueStatus.TooLarge"/>.</summary>
    public HeaderValueStatus Status { get; }

    /// <summary>Gets a value indicating whether the header was present and well-formed.</summary>
    public bool IsSuccess => _sessions is not null;

    /// <summary>Gets the skipped sessions, in header order (at least one).</summary>
    /// <exception cref="InvalidOperationException">The header was absent or malformed.</exception>
    public IReadOnlyList<DbscSkippedSession> Value => _sessions ?? Throw.InvalidOperation<IReadOnlyList<DbscSkippedSession>>(Error.FailedResultHasNoValue);

    /// <summary>Gets the skipped sessions when the header was read.</summary>
    /// <param name="sessions">The sessions.</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryGetValue([NotNullWhen(true)] out IReadOnlyList<DbscSkippedSession>? sessions)
    {
        sessions = _sessions;
        return sessions is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static DbscSkippedResult Found(IReadOnlyList<DbscSkippedSession> sessions) => new(HeaderValueStatus.Found, sessions);

    internal static DbscSkippedResult Failure(HeaderValueStatus status) => s_failures[(int)status];
}
