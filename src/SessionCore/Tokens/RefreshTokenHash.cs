using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Tokens;

/// <summary>
/// The stored form of a <see cref="RefreshToken"/>: the SHA-256 hash of the token, in base64url (43 characters).
/// Stores index refresh families by it; the token itself is never stored.
/// </summary>
/// <remarks>
/// Security: a hash cannot be turned back into a token, so a leaked database gives no usable refresh token.
/// Compare hashes that came from a client with <see cref="FixedTimeEquals"/>.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public readonly struct RefreshTokenHash : IEquatable<RefreshTokenHash>
{
    /// <summary>The exact length of the text form.</summary>
    public const int Length = 43;

    private readonly string? _value;

    private RefreshTokenHash(string value) => _value = value;

    /// <summary>Gets a value indicating whether this is the default (empty) hash.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Compares two hashes.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when both are equal.</returns>
    public static bool operator ==(RefreshTokenHash left, RefreshTokenHash right) => left.Equals(right);

    /// <summary>Compares two hashes.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(RefreshTokenHash left, RefreshTokenHash right) => !left.Equals(right);

    /// <summary>Parses the text form, for example when a store reads a record back.</summary>
    /// <param name="text">43 characters of canonical base64url.</param>
    /// <param name="id">The hash when the text is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid hash.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out RefreshTokenHash id)
    {
        if (text is not null && text.Length == Length && Base64UrlStrict.IsCanonical(text))
        {
            id = new RefreshTokenHash(text);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>Parses the text form of a trusted hash (for example one read from the store).</summary>
    /// <param name="text">43 characters of canonical base64url.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid hash.</exception>
    public static RefreshTokenHash Parse(string text) =>
        TryParse(text, out RefreshTokenHash id) ? id : throw new FormatException("The value is not a refresh token hash.");

    /// <inheritdoc/>
    public bool Equals(RefreshTokenHash other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RefreshTokenHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the base64url text form, the form stores persist.</summary>
    /// <returns>The hash, or an empty string for the default value.</returns>
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Compares two hashes in time that does not depend on where they differ.</summary>
    /// <param name="other">The other hash.</param>
    /// <returns><see langword="true"/> when both are equal and not empty.</returns>
    public bool FixedTimeEquals(RefreshTokenHash other) => _value is not null && OpaqueToken.HashEquals(other._value, _value);

    internal static RefreshTokenHash FromTokenValue(string token) => new(OpaqueToken.Hash(token));
}
