using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Rotation;

/// <summary>The typed outcome of <see cref="RefreshTokenService"/> issue and redeem operations.</summary>
/// <remarks>
/// On success <see cref="Session"/> is the session the family is bound to, so the caller can mint a
/// short-lived access token for it alongside the new refresh token.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class RefreshTokenResult
{
    private static readonly RefreshTokenResult[] s_failures =
        [.. Enum.GetValues<RefreshTokenStatus>().Select(s => new RefreshTokenResult(s, null, null, default, null, null))];

    private RefreshTokenResult(RefreshTokenStatus status, RefreshToken? token, Session? session, RefreshFamilyId familyId, string? accessToken, string? keyThumbprint)
    {
        AccessToken = accessToken;
        KeyThumbprint = keyThumbprint;
        Status = status;
        Token = token;
        Session = session;
        FamilyId = familyId;
    }

    /// <summary>Gets the outcome.</summary>
    public RefreshTokenStatus Status { get; }

    /// <summary>Gets a value indicating whether a refresh token was handed out.</summary>
    [MemberNotNullWhen(true, nameof(Token), nameof(Session))]
    public bool IsSuccess => Token is not null;

    /// <summary>Gets the refresh token to send to the client; <see langword="null"/> on failure.</summary>
    public RefreshToken? Token { get; }

    /// <summary>Gets the session the token's family is bound to; <see langword="null"/> on failure.</summary>
    public Session? Session { get; }

    /// <summary>
    /// Gets a fresh compact JWT access token for <see cref="Session"/>, when the service was given an
    /// access-token issuer; otherwise, and on failure, <see langword="null"/>.
    /// </summary>
    /// <remarks>Security: a bearer credential like the refresh token; never log it or put it in a URL.</remarks>
    public string? AccessToken { get; }

    /// <summary>
    /// Gets the RFC 7638 thumbprint of the key the token's family is bound to (RFC 9449), which is also the
    /// <c>cnf.jkt</c> of <see cref="AccessToken"/>; <see langword="null"/> for an unbound family and on failure.
    /// </summary>
    public string? KeyThumbprint { get; }

    /// <summary>Gets the identifier of the token's family (not secret); empty on failure.</summary>
    public RefreshFamilyId FamilyId { get; }

    /// <summary>Gets the refresh token.</summary>
    /// <exception cref="InvalidOperationException">The operation failed.</exception>
    public RefreshToken Value => Token ?? Throw.InvalidOperation<RefreshToken>(Error.FailedResultHasNoValue);

    /// <summary>Gets the refresh token when the operation succeeded.</summary>
    /// <param name="token">The token, on success.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out RefreshToken? token)
    {
        token = Token;
        return token is not null;
    }

    /// <summary>Returns the status only, never the token.</summary>
    /// <returns>The name of <see cref="Status"/>.</returns>
    public override string ToString() => Status.ToString();

    internal static RefreshTokenResult Success(RefreshTokenStatus status, RefreshToken token, Session session, RefreshFamilyId familyId, string? accessToken = null, string? keyThumbprint = null) =>
        new(status, token, session, familyId, accessToken, keyThumbprint);

    internal static RefreshTokenResult Failure(RefreshTokenStatus status) => s_failures[(int)status];
}
