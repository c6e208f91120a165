using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;

namespace SessionCore.Stores;

/// <summary>
/// The fixed-size name of a single-use value (a DPoP proof id, a browser-binding challenge) for
/// <see cref="ISessionStore.TryUseOnceAsync"/>: SHA-256 over a purpose, a scope (the issuer or resource
/// server that accepts the value) and the value itself.
/// </summary>
/// <remarks>
/// <para>
/// Security: a store never sees the raw value, so a value chosen by a client cannot inflate records, break
/// key syntax or be read back from the database; purpose and scope are length-prefixed inside the hash, so
/// two different triples can never produce the same key, and a value accepted by one server or for one
/// purpose says nothing about another.
/// </para>
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public readonly struct SingleUseKey : IEquatable<SingleUseKey>
{
    /// <summary>The size of a key, in bytes.</summary>
    public const int Size = 32;

    /// <summary>The length of the text form (<see cref="ToString"/>): 32 bytes in base64url without padding.</summary>
    public const int TextLength = 43;

    /// <summary>The longest purpose or scope accepted, in UTF-8 bytes.</summary>
    public const int MaxLabelLength = 1024;

    private const int StackLimit = 512;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private static ReadOnlySpan<byte> Domain => "SessionCore single-use key v1\0"u8;

    private SingleUseKey(ReadOnlySpan<byte> digest)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(digest);
        _b = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(digest[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(digest[24..]);
    }

    /// <summary>Gets a value indicating whether this is the default value, which names nothing and is refused by every store.</summary>
    public bool IsEmpty => (_a | _b | _c | _d) == 0;

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when both are equal.</returns>
    public static bool operator ==(SingleUseKey left, SingleUseKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(SingleUseKey left, SingleUseKey right) => !left.Equals(right);

    /// <summary>Derives the key of <paramref name="value"/> used for <paramref name="purpose"/> at <paramref name="scope"/>.</summary>
    /// <param name="purpose">What kind of value this is, for example <c>dpop-jti</c>; a constant of the caller.</param>
    /// <param name="scope">Who accepts it, for example the issuer or resource server identifier.</param>
    /// <param name="value">The value (untrusted input is fine: it is only hashed).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> or <paramref name="scope"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is empty, or a label is longer than <see cref="MaxLabelLength"/> UTF-8 bytes or not well-formed UTF-16.</exception>
    public static SingleUseKey Create(string purpose, string scope, ReadOnlySpan<byte> value) => FromPrefix(CreatePrefix(purpose, scope), value);

    /// <summary>Derives the key of a text value (hashed as UTF-8).</summary>
    /// <param name="purpose">What kind of value this is.</param>
    /// <param name="scope">Who accepts it.</param>
    /// <param name="value">The value.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is empty, or a label is too long.</exception>
    public static SingleUseKey Create(string purpose, string scope, string value)
    {
        Throw.IfNull(value);
        return Create(purpose, scope, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Parses the text form written by <see cref="ToString"/>, for example when a store reads a record back.</summary>
    /// <param name="text">43 characters of canonical base64url.</param>
    /// <param name="key">The key when the text is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is the text form of a key.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out SingleUseKey key)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (text.Length == TextLength && Base64UrlStrict.TryDecode(text, bytes, out int written) && written == Size)
        {
            key = new SingleUseKey(bytes);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Creates a key from its 32 bytes, for example when a store reads a binary record back.</summary>
    /// <param name="bytes">Exactly <see cref="Size"/> bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not <see cref="Size"/> bytes long.</exception>
    public static SingleUseKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new SingleUseKey(bytes) : throw new ArgumentException(Error.SingleUseKeySize, nameof(bytes));

    /// <summary>Writes the 32 bytes of the key.</summary>
    /// <param name="destination">Exactly <see cref="Size"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Size"/> bytes long.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length != Size)
        {
            throw new ArgumentException(Error.SingleUseKeySize, nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>Returns the 32 bytes of the key in a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <inheritdoc/>
    public bool Equals(SingleUseKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SingleUseKey other && Equals(other);

    /// <inheritdoc/>
    /// <remarks>The key is already a uniform hash; some of its bytes are the hash code.</remarks>
    public override int GetHashCode() => unchecked((int)_a);

    /// <summary>Returns the base64url text form (43 characters; safe to log, it is a one-way hash).</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Base64UrlStrict.Encode(bytes);
    }

    /// <summary>The hash input before the value, computed once by a caller that derives many keys under one purpose and scope.</summary>
    internal static byte[] CreatePrefix(string purpose, string scope)
    {
        Throw.IfNullOrWhiteSpace(purpose);
        Throw.IfNull(scope);
        int purposeLength = LabelLength(purpose, nameof(purpose));
        int scopeLength = LabelLength(scope, nameof(scope));
        byte[] prefix = new byte[Domain.Length + 8 + purposeLength + scopeLength];
        Domain.CopyTo(prefix);
        int offset = Domain.Length;
        offset += WriteLabel(prefix.AsSpan(offset), purpose, purposeLength);
        WriteLabel(prefix.AsSpan(offset), scope, scopeLength);
        return prefix;
    }

    /// <summary>The key of <paramref name="value"/> under a prefix from <see cref="CreatePrefix"/>; equal to <see cref="Create(string, string, ReadOnlySpan{byte})"/>.</summary>
    internal static SingleUseKey FromPrefix(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> value)
    {
        Span<byte> digest = stackalloc byte[Size];
        int total = checked(prefix.Length + value.Length);
        byte[]? rented = null;
        Span<byte> input = total <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            prefix.CopyTo(input);
            value.CopyTo(input[prefix.Length..]);
            SHA256.HashData(input[..total], digest);
            return new SingleUseKey(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int LabelLength(string label, string paramName)
    {
        int length;
        try
        {
            length = s_strictUtf8.GetByteCount(label);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException(Error.SingleUseLabelInvalid, paramName);
        }

        return length <= MaxLabelLength ? length : throw new ArgumentException(Error.SingleUseLabelInvalid, paramName);
    }

    private static int WriteLabel(Span<byte> destination, string label, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        s_strictUtf8.GetBytes(label, destination[4..]);
        return 4 + length;
    }
}
