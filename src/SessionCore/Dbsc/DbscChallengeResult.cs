using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>The typed outcome of verifying or consuming a DBSC challenge.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscChallengeResult
{
    private static readonly DbscChallengeResult[] s_failures =
        [.. Enum.GetValues<DbscChallengeStatus>().Select(s => new DbscChallengeResult(s, null))];

    private readonly DbscChallengeUse? _use;

    private DbscChallengeResult(DbscChallengeStatus status, DbscChallengeUse? use)
    {
        Status = status;
        _use = use;
    }

    /// <summary>Gets the outcome.</summary>
    public DbscChallengeStatus Status { get; }

    /// <summary>Gets a value indicating whether the challenge was accepted.</summary>
    public bool IsSuccess => _use is not null;

    /// <summary>Gets the accepted challenge.</summary>
    /// <exception cref="InvalidOperationException">The challenge was refused.</exception>
    public DbscChallengeUse Value => _use ?? Throw.InvalidOperation<DbscChallengeUse>(Error.FailedResultHasNoValue);

    /// <summary>Gets the accepted challenge when there is one.</summary>
    /// <param name="use">The challenge.</param>
    /// <returns><see langword="true"/> when accepted.</returns>
    public bool TryGetValue([NotNullWhen(true)] out DbscChallengeUse? use)
    {
        use = _use;
        return use is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static DbscChallengeResult Valid(DbscChallengeUse use) => new(DbscChallengeStatus.Valid, use);

    internal static DbscChallengeResult Failure(DbscChallengeStatus status) => s_failures[(int)status];
}
