/*
 * ES256: ECDSA using P-256 and SHA-256.
 *
 *   RFC 7518 §3.4   JWS "alg" = "ES256". The JWS Signature is the 64-byte concatenation R || S, each
 *                   a 32-byte big-endian unsigned integer (IEEE P1363 fixed-field form). An ASN.1 DER
 *                   signature is not a JWS signature and is refused by length before any maths.
 *   RFC 7518 §6.2   EC JWK: "kty" = "EC", "crv" = "P-256", "x" and "y" 32 bytes each, private "d" 32 bytes,
 *                   all base64url without padding (RFC 7515 §2).
 *   RFC 7638 §3.2   Thumbprint members in order: crv, kty, x, y.
 *
 * Sizes: private key 32 bytes, public key 64 bytes (x || y), signature 64 bytes, digest SHA-256.
 * Signatures come from System.Security.Cryptography.ECDsa with DSASignatureFormat.IeeeP1363FixedFieldConcatenation;
 * high-S signatures are valid ES256 and accepted (no low-S rule in JOSE).
 */
using System;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace SessionCore.Keys;

internal sealed class Es256SigningAlgorithm : SigningAlgorithm
{
    public const int CoordinateSize = 32;

    public Es256SigningAlgorithm()
        : base("ES256", 64)
    {
    }

    internal override string KeyType => "EC";

    internal override ReadOnlySpan<byte> NameUtf8 => "ES256"u8;

    internal override KeyMaterial Generate(int? keySize, bool exportable) => EcdsaP256KeyMaterial.Generate();

    internal override bool IsValidKeySize(int? keySize) => keySize is null or 256;

    internal override bool TryImport(JsonElement jwk, bool exportable, [NotNullWhen(true)] out KeyMaterial? material)
    {
        material = null;
        byte[]? x = null, y = null, d = null;
        try
        {
            if (!JwkReader.TryGetString(jwk, "crv", required: true, out string? crv) || crv != "P-256"
                || !JwkReader.TryGetBytes(jwk, "x", required: true, CoordinateSize, out x) || x!.Length != CoordinateSize
                || !JwkReader.TryGetBytes(jwk, "y", required: true, CoordinateSize, out y) || y!.Length != CoordinateSize
                || !JwkReader.TryGetBytes(jwk, "d", required: false, CoordinateSize, out d) || (d is not null && d.Length != CoordinateSize))
            {
                return false;
            }

            material = EcdsaP256KeyMaterial.TryImport(x, y, d);
            return material is not null;
        }
        finally
        {
            JwkReader.Zero(d);
        }
    }
}

internal sealed class EcdsaP256KeyMaterial : KeyMaterial
{
    private readonly ECDsa _ecdsa;
    private readonly byte[] _x;
    private readonly byte[] _y;
    private readonly bool _hasPrivateKey;
    private bool _disposed;

    private EcdsaP256KeyMaterial(ECDsa ecdsa, byte[] x, byte[] y, bool hasPrivateKey)
    {
        _ecdsa = ecdsa;
        _x = x;
        _y = y;
        _hasPrivateKey = hasPrivateKey;
    }

    public override bool HasPrivateKey => _hasPrivateKey;

    public override int SignatureSize => 64;

    public override int KeySize => 256;

    public static EcdsaP256KeyMaterial Generate()
    {
        ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        return new EcdsaP256KeyMaterial(ecdsa, parameters.Q.X!, parameters.Q.Y!, hasPrivateKey: true);
    }

    public static EcdsaP256KeyMaterial? TryImport(byte[] x, byte[] y, byte[]? d)
    {
        ECParameters parameters = new()
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = (byte[])x.Clone(), Y = (byte[])y.Clone() },
            D = d,
        };
        ECDsa? ecdsa = null;
        try
        {
            // ECDsa.Create validates that Q is on the curve and, with D, that D matches Q.
            ecdsa = ECDsa.Create(parameters);
            if (d is not null)
            {
                // Not every platform checks that d belongs to (x, y); a JWK that publishes one key and signs
                // with another must not import.
                ECParameters derived = ecdsa.ExportParameters(includePrivateParameters: false);
                if (!derived.Q.X.AsSpan().SequenceEqual(x) || !derived.Q.Y.AsSpan().SequenceEqual(y))
                {
                    return null;
                }
            }

            EcdsaP256KeyMaterial material = new(ecdsa, parameters.Q.X!, parameters.Q.Y!, d is not null);
            ecdsa = null;
            return material;
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            ecdsa?.Dispose();
        }
    }

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Hashing here rather than in SignData/VerifyData saves the platform an allocation per call.
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        if (!_ecdsa.TrySignHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out int written) || written != 64)
        {
            throw new CryptographicException();
        }
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (signature.Length != 64)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        return _ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public override void WriteRequiredPublicMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv"u8, "P-256"u8);
        writer.WriteString("kty"u8, "EC"u8);
        writer.WriteBase64UrlString("x"u8, _x);
        writer.WriteBase64UrlString("y"u8, _y);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ECParameters parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteBase64UrlString("d"u8, parameters.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    public override void Dispose()
    {
        _disposed = true;
        _ecdsa.Dispose();
    }
}
