using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>The typed outcome of validating a DBSC proof.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscProofResult
{
    private static readonly DbscProofResult[] s_failures =
        [.. Enum.GetValues<DbscProofStatus>().Select(s => new DbscProofResult(s, null))];

    private readonly DbscProof? _proof;

    private DbscProofResult(DbscProofStatus status, DbscProof? proof)
    {
        Status = status;
        _proof = proof;
    }

    /// <summary>Gets the outcome.</summary>
    public DbscProofStatus Status { get; }

    /// <summary>Gets a value indicating whether the proof was accepted.</summary>
    public bool IsSuccess => _proof is not null;

    /// <summary>Gets the accepted proof.</summary>
    /// <exception cref="InvalidOperationException">The proof was refused.</exception>
    public DbscProof Value => _proof ?? Throw.InvalidOperation<DbscProof>(Error.FailedResultHasNoValue);

    /// <summary>Gets the accepted proof when there is one.</summary>
    /// <param name="proof">The proof.</param>
    /// <returns><see langword="true"/> when accepted.</returns>
    public bool TryGetValue([NotNullWhen(true)] out DbscProof? proof)
    {
        proof = _proof;
        return proof is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static DbscProofResult Valid(DbscProof proof) => new(DbscProofStatus.Valid, proof);

    internal static DbscProofResult Failure(DbscProofStatus status) => s_failures[(int)status];
}
