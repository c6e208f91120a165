using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Tokens;

/// <summary>
/// The opaque refresh secret an API client holds: <c>scr_</c> followed by 32 bytes from the operating
/// system CSPRNG in base64url without padding (47 characters in all). It belongs to one refresh family
/// and is replaced by a successor every time it is redeemed.
/// </summary>
/// <remarks>
/// Security: the token is a bearer credential. Only its hash (<see cref="Hash"/>) is ever stored;
/// <see cref="ToString"/> is redacted; call <see cref="Reveal"/> only to hand the value to the client.
/// The prefix differs from a session token's, so one can never be accepted as the other.
/// </remarks>
/// <threadsafety>Instances are immutable and safe to share.</threadsafety>
[DebuggerDisplay("RefreshToken [redacted]")]
public sealed class RefreshToken
{
    /// <summary>The type prefix every refresh token starts with.</summary>
    public const string Prefix = "scr_";

    /// <summary>The exact length of a refresh token in characters.</summary>
    public const int Length = 47;

    private readonly string _value;
    private RefreshTokenHash _hash;

    private RefreshToken(string value) => _value = value;

    /// <summary>Gets the SHA-256 hash of the token in base64url (43 characters): the only form a store keeps.</summary>
    public RefreshTokenHash Hash => _hash.IsEmpty ? _hash = RefreshTokenHash.FromTokenValue(_value) : _hash;

    /// <summary>Parses a token presented by a client. Never throws; malformed input yields <see langword="false"/>.</summary>
    /// <param name="text">The presented value, for example from a request body.</param>
    /// <param name="token">The parsed token when the format is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> has the exact refresh token format.</returns>
    /// <remarks>Security: a well-formed token is not a valid one; only the store can say that.</remarks>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out RefreshToken? token)
    {
        if (OpaqueToken.IsWellFormed(text, Prefix))
        {
            token = new RefreshToken(text.ToString());
            return true;
        }

        token = null;
        return false;
    }

    /// <summary>Parses a token presented by a client. Never throws; malformed or null input yields <see langword="false"/>.</summary>
    /// <param name="text">The presented value.</param>
    /// <param name="token">The parsed token when the format is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> has the exact refresh token format.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RefreshToken? token)
    {
        // Keeps the caller's string instead of copying it: this runs on every request.
        token = text is not null && OpaqueToken.IsWellFormed(text, Prefix) ? new RefreshToken(text) : null;
        return token is not null;
    }

    /// <summary>Returns the secret value, to be sent to the client once.</summary>
    /// <returns>The 47-character token.</returns>
    /// <remarks>Security: never log, persist or put the returned value in a URL.</remarks>
    public string Reveal() => _value;

    /// <summary>Returns a redacted placeholder, never the secret.</summary>
    /// <returns>The text <c>[redacted]</c>.</returns>
    public override string ToString() => "[redacted]";

    internal static RefreshToken Mint(TokenSource source) => new(source.NewSecret(Prefix));

    internal static RefreshToken FromTrustedValue(string value) => new(value);
}
