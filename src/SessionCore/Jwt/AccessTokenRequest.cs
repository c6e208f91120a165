using System;
using System.Collections.Generic;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>What goes into one access token besides what the issuer writes itself (iss, exp, iat, nbf, jti).</summary>
/// <threadsafety>Not thread-safe while it is being filled; the issuer only reads it.</threadsafety>
public sealed class AccessTokenRequest
{
    /// <summary>Gets the <c>sub</c> claim: the user id.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the session the token belongs to (<c>sid</c>), or the default value for a token without a session (it then cannot pass online validation).</summary>
    public SessionId SessionId { get; init; }

    /// <summary>Gets the user's security epoch (<c>sc_epoch</c>); written together with <see cref="SessionId"/>.</summary>
    public long SecurityEpoch { get; init; }

    /// <summary>Gets the <c>aud</c> value, or <see langword="null"/> for <see cref="AccessTokenOptions.Audience"/>.</summary>
    public string? Audience { get; init; }

    /// <summary>Gets the lifetime, or <see langword="null"/> for <see cref="AccessTokenOptions.Lifetime"/>; between 5 and 60 minutes.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>
    /// Gets additional claims, or <see langword="null"/>. Values may be <see cref="string"/>, <see cref="bool"/>,
    /// <see cref="int"/>, <see cref="long"/>, a finite <see cref="double"/>, a sequence of strings, or a
    /// <see cref="System.Text.Json.JsonElement"/>.
    /// </summary>
    /// <remarks>Security: payloads are readable by anyone holding the token. Reserved names and names that suggest secrets are refused with <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyDictionary<string, object>? Claims { get; init; }

    /// <summary>Creates a request for a session: subject, session id and security epoch are taken from it.</summary>
    /// <param name="session">A live session, typically from <see cref="SessionManager.ValidateAsync(string?, System.Threading.CancellationToken)"/>.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public static AccessTokenRequest ForSession(Session session)
    {
        Throw.IfNull(session);
        return new AccessTokenRequest { Subject = session.UserId, SessionId = session.Id, SecurityEpoch = session.SecurityEpoch };
    }
}
