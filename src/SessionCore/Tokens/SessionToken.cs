using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Tokens;

/// <summary>
/// The secret a client holds for a server-side session: <c>sc_</c> followed by 32 bytes from the
/// operating system CSPRNG in base64url without padding (46 characters in all).
/// </summary>
/// <remarks>
/// <para>
/// Security: the token is a bearer credential. Only its hash (<see cref="Id"/>) is ever stored or
/// logged; <see cref="ToString"/> is redacted; call <see cref="Reveal"/> only to hand the value to the
/// client (a cookie or a response body). Tokens are never read from URLs.
/// </para>
/// </remarks>
/// <threadsafety>Instances are immutable and safe to share.</threadsafety>
[DebuggerDisplay("SessionToken [redacted]")]
public sealed class SessionToken
{
    /// <summary>The type prefix every session token starts with.</summary>
    public const string Prefix = "sc_";

    /// <summary>The exact length of a session token in characters.</summary>
    public const int Length = 46;

    private readonly string _value;
    private SessionId? _id;

    private SessionToken(string value) => _value = value;

    /// <summary>Gets the identifier of the session this token opens: the SHA-256 hash of the token.</summary>
    public SessionId Id => _id ??= SessionId.FromTokenValue(_value);

    /// <summary>Parses a token presented by a client. Never throws; malformed input yields <see langword="false"/>.</summary>
    /// <param name="text">The presented value, for example from a cookie.</param>
    /// <param name="token">The parsed token when the format is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> has the exact session token format.</returns>
    /// <remarks>Security: a well-formed token is not a valid session; only the store can say that.</remarks>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out SessionToken? token)
    {
        if (OpaqueToken.IsWellFormed(text, Prefix))
        {
            token = new SessionToken(text.ToString());
            return true;
        }

        token = null;
        return false;
    }

    /// <summary>Parses a token presented by a client. Never throws; malformed or null input yields <see langword="false"/>.</summary>
    /// <param name="text">The presented value, for example from a cookie.</param>
    /// <param name="token">The parsed token when the format is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> has the exact session token format.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SessionToken? token)
    {
        // Keeps the caller's string instead of copying it: this runs on every request.
        token = text is not null && OpaqueToken.IsWellFormed(text, Prefix) ? new SessionToken(text) : null;
        return token is not null;
    }

    /// <summary>Returns the secret value, to be sent to the client once.</summary>
    /// <returns>The 46-character token.</returns>
    /// <remarks>Security: never log, persist or put the returned value in a URL.</remarks>
    public string Reveal() => _value;

    /// <summary>Returns a redacted placeholder, never the secret.</summary>
    /// <returns>The text <c>[redacted]</c>.</returns>
    public override string ToString() => "[redacted]";

    internal static SessionToken Mint(TokenSource source) => new(source.NewSecret(Prefix));
}
