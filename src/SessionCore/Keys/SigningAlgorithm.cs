using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// A JWS signature algorithm that SessionCore offers. The set is closed: <see cref="Es256"/> and
/// <see cref="EdDsa"/>. There is no HMAC, RSA or <c>none</c>, and no way to name an algorithm by string.
/// </summary>
/// <remarks>
/// Security: a <see cref="SigningKey"/> is bound to one algorithm when it is created or imported. The
/// <c>alg</c> header is written from the key and, on validation, must equal the algorithm of the key
/// found by <c>kid</c>: the key decides, never the token.
/// </remarks>
/// <threadsafety>The singletons are immutable and safe to share.</threadsafety>
public abstract class SigningAlgorithm
{
    private static readonly SigningAlgorithm s_es256 = new Es256SigningAlgorithm();
    private static readonly SigningAlgorithm s_edDsa = new EdDsaSigningAlgorithm();

    private protected SigningAlgorithm(string name, int signatureSize)
    {
        Name = name;
        SignatureSize = signatureSize;
    }

    /// <summary>Gets ECDSA on P-256 with SHA-256 (RFC 7518 §3.4): 64-byte IEEE P1363 <c>r||s</c> signatures.</summary>
    public static SigningAlgorithm Es256 => s_es256;

    /// <summary>Gets EdDSA with Ed25519 (RFC 8037 §3.1): 64-byte signatures.</summary>
    public static SigningAlgorithm EdDsa => s_edDsa;

    /// <summary>Gets the JWS <c>alg</c> value (<c>ES256</c> or <c>EdDSA</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the exact size of a signature, in bytes.</summary>
    public int SignatureSize { get; }

    internal abstract ReadOnlySpan<byte> NameUtf8 { get; }

    /// <summary>Signs <paramref name="data"/> (for a JWS, the ASCII signing input <c>header.payload</c>).</summary>
    /// <param name="key">A key of this algorithm that holds a private part.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="signature">Receives the signature; exactly <see cref="SignatureSize"/> bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm, or <paramref name="signature"/> has the wrong size.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="key"/> holds no private part.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    public void Sign(SigningKey key, ReadOnlySpan<byte> data, Span<byte> signature)
    {
        CheckKey(key);
        if (signature.Length != SignatureSize)
        {
            throw new ArgumentException(Error.SignatureBufferSize, nameof(signature));
        }

        if (!key.HasPrivateKey)
        {
            Throw.InvalidOperation(Error.KeyHasNoPrivatePart);
        }

        key.Material.Sign(data, signature);
    }

    /// <summary>Signs <paramref name="data"/> and returns a new signature array.</summary>
    /// <param name="key">A key of this algorithm that holds a private part.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <returns>The signature, <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="key"/> holds no private part.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    public byte[] Sign(SigningKey key, ReadOnlySpan<byte> data)
    {
        byte[] signature = new byte[SignatureSize];
        Sign(key, data, signature);
        return signature;
    }

    /// <summary>Verifies a signature. Untrusted signatures never throw: anything but a valid signature of exactly <see cref="SignatureSize"/> bytes is <see langword="false"/>.</summary>
    /// <param name="key">A key of this algorithm.</param>
    /// <param name="data">The signed bytes.</param>
    /// <param name="signature">The presented signature.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    /// <remarks>Security: for ES256 a DER-encoded signature is refused; only the fixed 64-byte <c>r||s</c> form is a JWS signature.</remarks>
    public bool Verify(SigningKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        CheckKey(key);
        return signature.Length == SignatureSize && key.Material.Verify(data, signature);
    }

    /// <summary>Returns the JWS name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>Maps a JWS <c>alg</c> value to a supported algorithm; every other value (HS256, RS256, none, ...) is unknown.</summary>
    internal static bool TryFromName(ReadOnlySpan<byte> utf8Name, [NotNullWhen(true)] out SigningAlgorithm? algorithm)
    {
        algorithm = utf8Name.SequenceEqual(s_es256.NameUtf8) ? s_es256 : utf8Name.SequenceEqual(s_edDsa.NameUtf8) ? s_edDsa : null;
        return algorithm is not null;
    }

    internal static bool TryFromName(string? name, [NotNullWhen(true)] out SigningAlgorithm? algorithm)
    {
        algorithm = string.Equals(name, s_es256.Name, StringComparison.Ordinal) ? s_es256
            : string.Equals(name, s_edDsa.Name, StringComparison.Ordinal) ? s_edDsa
            : null;
        return algorithm is not null;
    }

    internal abstract KeyMaterial Generate(bool exportable);

    /// <summary>Imports key material from JWK members already decoded; false when they do not form a valid key.</summary>
    internal abstract bool TryImport(in JwkMembers members, bool exportable, [NotNullWhen(true)] out KeyMaterial? material);

    private void CheckKey(SigningKey key)
    {
        Throw.IfNull(key);
        if (!ReferenceEquals(key.Algorithm, this))
        {
            throw new ArgumentException(Error.KeyAlgorithmMismatch, nameof(key));
        }
    }
}
