using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Dpop;

/// <summary>The typed outcome of validating a DPoP proof, with the nonce to send next when nonces are in use.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class DpopProofValidationResult
{
    private static readonly DpopProofValidationResult[] s_failures =
        [.. Enum.GetValues<DpopProofStatus>().Select(s => new DpopProofValidationResult(s, null, null))];

    private readonly DpopProof? _proof;

    private DpopProofValidationResult(DpopProofStatus status, DpopProof? proof, string? nextNonce)
    {
        Status = status;
        _proof = proof;
        NextNonce = nextNonce;
    }

    /// <summary>Gets the outcome: <see cref="DpopProofStatus.Valid"/> or the check that failed.</summary>
    public DpopProofStatus Status { get; }

    /// <summary>Gets a value indicating whether the proof is valid.</summary>
    public bool IsSuccess => _proof is not null;

    /// <summary>Gets the validated proof.</summary>
    /// <exception cref="InvalidOperationException">The validation failed.</exception>
    public DpopProof Value => _proof ?? Throw.InvalidOperation<DpopProof>(Error.FailedResultHasNoValue);

    /// <summary>
    /// Gets the nonce to send in the <c>DPoP-Nonce</c> response header (RFC 9449 §8.2), or <see langword="null"/> when
    /// <see cref="DpopOptions.RequireNonce"/> is off. Set on success and on every refusal.
    /// </summary>
    public string? NextNonce { get; }

    /// <summary>Gets the validated proof when valid.</summary>
    /// <param name="proof">The proof, when valid.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public bool TryGetValue([NotNullWhen(true)] out DpopProof? proof)
    {
        proof = _proof;
        return proof is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static DpopProofValidationResult Success(DpopProof proof, string? nextNonce) => new(DpopProofStatus.Valid, proof, nextNonce);

    internal static DpopProofValidationResult Failure(DpopProofStatus status, string? nextNonce) =>
        nextNonce is null ? s_failures[(int)status] : new(status, null, nextNonce);
}
