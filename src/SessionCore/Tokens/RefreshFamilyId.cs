using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Tokens;

/// <summary>
/// The identifier of a refresh-token family: 16 random bytes in base64url (22 characters). It is not a secret
/// (it opens nothing) but it is unguessable, so it can name a family in events and operator tools.
/// </summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public readonly struct RefreshFamilyId : IEquatable<RefreshFamilyId>
{
    /// <summary>The exact length of the text form.</summary>
    public const int Length = 22;

    private readonly string? _value;

    private RefreshFamilyId(string value) => _value = value;

    /// <summary>Gets a value indicating whether this is the default (empty) identifier.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Compares two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when both are equal.</returns>
    public static bool operator ==(RefreshFamilyId left, RefreshFamilyId right) => left.Equals(right);

    /// <summary>Compares two identifiers.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(RefreshFamilyId left, RefreshFamilyId right) => !left.Equals(right);

    /// <summary>Parses the text form, for example when a store reads a record back.</summary>
    /// <param name="text">22 characters of canonical base64url.</param>
    /// <param name="id">The identifier when the text is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid identifier.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out RefreshFamilyId id)
    {
        if (text is not null && text.Length == Length && Base64UrlStrict.IsCanonical(text))
        {
            id = new RefreshFamilyId(text);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>Parses the text form of a trusted identifier (for example one read from the store).</summary>
    /// <param name="text">22 characters of canonical base64url.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid identifier.</exception>
    public static RefreshFamilyId Parse(string text) =>
        TryParse(text, out RefreshFamilyId id) ? id : throw new FormatException("The value is not a refresh family identifier.");

    /// <inheritdoc/>
    public bool Equals(RefreshFamilyId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RefreshFamilyId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the base64url text form (safe to log).</summary>
    /// <returns>The identifier, or an empty string for the default value.</returns>
    public override string ToString() => _value ?? string.Empty;

    internal static RefreshFamilyId New(TokenSource source) => new(source.NewIdentifier());
}
