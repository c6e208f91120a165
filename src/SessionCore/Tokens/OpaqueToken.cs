using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;

namespace SessionCore.Tokens;

/// <summary>
/// Shared format rules of the opaque secrets (session and refresh tokens): a short type prefix that
/// secret scanners can spot, then exactly 43 characters of canonical base64url carrying 32 bytes.
/// </summary>
internal static class OpaqueToken
{
    public const int EncodedSecretLength = 43;

    /// <summary>True when <paramref name="text"/> is <paramref name="prefix"/> followed by a canonical 32-byte secret.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text, string prefix)
    {
        if (text.Length != prefix.Length + EncodedSecretLength || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        return Base64UrlStrict.IsCanonical(text[prefix.Length..]);
    }

    /// <summary>Compares two token hashes (or any two strings) in constant time for equal lengths, without allocating.</summary>
    public static bool HashEquals(string? a, string b) =>
        a is not null
        && a.Length == b.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));

    /// <summary>SHA-256 over the ASCII form of the whole token; the prefix separates token types.</summary>
    public static string Hash(string token)
    {
        Span<byte> ascii = stackalloc byte[64];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            int length = Encoding.ASCII.GetBytes(token, ascii);
            SHA256.HashData(ascii[..length], digest);
            return Base64UrlStrict.Encode(digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ascii);
        }
    }
}
