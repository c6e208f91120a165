using System;
using System.Security.Cryptography;
using SessionCore.Keys;

namespace SessionCore.Jwt;

// The signature stage.
public sealed partial class AccessTokenValidator
{
    /// <summary>
    /// Verifies the signature over the exact received <c>header.payload</c> bytes with the key's own algorithm,
    /// unless the verified-signature cache holds this exact token for this key. A signature of another length
    /// than the key's is refused before any maths.
    /// </summary>
    private AccessTokenValidationStatus CheckSignature(ReadOnlySpan<byte> token, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature, SigningKey key, out bool cached, out TokenHash hash)
    {
        cached = false;
        hash = default;

        // A key disposed while still in the ring verifies nothing, and its cached verdicts go with it.
        if (key.IsDisposed || signature.Length != key.SignatureSize)
        {
            return AccessTokenValidationStatus.InvalidSignature;
        }

        if (_cache is not null)
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(token, digest);
            hash = TokenHash.From(digest);
            cached = _cache.Contains(hash, key);
        }

        return cached || Verify(key, signingInput, signature) ? AccessTokenValidationStatus.Valid : AccessTokenValidationStatus.InvalidSignature;
    }

    private static bool Verify(SigningKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.Algorithm.Verify(key, signingInput, signature);
        }
        catch (ObjectDisposedException)
        {
            // A key disposed while still in the ring verifies nothing (fail closed).
            return false;
        }
    }
}
