using System;
using System.Security.Cryptography;

namespace SessionCore.Tokens;

/// <summary>
/// The single source of randomness for every secret the library mints. Production code always uses
/// the operating system CSPRNG; tests reach the <see cref="Fill"/> seam through InternalsVisibleTo,
/// so no public API can weaken entropy.
/// </summary>
internal sealed class TokenSource
{
    /// <summary>Bytes of entropy in every opaque secret (256 bits).</summary>
    public const int SecretLength = 32;

    public static readonly TokenSource System = new(RandomNumberGenerator.Fill);

    public TokenSource(Action<Span<byte>> fill) => Fill = fill ?? throw new ArgumentNullException(nameof(fill));

    public Action<Span<byte>> Fill { get; }

    /// <summary>Mints "prefix + base64url(32 random bytes)" and zeroes the temporary buffer.</summary>
    public string NewSecret(string prefix)
    {
        Span<byte> secret = stackalloc byte[SecretLength];
        try
        {
            Fill(secret);
            return string.Concat(prefix, Internal.Base64UrlStrict.Encode(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>A random, non-secret identifier (128 bits, base64url), such as a refresh family id.</summary>
    public string NewIdentifier()
    {
        Span<byte> id = stackalloc byte[16];
        Fill(id);
        return Internal.Base64UrlStrict.Encode(id);
    }
}
