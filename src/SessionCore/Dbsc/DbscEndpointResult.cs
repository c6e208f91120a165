using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.Dbsc;

/// <summary>The outcome of a DBSC registration or refresh: what happened and the <see cref="DbscAnswer"/> to send.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscEndpointResult
{
    private readonly Session? _session;

    internal DbscEndpointResult(DbscEndpointStatus status, DbscAnswer answer, DbscProofStatus? proofStatus = null, Session? session = null)
    {
        Status = status;
        Answer = answer;
        ProofStatus = proofStatus;
        _session = status is DbscEndpointStatus.Registered or DbscEndpointStatus.Refreshed ? session : null;
    }

    /// <summary>Gets what happened.</summary>
    public DbscEndpointStatus Status { get; }

    /// <summary>Gets the answer to copy into the HTTP response (status code, headers, body); every outcome has one.</summary>
    public DbscAnswer Answer { get; }

    /// <summary>Gets why the proof was refused, when <see cref="Status"/> is <see cref="DbscEndpointStatus.ProofRefused"/> (or the store failed while using its challenge).</summary>
    public DbscProofStatus? ProofStatus { get; }

    /// <summary>Gets a value indicating whether the session was registered or refreshed.</summary>
    public bool IsSuccess => _session is not null;

    /// <summary>Gets the bound session.</summary>
    /// <exception cref="InvalidOperationException">Neither registered nor refreshed.</exception>
    public Session Value => _session ?? Throw.InvalidOperation<Session>(Error.FailedResultHasNoValue);

    /// <summary>Gets the bound session when there is one.</summary>
    /// <param name="session">The session.</param>
    /// <returns><see langword="true"/> when registered or refreshed.</returns>
    public bool TryGetValue([NotNullWhen(true)] out Session? session)
    {
        session = _session;
        return session is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
