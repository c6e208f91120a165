using System;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Rotation;

/// <summary>
/// Seals the successor's 32 secret bytes for the grace window with XChaCha20-Poly1305, whose 192-bit
/// nonces may be drawn at random for the life of a process-wide key (no counter to share between
/// threads or nodes) and which needs no AES hardware. Layout: version (1) || nonce (24) || ciphertext
/// and tag (32 + 16). The associated data binds the box to the token it replaced (which names its family) and to
/// the successor's hash, so a sealed value moved to another family or slot does not open.
/// </summary>
internal sealed class SuccessorSealer : IDisposable
{
    public const int SealedLength = 1 + NonceSize + TokenSource.SecretLength + TagSize;

    private const byte FormatVersion = 1;
    private const int NonceSize = 24;
    private const int TagSize = 16;
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("SessionCore.RefreshSuccessor.v1");

    private readonly AeadAlgorithm _algorithm = AeadAlgorithm.XChaCha20Poly1305;
    private readonly Key _key;
    private readonly TokenSource _tokens;

    public SuccessorSealer(ReadOnlySpan<byte> sharedKey, TokenSource tokens)
    {
        _tokens = tokens;
        KeyCreationParameters parameters = new() { ExportPolicy = KeyExportPolicies.None };
        Span<byte> raw = stackalloc byte[RefreshTokenOptions.SealingKeySize];
        try
        {
            if (sharedKey.IsEmpty)
            {
                tokens.Fill(raw);
            }
            else
            {
                sharedKey.CopyTo(raw);
            }

            _key = Key.Import(_algorithm, raw, KeyBlobFormat.RawSymmetricKey, in parameters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Seals the successor; the result is safe to hand to the store.</summary>
    public byte[] Seal(RefreshToken successor, RefreshTokenHash parentHash)
    {
        byte[] aad = AssociatedData(parentHash, successor.Hash);
        Span<byte> secret = stackalloc byte[TokenSource.SecretLength];
        try
        {
            if (!Base64UrlStrict.TryDecode(successor.Reveal().AsSpan(RefreshToken.Prefix.Length), secret, out int written) || written != secret.Length)
            {
                Throw.InvalidOperation(Error.RefreshSuccessorMalformed);
            }

            byte[] sealedValue = new byte[SealedLength];
            sealedValue[0] = FormatVersion;
            Span<byte> nonce = sealedValue.AsSpan(1, NonceSize);
            _tokens.Fill(nonce);
            _algorithm.Encrypt(_key, nonce, aad, secret, sealedValue.AsSpan(1 + NonceSize));
            return sealedValue;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Opens a sealed successor; <see langword="null"/> when it does not open under this key and binding.</summary>
    public RefreshToken? Open(ReadOnlySpan<byte> sealedValue, RefreshTokenHash parentHash, RefreshTokenHash successorHash)
    {
        if (sealedValue.Length != SealedLength || sealedValue[0] != FormatVersion)
        {
            return null;
        }

        byte[] aad = AssociatedData(parentHash, successorHash);
        Span<byte> secret = stackalloc byte[TokenSource.SecretLength];
        try
        {
            if (!_algorithm.Decrypt(_key, sealedValue.Slice(1, NonceSize), aad, sealedValue[(1 + NonceSize)..], secret))
            {
                return null;
            }

            return RefreshToken.FromTrustedValue(string.Concat(RefreshToken.Prefix, Base64UrlStrict.Encode(secret)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public void Dispose() => _key.Dispose();

    // Unambiguous: the context is fixed and both fields are base64url, which never contains a NUL. The
    // parent hash names the family too: a token hash belongs to exactly one family and never moves.
    private static byte[] AssociatedData(RefreshTokenHash parent, RefreshTokenHash successor)
    {
        string parentHash = parent.ToString();
        string successorHash = successor.ToString();
        UTF8Encoding utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        int length = checked(s_context.Length + 2 + utf8.GetByteCount(parentHash) + utf8.GetByteCount(successorHash));
        byte[] aad = new byte[length];
        s_context.CopyTo(aad, 0);
        int offset = s_context.Length;
        foreach (string part in (ReadOnlySpan<string>)[parentHash, successorHash])
        {
            aad[offset++] = 0;
            offset += utf8.GetBytes(part, aad.AsSpan(offset));
        }

        return aad;
    }
}
