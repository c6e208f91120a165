/*
 * EdDSA: Ed25519 signatures in JOSE.
 *
 *   RFC 8037 §3.1   JWS "alg" = "EdDSA" with an OKP key whose "crv" is "Ed25519"; the signature is the
 *                   64-byte Ed25519 signature (RFC 8032 §5.1.6) over the JWS signing input.
 *   RFC 8037 §2     OKP JWK: "kty" = "OKP", "crv" = "Ed25519", public "x" 32 bytes, private "d" 32 bytes
 *                   (the RFC 8032 seed), base64url without padding.
 *   RFC 8037 App. A.3 / RFC 7638 §3.2   Thumbprint members in order: crv, kty, x.
 *
 * Sizes: private key (seed) 32 bytes, public key 32 bytes, signature 64 bytes.
 * Implemented with NSec.Cryptography (libsodium), which rejects non-canonical S (s >= L) and
 * signatures of the wrong length.
 */
using System;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using NSec.Cryptography;

namespace SessionCore.Keys;

internal sealed class EdDsaSigningAlgorithm : SigningAlgorithm
{
    public const int KeyLength = 32;

    public EdDsaSigningAlgorithm()
        : base("EdDSA", 64)
    {
    }

    internal override string KeyType => "OKP";

    internal override ReadOnlySpan<byte> NameUtf8 => "EdDSA"u8;

    internal override KeyMaterial Generate(int? keySize, bool exportable) => Ed25519KeyMaterial.Generate(exportable);

    internal override bool IsValidKeySize(int? keySize) => keySize is null or 256;

    internal override bool TryImport(JsonElement jwk, bool exportable, [NotNullWhen(true)] out KeyMaterial? material)
    {
        material = null;
        byte[]? x = null, d = null;
        try
        {
            if (!JwkReader.TryGetString(jwk, "crv", required: true, out string? crv) || crv != "Ed25519" || jwk.TryGetProperty("y", out _)
                || !JwkReader.TryGetBytes(jwk, "x", required: true, KeyLength, out x) || x!.Length != KeyLength
                || !JwkReader.TryGetBytes(jwk, "d", required: false, KeyLength, out d) || (d is not null && d.Length != KeyLength))
            {
                return false;
            }

            material = Ed25519KeyMaterial.TryImport(x, d, exportable);
            return material is not null;
        }
        finally
        {
            JwkReader.Zero(d);
        }
    }
}

internal sealed class Ed25519KeyMaterial : KeyMaterial
{
    private static readonly Ed25519 s_ed25519 = SignatureAlgorithm.Ed25519;

    private readonly Key? _key;
    private readonly PublicKey _publicKey;
    private readonly byte[] _x;

    private Ed25519KeyMaterial(Key? key, PublicKey publicKey, byte[] x)
    {
        _key = key;
        _publicKey = publicKey;
        _x = x;
    }

    public override bool HasPrivateKey => _key is not null;

    public override int SignatureSize => 64;

    public override int KeySize => 256;

    public static Ed25519KeyMaterial Generate(bool exportable)
    {
        Key key = Key.Create(s_ed25519, Parameters(exportable));
        return new Ed25519KeyMaterial(key, key.PublicKey, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static Ed25519KeyMaterial? TryImport(byte[] x, byte[]? d, bool exportable)
    {
        if (d is null)
        {
            return PublicKey.TryImport(s_ed25519, x, KeyBlobFormat.RawPublicKey, out PublicKey? publicKey)
                ? new Ed25519KeyMaterial(null, publicKey!, (byte[])x.Clone())
                : null;
        }

        if (!Key.TryImport(s_ed25519, d, KeyBlobFormat.RawPrivateKey, out Key? key, Parameters(exportable)))
        {
            return null;
        }

        // A JWK whose x does not belong to d would publish one key and sign with another.
        byte[] derived = key!.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        if (!derived.AsSpan().SequenceEqual(x))
        {
            key.Dispose();
            return null;
        }

        return new Ed25519KeyMaterial(key, key.PublicKey, derived);
    }

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => s_ed25519.Sign(_key!, data, signature);

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == s_ed25519.SignatureSize && s_ed25519.Verify(_publicKey, data, signature);

    public override void WriteRequiredPublicMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv"u8, "Ed25519"u8);
        writer.WriteString("kty"u8, "OKP"u8);
        writer.WriteBase64UrlString("x"u8, _x);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        Span<byte> seed = stackalloc byte[EdDsaSigningAlgorithm.KeyLength];
        try
        {
            if (!_key!.TryExport(KeyBlobFormat.RawPrivateKey, seed, out int written) || written != seed.Length)
            {
                throw new CryptographicException();
            }

            writer.WriteBase64UrlString("d"u8, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    // NSec keeps the private key in memory it zeroes and frees on Dispose.
    public override void Dispose() => _key?.Dispose();

    private static KeyCreationParameters Parameters(bool exportable) => new()
    {
        ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
    };
}
