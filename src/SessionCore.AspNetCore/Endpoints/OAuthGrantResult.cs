using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.AspNetCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>The outcome of an <see cref="IOAuthGrantHandler"/>: a signed-in session, or an OAuth error code.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class OAuthGrantResult
{
    private OAuthGrantResult(SessionToken? token, string? error, bool unavailable)
    {
        Token = token;
        Error = error;
        IsUnavailable = unavailable;
    }

    /// <summary>Gets the result for a store that could not answer: <c>503 temporarily_unavailable</c>.</summary>
    public static OAuthGrantResult Unavailable { get; } = new(null, "temporarily_unavailable", unavailable: true);

    /// <summary>Gets a value indicating whether a session was signed in.</summary>
    [MemberNotNullWhen(true, nameof(Token))]
    public bool IsSuccess => Token is not null;

    /// <summary>Gets the new session's token, or <see langword="null"/>.</summary>
    /// <remarks>Security: the endpoint never hands this token to the client; it binds a refresh-token family to it.</remarks>
    public SessionToken? Token { get; }

    /// <summary>Gets the OAuth error code of a refusal, or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>Gets a value indicating whether the refusal is a store failure.</summary>
    public bool IsUnavailable { get; }

    /// <summary>A signed-in session.</summary>
    /// <param name="token">The token from <c>SessionManager.SignInAsync</c>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    public static OAuthGrantResult Granted(SessionToken token) => new(Throw.IfNull(token), null, unavailable: false);

    /// <summary>A refusal with an RFC 6749 §5.2 error code, answered with 400.</summary>
    /// <param name="error">The code; <c>invalid_grant</c> by default.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is empty.</exception>
    public static OAuthGrantResult Refused(string error = "invalid_grant") => new(null, Throw.IfNullOrWhiteSpace(error), unavailable: false);

    /// <summary>Returns the outcome without the token.</summary>
    /// <returns><c>Granted</c> or the error code.</returns>
    public override string ToString() => IsSuccess ? "Granted" : Error!;
}
