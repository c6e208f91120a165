using System;
using System.Buffers.Text;

namespace SessionCore.Internal;

/// <summary>
/// Strict base64url (RFC 4648 §5) without padding. Unlike the lenient BCL decoder it refuses white
/// space, padding and non-canonical encodings (unused trailing bits set), so every byte string has
/// exactly one accepted text form and a token cannot be varied without changing its meaning.
/// </summary>
internal static class Base64UrlStrict
{
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Length of the decoded data, or -1 when <paramref name="encodedLength"/> cannot be a canonical unpadded length.</summary>
    public static int GetDecodedLength(int encodedLength)
    {
        if (encodedLength < 0 || encodedLength % 4 == 1)
        {
            return -1;
        }

        return (encodedLength / 4 * 3) + (encodedLength % 4 == 0 ? 0 : (encodedLength % 4) - 1);
    }

    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        if (GetDecodedLength(text.Length) < 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (Value(c) < 0)
            {
                return false;
            }
        }

        // The last character of a 2- or 3-character tail carries unused low bits that must be zero.
        int tail = text.Length % 4;
        if (tail != 0)
        {
            int last = Value(text[^1]);
            int unusedBitsMask = tail == 2 ? 0b1111 : 0b11;
            if ((last & unusedBitsMask) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes canonical unpadded base64url into <paramref name="destination"/>; false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetDecodedLength(text.Length);
        if (length < 0 || length > destination.Length || !IsCanonical(text))
        {
            return false;
        }

        if (Base64Url.TryDecodeFromChars(text, destination, out written) && written == length)
        {
            return true;
        }

        written = 0;
        return false;
    }

    /// <summary>Decodes canonical unpadded base64url into a new array; null for anything else.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        int length = GetDecodedLength(text.Length);
        if (length < 0)
        {
            return null;
        }

        byte[] buffer = new byte[length];
        return TryDecode(text, buffer, out _) ? buffer : null;
    }

    /// <summary>Length of the unpadded encoding of <paramref name="dataLength"/> bytes.</summary>
    public static int GetEncodedLength(int dataLength) => checked(((dataLength * 4) + 2) / 3);

    /// <summary>Encodes <paramref name="data"/> as unpadded base64url UTF-8 into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int EncodeToUtf8(ReadOnlySpan<byte> data, Span<byte> destination) => Base64Url.EncodeToUtf8(data, destination);

    /// <summary>The UTF-8 twin of <see cref="IsCanonical(ReadOnlySpan{char})"/>, for tokens kept as bytes.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8)
    {
        if (GetDecodedLength(utf8.Length) < 0)
        {
            return false;
        }

        foreach (byte b in utf8)
        {
            if (Value((char)b) < 0)
            {
                return false;
            }
        }

        int tail = utf8.Length % 4;
        if (tail != 0)
        {
            int last = Value((char)utf8[^1]);
            int unusedBitsMask = tail == 2 ? 0b1111 : 0b11;
            if ((last & unusedBitsMask) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes canonical unpadded base64url UTF-8 into <paramref name="destination"/>; false for anything else.</summary>
    /// <remarks>
    /// Uses the vectorised BCL decoder, which refuses characters outside the alphabet but skips white space
    /// and accepts padding; either makes it write fewer bytes than the input length implies, so requiring
    /// the exact length, plus zero unused bits in the last character, leaves only the canonical form.
    /// </remarks>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetDecodedLength(utf8.Length);
        if (length < 0 || length > destination.Length)
        {
            return false;
        }

        if (Base64Url.DecodeFromUtf8(utf8, destination, out _, out int decoded, isFinalBlock: true) != System.Buffers.OperationStatus.Done || decoded != length)
        {
            return false;
        }

        int tail = utf8.Length % 4;
        if (tail != 0 && (Value((char)utf8[^1]) & (tail == 2 ? 0b1111 : 0b11)) != 0)
        {
            return false;
        }

        written = length;
        return true;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
