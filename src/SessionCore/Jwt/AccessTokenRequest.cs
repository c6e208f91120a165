using System;
using System.Collections.Generic;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>What goes into one access token besides what the issuer writes itself (iss, exp, iat, nbf, jti, and by default client_id).</summary>
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
    /// Gets the <c>client_id</c> (RFC 9068 §2.2): the OAuth client the token was issued to, for example the one a
    /// token request named; <see langword="null"/> for <see cref="AccessTokenOptions.DefaultClientId"/>.
    /// </summary>
    /// <remarks>1 to 256 printable ASCII characters (RFC 6749 A.1); anything else is refused with <see cref="ArgumentException"/>.</remarks>
    public string? ClientId { get; init; }

    /// <summary>Gets the <c>scope</c> (RFC 9068 §2.2.3): space-separated scope tokens, or <see langword="null"/> for none.</summary>
    /// <remarks>RFC 6749 §3.3 syntax, at most 2048 characters; anything else is refused with <see cref="ArgumentException"/>.</remarks>
    public string? Scope { get; init; }

    /// <summary>Gets the <c>auth_time</c> (RFC 9068 §2.2.1): when the user last authenticated, or <see langword="null"/> to leave it out.</summary>
    public DateTimeOffset? AuthenticationTime { get; init; }

    /// <summary>
    /// Gets the authentication level the <c>acr</c> and, by default, the <c>amr</c> claims are mapped from
    /// (<see cref="AccessTokenOptions.AuthenticationContextClassByLevel"/>, <see cref="AccessTokenOptions.AuthenticationMethodsByLevel"/>),
    /// or <see langword="null"/> for neither.
    /// </summary>
    public int? AuthenticationLevel { get; init; }

    /// <summary>
    /// Gets the <c>amr</c> values (RFC 8176, for example <c>pwd</c>, <c>otp</c>, <c>hwk</c>): how the user
    /// authenticated; <see langword="null"/> for the mapping of <see cref="AuthenticationLevel"/>, if any.
    /// </summary>
    /// <remarks>1 to 16 values of 1 to 256 printable ASCII characters; anything else is refused with <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyList<string>? AuthenticationMethods { get; init; }

    /// <summary>
    /// Gets additional claims, or <see langword="null"/>. Values may be <see cref="string"/>, <see cref="bool"/>,
    /// <see cref="int"/>, <see cref="long"/>, a finite <see cref="double"/>, a sequence of strings, or a
    /// <see cref="System.Text.Json.JsonElement"/>.
    /// </summary>
    /// <remarks>Security: payloads are readable by anyone holding the token. Reserved names and names that suggest secrets are refused with <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyDictionary<string, object>? Claims { get; init; }

    /// <summary>
    /// Gets the RFC 7638 SHA-256 thumbprint of the key the token is bound to, written as <c>cnf: {"jkt": …}</c>
    /// (RFC 9449 §6.1), or <see langword="null"/> for a bearer token.
    /// </summary>
    /// <remarks>
    /// Security: set it only from a DPoP proof the token request carried and that validated
    /// (<see cref="Dpop.DpopProof.KeyThumbprint"/>), or from a refresh family bound to that key. A bound token is
    /// accepted only with a fresh proof by that key (<see cref="Dpop.ResourceAccessValidator"/>); presented as a bearer
    /// token it is refused. 43 base64url characters (a SHA-256 digest); anything else is refused with <see cref="ArgumentException"/>.
    /// </remarks>
    public string? ConfirmationThumbprint { get; init; }

    /// <summary>
    /// Creates a request for a session: subject, session id, security epoch, authentication time, authentication
    /// level and authentication methods (<c>amr</c>, when the session recorded any; otherwise the level's mapping
    /// applies) are taken from it.
    /// </summary>
    /// <param name="session">A live session, typically from <see cref="SessionManager.ValidateAsync(string?, System.Threading.CancellationToken)"/>.</param>
    /// <param name="clientId">The client the token is for, or <see langword="null"/> for <see cref="AccessTokenOptions.DefaultClientId"/>.</param>
    /// <param name="scope">The token's scope, or <see langword="null"/> for none.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public static AccessTokenRequest ForSession(Session session, string? clientId = null, string? scope = null) =>
        ForSession(session, clientId, scope, confirmationThumbprint: null);

    /// <summary>
    /// Creates a request for a session, like <see cref="ForSession(Session, string?, string?)"/>, bound to a key when
    /// <paramref name="confirmationThumbprint"/> is set (<see cref="ConfirmationThumbprint"/>).
    /// </summary>
    /// <param name="session">A live session.</param>
    /// <param name="clientId">The client the token is for, or <see langword="null"/> for <see cref="AccessTokenOptions.DefaultClientId"/>.</param>
    /// <param name="scope">The token's scope, or <see langword="null"/> for none.</param>
    /// <param name="confirmationThumbprint">The thumbprint of the key of a DPoP proof the token request carried and that validated, or <see langword="null"/> for a bearer token.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    /// <remarks>Security: pass only <see cref="Dpop.DpopProof.KeyThumbprint"/> of a proof validated for this token request.</remarks>
    public static AccessTokenRequest ForSession(Session session, string? clientId, string? scope, string? confirmationThumbprint)
    {
        Throw.IfNull(session);
        return new AccessTokenRequest
        {
            Subject = session.UserId,
            SessionId = session.Id,
            SecurityEpoch = session.SecurityEpoch,
            AuthenticationTime = session.AuthenticatedAt,
            AuthenticationLevel = session.AuthenticationLevel,
            AuthenticationMethods = session.AuthenticationMethods.Count > 0 ? session.AuthenticationMethods : null,
            ClientId = clientId,
            Scope = scope,
            ConfirmationThumbprint = confirmationThumbprint,
        };
    }
}
