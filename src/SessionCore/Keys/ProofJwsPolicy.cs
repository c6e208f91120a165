using System;
using System.Text;

namespace SessionCore.Keys;

/// <summary>What a consumer of key-bound proofs accepts: the allow-list of algorithms, the <c>typ</c> and the size bound.</summary>
/// <threadsafety>Immutable.</threadsafety>
internal sealed class ProofJwsPolicy
{
    private readonly ProofAlgorithm[] _algorithms;
    private readonly byte[] _type;
    private readonly byte[] _mediaType;

    /// <param name="type">The <c>typ</c> without the <c>application/</c> prefix, for example <c>dpop+jwt</c>.</param>
    /// <param name="algorithms">The allow-list; never empty.</param>
    /// <param name="maxLength">The longest proof read, in characters.</param>
    public ProofJwsPolicy(string type, ReadOnlySpan<ProofAlgorithm> algorithms, int maxLength)
    {
        if (algorithms.IsEmpty || maxLength < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(algorithms));
        }

        _type = Encoding.ASCII.GetBytes(type);
        _mediaType = Encoding.ASCII.GetBytes("application/" + type);
        _algorithms = algorithms.ToArray();
        MaxLength = maxLength;
    }

    public ReadOnlySpan<ProofAlgorithm> Algorithms => _algorithms;

    public int MaxLength { get; }

    /// <summary>
    /// True for the expected type: media types compare case-insensitively, and a <c>typ</c> without a slash means
    /// <c>application/</c> followed by it (RFC 7515 §4.1.9).
    /// </summary>
    public bool IsExpectedType(ReadOnlySpan<byte> typ) => Ascii.EqualsIgnoreCase(typ, _type) || Ascii.EqualsIgnoreCase(typ, _mediaType);
}
