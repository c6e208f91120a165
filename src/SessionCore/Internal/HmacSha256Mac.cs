using System;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace SessionCore.Internal;

/// <summary>
/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) over a key held by NSec, with constant-time verification of
/// full or truncated tags. Checked against the Wycheproof HMAC-SHA-256 vectors.
/// </summary>
internal sealed class HmacSha256Mac : IDisposable
{
    public const int TagSize = 32;

    /// <summary>The key size NSec's HMAC-SHA-256 imports: exactly 32 bytes.</summary>
    public const int KeySize = 32;

    private readonly Key _key;

    public HmacSha256Mac(ReadOnlySpan<byte> key)
    {
        KeyCreationParameters parameters = new() { ExportPolicy = KeyExportPolicies.None };
        _key = Key.Import(MacAlgorithm.HmacSha256, key, KeyBlobFormat.RawSymmetricKey, in parameters);
    }

    public void Compute(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        if (tag.Length != TagSize)
        {
            throw new ArgumentException(null, nameof(tag));
        }

        MacAlgorithm.HmacSha256.Mac(_key, data, tag);
    }

    /// <summary>True when <paramref name="tag"/> (full, or truncated to at least 16 bytes) matches; constant time in the tag bytes.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        if (tag.Length < 16 || tag.Length > TagSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagSize];
        try
        {
            Compute(data, expected);
            return CryptographicOperations.FixedTimeEquals(expected[..tag.Length], tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    public void Dispose() => _key.Dispose();
}
