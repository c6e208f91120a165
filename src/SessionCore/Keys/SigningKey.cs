using System;
using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// A signing or verification key bound to one <see cref="SigningAlgorithm"/>. Its <see cref="KeyId"/>
/// is the RFC 7638 JWK thumbprint, so a key id always names exactly one public key.
/// </summary>
/// <remarks>
/// <para>
/// Security: the private part stays inside the platform key object (OpenSSL/CNG for ES256, RS256 and
/// PS256, libsodium memory for EdDSA), which is released and zeroed by <see cref="Dispose"/>; temporary
/// byte copies are zeroed at once. It can be exported only from a key created with
/// <see cref="SigningKeyExportPolicies.AllowPrivateExport"/>. <see cref="ToString"/> never shows key
/// material and no exception message carries any.
/// </para>
/// <para>
/// Security (RSA): keys of <see cref="MinRsaKeySize"/> to <see cref="MaxRsaKeySize"/> bits only, with an odd
/// public exponent of at least 3 and at most 32 bits; new keys have <see cref="DefaultRsaKeySize"/> bits.
/// </para>
/// </remarks>
/// <threadsafety>Signing and verification are safe to call from several threads; dispose only when no call is running.</threadsafety>
[DebuggerDisplay("SigningKey {Algorithm.Name} kid={KeyId}")]
public sealed partial class SigningKey : IDisposable
{
    /// <summary>The longest JWK text accepted by import, in characters.</summary>
    public const int MaxJwkLength = 16 * 1024;

    /// <summary>The size of a new RSA key (RS256, PS256) when none is named, in bits.</summary>
    public const int DefaultRsaKeySize = 3072;

    /// <summary>The smallest RSA modulus generated, imported or used for verification, in bits (RFC 7518 §3.3).</summary>
    public const int MinRsaKeySize = 2048;

    /// <summary>The largest RSA modulus generated, imported or used for verification, in bits; larger keys only cost time.</summary>
    public const int MaxRsaKeySize = 4096;

    private readonly KeyMaterial _material;
    private readonly byte[] _keyIdUtf8;
    private byte[]? _encodedHeader;
    private bool _disposed;

    private SigningKey(SigningAlgorithm algorithm, KeyMaterial material, SigningKeyExportPolicies exportPolicy)
    {
        Algorithm = algorithm;
        _material = material;
        ExportPolicy = exportPolicy;
        KeyId = JwkThumbprint.Compute(material);
        _keyIdUtf8 = Encoding.ASCII.GetBytes(KeyId);
        SignatureSize = material.SignatureSize;
        KeySize = material.KeySize;
    }

    /// <summary>Gets the algorithm this key is bound to.</summary>
    public SigningAlgorithm Algorithm { get; }

    /// <summary>Gets the key id: the RFC 7638 SHA-256 JWK thumbprint, base64url (43 characters).</summary>
    public string KeyId { get; }

    /// <summary>Gets the key size in bits: 256 for ES256 (P-256) and EdDSA (Ed25519), the modulus length for RS256 and PS256.</summary>
    public int KeySize { get; }

    /// <summary>Gets the exact size of this key's signatures, in bytes: 64 for ES256 and EdDSA, the modulus length for RS256 and PS256.</summary>
    public int SignatureSize { get; }

    /// <summary>Gets a value indicating whether the key holds a private part and can sign.</summary>
    public bool HasPrivateKey => _material.HasPrivateKey;

    /// <summary>Gets what may be exported from this key.</summary>
    public SigningKeyExportPolicies ExportPolicy { get; }

    internal KeyMaterial Material
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _material;
        }
    }

    internal ReadOnlySpan<byte> KeyIdUtf8 => _keyIdUtf8;

    internal bool IsDisposed => _disposed;

    /// <summary>Gets the base64url form of this key's protected header <c>{"alg":…,"typ":"at+jwt","kid":…}</c>, built once.</summary>
    internal ReadOnlySpan<byte> EncodedAccessTokenHeader => _encodedHeader ??= BuildHeader();

    /// <summary>Creates a new key from the operating system CSPRNG.</summary>
    /// <param name="algorithm">The algorithm the key is bound to.</param>
    /// <param name="exportPolicy">Whether the private part may be exported later.</param>
    /// <param name="keySize">
    /// The key size in bits, or <see langword="null"/> for the algorithm's: 256 for ES256 and EdDSA (the only
    /// size), <see cref="DefaultRsaKeySize"/> for RS256 and PS256, which take a multiple of 8 from
    /// <see cref="MinRsaKeySize"/> to <see cref="MaxRsaKeySize"/>.
    /// </param>
    /// <returns>The key; dispose it when no longer needed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="algorithm"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keySize"/> is not a size the algorithm can generate.</exception>
    /// <remarks>Generating an RSA key takes from a fraction of a second (2048 bits) to seconds (4096 bits).</remarks>
    public static SigningKey Generate(SigningAlgorithm algorithm, SigningKeyExportPolicies exportPolicy = SigningKeyExportPolicies.None, int? keySize = null)
    {
        Throw.IfNull(algorithm);
        if (!algorithm.IsValidKeySize(keySize))
        {
            throw new ArgumentOutOfRangeException(nameof(keySize), Error.KeySizeNotSupported);
        }

        bool exportable = (exportPolicy & SigningKeyExportPolicies.AllowPrivateExport) != 0;
        return new SigningKey(algorithm, algorithm.Generate(keySize, exportable), exportPolicy);
    }

    /// <summary>Imports a public or private JWK: EC P-256 for ES256, OKP Ed25519 for EdDSA, RSA with <c>alg</c> RS256 or PS256.</summary>
    /// <param name="jwk">The JWK JSON.</param>
    /// <param name="exportPolicy">Whether the private part may be exported again.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jwk"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The JWK is malformed or unsupported (the message never quotes it).</exception>
    /// <remarks>
    /// Security: the JSON must have unique members; coordinates must be strict base64url of the exact
    /// size and on the curve; <c>d</c> must match the public part; optional <c>alg</c> must name the key's
    /// algorithm, <c>use</c> must be <c>sig</c> and <c>kid</c> must equal the thumbprint. An RSA JWK must
    /// name its algorithm in <c>alg</c>; its <c>n</c> and <c>e</c> must be canonical (no leading zero byte),
    /// the modulus odd and of 2048 to 4096 bits, the exponent odd, at least 3 and at most 32 bits; a private
    /// RSA JWK must carry all of <c>d</c>, <c>p</c>, <c>q</c>, <c>dp</c>, <c>dq</c> and <c>qi</c>, no
    /// <c>oth</c>, and must sign what its public part verifies.
    /// </remarks>
    public static SigningKey ImportJwk(string jwk, SigningKeyExportPolicies exportPolicy = SigningKeyExportPolicies.None)
    {
        Throw.IfNull(jwk);
        return TryImportJwk(jwk, exportPolicy, out SigningKey? key) ? key : throw new ArgumentException(Error.InvalidJwk, nameof(jwk));
    }

    /// <summary>Imports a public or private JWK; never throws on bad input.</summary>
    /// <param name="jwk">The JWK JSON.</param>
    /// <param name="exportPolicy">Whether the private part may be exported again.</param>
    /// <param name="key">The key, when valid.</param>
    /// <returns><see langword="true"/> when the JWK is a valid, supported key.</returns>
    public static bool TryImportJwk(ReadOnlySpan<char> jwk, SigningKeyExportPolicies exportPolicy, [NotNullWhen(true)] out SigningKey? key)
    {
        key = null;
        if (jwk.IsEmpty || jwk.Length > MaxJwkLength)
        {
            return false;
        }

        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(jwk.Length));
        int length = 0;
        try
        {
            if (!TryTranscode(jwk, utf8, out length) || !StrictJson.IsObjectWithUniqueMembers(utf8.AsSpan(0, length)))
            {
                return false;
            }

            using JsonDocument document = JsonDocument.Parse(utf8.AsMemory(0, length));
            return TryImport(document.RootElement, exportPolicy, out key);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(utf8.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Exports the public part as a JWK (<c>crv</c>, <c>x</c>, <c>y</c> for EC; <c>crv</c>, <c>x</c> for OKP; <c>e</c>, <c>n</c> for RSA) with <c>kty</c>, <c>kid</c>, <c>alg</c> and <c>use: sig</c>.</summary>
    /// <returns>The JWK JSON.</returns>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public string ExportPublicJwk() => Export(includePrivate: false);

    /// <summary>Writes the public JWK to <paramref name="writer"/>, for example inside a JWKS.</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public void WritePublicJwk(Utf8JsonWriter writer)
    {
        Throw.IfNull(writer);
        WriteJwk(writer, includePrivate: false);
    }

    /// <summary>Exports the private key as a JWK (with <c>d</c>, for RSA also <c>p</c>, <c>q</c>, <c>dp</c>, <c>dq</c>, <c>qi</c>; and <c>kid</c>, <c>alg</c>, <c>use: sig</c>).</summary>
    /// <returns>The JWK JSON. It is a secret: store it like a password.</returns>
    /// <exception cref="InvalidOperationException">The key holds no private part, or was not created with <see cref="SigningKeyExportPolicies.AllowPrivateExport"/>.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    /// <remarks>Security: the returned string cannot be zeroed; write it straight to protected storage.</remarks>
    public string ExportPrivateJwk()
    {
        if (!HasPrivateKey)
        {
            Throw.InvalidOperation(Error.KeyHasNoPrivatePart);
        }

        if ((ExportPolicy & SigningKeyExportPolicies.AllowPrivateExport) == 0)
        {
            Throw.InvalidOperation(Error.PrivateExportNotAllowed);
        }

        return Export(includePrivate: true);
    }

    /// <summary>Releases the key material; the platform zeroes it.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _material.Dispose();
        }
    }

    /// <summary>Returns the algorithm and a redaction marker, never key material.</summary>
    /// <returns>For example <c>SigningKey ES256 [redacted]</c>.</returns>
    public override string ToString() => "SigningKey " + Algorithm.Name + " [redacted]";

    internal static bool TryImport(JsonElement jwk, SigningKeyExportPolicies exportPolicy, [NotNullWhen(true)] out SigningKey? key)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object
            || !JwkReader.TryGetString(jwk, "kty", required: true, out string? kty)
            || !JwkReader.TryGetString(jwk, "alg", required: false, out string? alg)
            || !JwkReader.TryGetString(jwk, "use", required: false, out string? use)
            || !JwkReader.TryGetString(jwk, "kid", required: false, out string? kid))
        {
            return false;
        }

        if ((use is not null && use != "sig") || (jwk.TryGetProperty("key_ops", out JsonElement ops) && !HasOnlySignatureOps(ops)))
        {
            return false;
        }

        // The key type decides which algorithms may be named. An RSA key serves one of two algorithms, so its
        // JWK must say which; an alg that disagrees with the key type (an RSA key "for ES256") is refused.
        SigningAlgorithm? algorithm = kty switch
        {
            "EC" => SigningAlgorithm.Es256,
            "OKP" => SigningAlgorithm.EdDsa,
            "RSA" => alg == SigningAlgorithm.Rs256.Name ? SigningAlgorithm.Rs256 : alg == SigningAlgorithm.Ps256.Name ? SigningAlgorithm.Ps256 : null,
            _ => null,
        };
        if (algorithm is null || (alg is not null && alg != algorithm.Name))
        {
            return false;
        }

        bool exportable = (exportPolicy & SigningKeyExportPolicies.AllowPrivateExport) != 0;
        if (!algorithm.TryImport(jwk, exportable, out KeyMaterial? material))
        {
            return false;
        }

        SigningKey candidate = new(algorithm, material, exportPolicy);
        if (kid is not null && kid != candidate.KeyId)
        {
            candidate.Dispose();
            return false;
        }

        key = candidate;
        return true;
    }

    internal void WriteJwk(Utf8JsonWriter writer, bool includePrivate)
    {
        KeyMaterial material = Material;
        writer.WriteStartObject();
        material.WriteRequiredPublicMembers(writer);
        if (includePrivate)
        {
            material.WritePrivateMembers(writer);
        }

        writer.WriteString("kid"u8, _keyIdUtf8);
        writer.WriteString("alg"u8, Algorithm.NameUtf8);
        writer.WriteString("use"u8, "sig"u8);
        writer.WriteEndObject();
    }

    private static bool HasOnlySignatureOps(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (JsonElement op in ops.EnumerateArray())
        {
            if (op.ValueKind != JsonValueKind.String || !(op.ValueEquals("sign") || op.ValueEquals("verify")))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryTranscode(ReadOnlySpan<char> text, byte[] destination, out int length)
    {
        try
        {
            length = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text, destination);
            return true;
        }
        catch (EncoderFallbackException)
        {
            length = 0;
            return false;
        }
    }

    private string Export(bool includePrivate)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        try
        {
            using (Utf8JsonWriter writer = new(buffer))
            {
                WriteJwk(writer, includePrivate);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Clear();
        }
    }

    private byte[] BuildHeader()
    {
        // Written by hand: the header is constant per key, and a JSON writer would escape the '+' of at+jwt.
        byte[] json = [.. "{\"alg\":\""u8, .. Algorithm.NameUtf8, .. "\",\"typ\":\"at+jwt\",\"kid\":\""u8, .. _keyIdUtf8, .. "\"}"u8];
        byte[] encoded = new byte[Base64UrlStrict.GetEncodedLength(json.Length)];
        Base64UrlStrict.EncodeToUtf8(json, encoded);
        return encoded;
    }
}
