using System;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// A JWS signature algorithm that SessionCore offers. The set is closed: <see cref="Es256"/> (the
/// default), <see cref="EdDsa"/>, and, for verifiers that accept RSA only, <see cref="Rs256"/> and
/// <see cref="Ps256"/>. There is no HMAC and no <c>none</c>, and no way to name an algorithm by string.
/// </summary>
/// <remarks>
/// Security: a <see cref="SigningKey"/> is bound to one algorithm when it is created or imported. The
/// <c>alg</c> header is written from the key and, on validation, must equal the algorithm of the key
/// found by <c>kid</c>: the key decides, never the token. An RSA key serves RS256 or PS256, never both.
/// </remarks>
/// <threadsafety>The singletons are immutable and safe to share.</threadsafety>
public abstract class SigningAlgorithm
{
    private static readonly SigningAlgorithm s_es256 = new Es256SigningAlgorithm();
    private static readonly SigningAlgorithm s_edDsa = new EdDsaSigningAlgorithm();
    private static readonly SigningAlgorithm s_rs256 = new RsaSigningAlgorithm(RsaSigningAlgorithm.Rs256Name, pss: false);
    private static readonly SigningAlgorithm s_ps256 = new RsaSigningAlgorithm(RsaSigningAlgorithm.Ps256Name, pss: true);

    private protected SigningAlgorithm(string name, int maxSignatureSize)
    {
        Name = name;
        MaxSignatureSize = maxSignatureSize;
    }

    /// <summary>Gets ECDSA on P-256 with SHA-256 (RFC 7518 §3.4): 64-byte IEEE P1363 <c>r||s</c> signatures.</summary>
    public static SigningAlgorithm Es256 => s_es256;

    /// <summary>Gets EdDSA with Ed25519 (RFC 8037 §3.1): 64-byte signatures.</summary>
    public static SigningAlgorithm EdDsa => s_edDsa;

    /// <summary>
    /// Gets RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3): signatures as long as the modulus. Opt-in, for
    /// verifiers that accept RSA only; keys of 2048 to 4096 bits, new keys 3072 bits.
    /// </summary>
    /// <remarks>Security: prefer <see cref="Es256"/> where the verifiers allow it: RSA signing is about a hundred times slower and tokens are longer.</remarks>
    public static SigningAlgorithm Rs256 => s_rs256;

    /// <summary>
    /// Gets RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt (RFC 7518 §3.5): signatures as long
    /// as the modulus. Opt-in, like <see cref="Rs256"/>; keys of 2048 to 4096 bits, new keys 3072 bits.
    /// </summary>
    /// <remarks>Security: a PSS signature with another salt length, or another hash for MGF1, is refused.</remarks>
    public static SigningAlgorithm Ps256 => s_ps256;

    /// <summary>Gets the JWS <c>alg</c> value (<c>ES256</c>, <c>EdDSA</c>, <c>RS256</c> or <c>PS256</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Gets the largest signature a key of this algorithm makes, in bytes: 64 for ES256 and EdDSA, 512 for
    /// RS256 and PS256 (a 4096-bit key). A key's exact size is <see cref="SigningKey.SignatureSize"/>.
    /// </summary>
    public int MaxSignatureSize { get; }

    /// <summary>Gets the JWK <c>kty</c> of this algorithm's keys (<c>EC</c>, <c>OKP</c> or <c>RSA</c>).</summary>
    internal abstract string KeyType { get; }

    internal abstract ReadOnlySpan<byte> NameUtf8 { get; }

    /// <summary>Signs <paramref name="data"/> (for a JWS, the ASCII signing input <c>header.payload</c>).</summary>
    /// <param name="key">A key of this algorithm that holds a private part.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="signature">Receives the signature; exactly <see cref="SigningKey.SignatureSize"/> bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm, or <paramref name="signature"/> has the wrong size.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="key"/> holds no private part.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    public void Sign(SigningKey key, ReadOnlySpan<byte> data, Span<byte> signature)
    {
        CheckKey(key);
        if (signature.Length != key.SignatureSize)
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
    /// <returns>The signature, <see cref="SigningKey.SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="key"/> holds no private part.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    public byte[] Sign(SigningKey key, ReadOnlySpan<byte> data)
    {
        CheckKey(key);
        byte[] signature = new byte[key.SignatureSize];
        Sign(key, data, signature);
        return signature;
    }

    /// <summary>Verifies a signature. Untrusted signatures never throw: anything but a valid signature of exactly <see cref="SigningKey.SignatureSize"/> bytes is <see langword="false"/>.</summary>
    /// <param name="key">A key of this algorithm.</param>
    /// <param name="data">The signed bytes.</param>
    /// <param name="signature">The presented signature.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another algorithm.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    /// <remarks>
    /// Security: for ES256 a DER-encoded signature is refused; only the fixed 64-byte <c>r||s</c> form is a JWS
    /// signature. For RS256 and PS256 a signature one byte shorter or longer than the modulus is refused, never
    /// padded or trimmed.
    /// </remarks>
    public bool Verify(SigningKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        CheckKey(key);
        return signature.Length == key.SignatureSize && key.Material.Verify(data, signature);
    }

    /// <summary>Returns the JWS name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>Maps a JWS <c>alg</c> value to a supported algorithm; every other value (HS256, RS512, none, ...) is unknown.</summary>
    internal static bool TryFromName(ReadOnlySpan<byte> utf8Name, [NotNullWhen(true)] out SigningAlgorithm? algorithm)
    {
        algorithm = utf8Name.SequenceEqual(s_es256.NameUtf8) ? s_es256
            : utf8Name.SequenceEqual(s_edDsa.NameUtf8) ? s_edDsa
            : utf8Name.SequenceEqual(s_rs256.NameUtf8) ? s_rs256
            : utf8Name.SequenceEqual(s_ps256.NameUtf8) ? s_ps256
            : null;
        return algorithm is not null;
    }

    internal static bool TryFromName(string? name, [NotNullWhen(true)] out SigningAlgorithm? algorithm)
    {
        algorithm = string.Equals(name, s_es256.Name, StringComparison.Ordinal) ? s_es256
            : string.Equals(name, s_edDsa.Name, StringComparison.Ordinal) ? s_edDsa
            : string.Equals(name, s_rs256.Name, StringComparison.Ordinal) ? s_rs256
            : string.Equals(name, s_ps256.Name, StringComparison.Ordinal) ? s_ps256
            : null;
        return algorithm is not null;
    }

    /// <summary>Creates key material; <paramref name="keySize"/> is in bits, <see langword="null"/> for the algorithm's default (the caller has checked it).</summary>
    internal abstract KeyMaterial Generate(int? keySize, bool exportable);

    /// <summary>Checks a requested key size: <see langword="null"/> for the default, or a size this algorithm can generate.</summary>
    internal abstract bool IsValidKeySize(int? keySize);

    /// <summary>Imports the key-type members of a JWK whose <c>kty</c> is <see cref="KeyType"/>; false, never an exception, when they do not form a valid key.</summary>
    internal abstract bool TryImport(JsonElement jwk, bool exportable, [NotNullWhen(true)] out KeyMaterial? material);

    private void CheckKey(SigningKey key)
    {
        Throw.IfNull(key);
        if (!ReferenceEquals(key.Algorithm, this))
        {
            throw new ArgumentException(Error.KeyAlgorithmMismatch, nameof(key));
        }
    }
}
