using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Http;

/// <summary>
/// Synchronizer CSRF tokens bound to a session: the unmasked token is HMAC-SHA-256(key,
/// "SessionCore.Csrf.v1" || SessionId); every response gets it masked afresh with a one-time pad,
/// <c>base64url(mask || mask XOR token)</c>, so the bytes on the wire differ every time (BREACH).
/// </summary>
/// <remarks>
/// <para>
/// Security: the key never leaves the instance (it is held by NSec without export) and never appears
/// in <see cref="ToString"/>, exceptions or logs. Verification unmasks and compares in constant time with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>; it never throws on the presented value.
/// Because the token is derived from the session identifier, it changes when the session is regenerated
/// (sign-in, privilege change), and a token of one session is useless for another.
/// </para>
/// <para>Use one key for all instances of an application; rotating it invalidates every outstanding CSRF token.</para>
/// </remarks>
/// <threadsafety>Safe to share between threads until disposed.</threadsafety>
[DebuggerDisplay("CsrfTokenService")]
public sealed class CsrfTokenService : IDisposable
{
    /// <summary>The length of a masked token in characters (64 bytes in base64url).</summary>
    public const int TokenLength = 86;

    /// <summary>The shortest accepted key, in bytes.</summary>
    public const int MinKeySize = 32;

    /// <summary>The longest accepted key, in bytes (one SHA-256 block).</summary>
    public const int MaxKeySize = 64;

    private const int RawLength = HmacSha256Mac.TagSize;
    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("SessionCore.Csrf.v1\0");
    private static readonly byte[] s_keySalt = Encoding.ASCII.GetBytes("SessionCore.Csrf.Key.v1");

    private readonly HmacSha256Mac _mac;
    private readonly TokenSource _random;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="CsrfTokenService"/> class with a key the application keeps (for example shared by a web farm).</summary>
    /// <param name="key">32 to 64 secret random bytes; copied, so the caller may zero its buffer afterwards. A key longer than
    /// 32 bytes is condensed to the 32-byte MAC key with HKDF-Extract (RFC 5869, SHA-256), so every byte of it counts.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> has the wrong length.</exception>
    public CsrfTokenService(ReadOnlySpan<byte> key)
        : this(key, TokenSource.System)
    {
    }

    internal CsrfTokenService(ReadOnlySpan<byte> key, TokenSource random)
    {
        if (key.Length < MinKeySize || key.Length > MaxKeySize)
        {
            throw new ArgumentException(Error.CsrfKeyLength, nameof(key));
        }

        if (key.Length == HmacSha256Mac.KeySize)
        {
            _mac = new HmacSha256Mac(key);
        }
        else
        {
            Span<byte> condensed = stackalloc byte[HmacSha256Mac.KeySize];
            try
            {
                HKDF.Extract(HashAlgorithmName.SHA256, key, s_keySalt, condensed);
                _mac = new HmacSha256Mac(condensed);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(condensed);
            }
        }

        _random = random;
    }

    /// <summary>Creates a service with a fresh random 32-byte key (for a single process; tokens die with it).</summary>
    /// <returns>The service.</returns>
    public static CsrfTokenService CreateWithRandomKey() => CreateWithRandomKey(TokenSource.System);

    /// <summary>Creates a masked token for a session; call it for every response that embeds one.</summary>
    /// <param name="sessionId">The session (<see cref="Session.Id"/>).</param>
    /// <returns>An 86-character base64url token, different on every call.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public string CreateToken(SessionId sessionId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckId(sessionId);
        Span<byte> raw = stackalloc byte[RawLength];
        Span<byte> masked = stackalloc byte[RawLength * 2];
        try
        {
            Derive(sessionId, raw);
            Span<byte> mask = masked[..RawLength];
            _random.Fill(mask);
            Span<byte> body = masked[RawLength..];
            for (int i = 0; i < RawLength; i++)
            {
                body[i] = (byte)(mask[i] ^ raw[i]);
            }

            return Base64UrlStrict.Encode(masked);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
            CryptographicOperations.ZeroMemory(masked);
        }
    }

    /// <summary>Verifies a token the client sent back (form field or header) for a session. Never throws on <paramref name="presented"/>.</summary>
    /// <param name="presented">The presented value, or <see langword="null"/>.</param>
    /// <param name="sessionId">The session of the request, from a successful validation.</param>
    /// <returns><see cref="CsrfTokenStatus.Valid"/> only when the token belongs to that session.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public CsrfTokenStatus Verify(string? presented, SessionId sessionId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckId(sessionId);
        if (string.IsNullOrEmpty(presented))
        {
            return CsrfTokenStatus.Missing;
        }

        if (presented.Length != TokenLength)
        {
            return CsrfTokenStatus.Malformed;
        }

        Span<byte> masked = stackalloc byte[RawLength * 2];
        Span<byte> expected = stackalloc byte[RawLength];
        try
        {
            if (!Base64UrlStrict.TryDecode(presented, masked, out int written) || written != masked.Length)
            {
                return CsrfTokenStatus.Malformed;
            }

            Span<byte> mask = masked[..RawLength];
            Span<byte> body = masked[RawLength..];
            for (int i = 0; i < RawLength; i++)
            {
                body[i] ^= mask[i];
            }

            Derive(sessionId, expected);
            return CryptographicOperations.FixedTimeEquals(expected, body) ? CsrfTokenStatus.Valid : CsrfTokenStatus.Mismatch;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(masked);
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    /// <summary>Destroys the key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _mac.Dispose();
        }
    }

    /// <summary>Returns the type name; never key material.</summary>
    /// <returns>The type name.</returns>
    public override string ToString() => nameof(CsrfTokenService);

    internal static CsrfTokenService CreateWithRandomKey(TokenSource random)
    {
        Span<byte> key = stackalloc byte[MinKeySize];
        try
        {
            random.Fill(key);
            return new CsrfTokenService(key, random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void CheckId(SessionId sessionId)
    {
        if (sessionId.IsEmpty)
        {
            throw new ArgumentException(Error.SessionIdEmpty, nameof(sessionId));
        }
    }

    private void Derive(SessionId sessionId, Span<byte> raw)
    {
        Span<byte> input = stackalloc byte[s_label.Length + SessionId.Length];
        s_label.CopyTo(input);
        Encoding.ASCII.GetBytes(sessionId.ToString(), input[s_label.Length..]);
        _mac.Compute(input, raw);
    }
}
