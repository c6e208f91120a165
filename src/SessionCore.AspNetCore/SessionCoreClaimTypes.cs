namespace SessionCore.AspNetCore;

/// <summary>
/// The claim types of the principals the SessionCore handlers build. They follow the JWT claim names
/// (RFC 7519, RFC 9068, OpenID Connect Core), so a session cookie and an access token read alike.
/// </summary>
public static class SessionCoreClaimTypes
{
    /// <summary>The user id (<c>sub</c>); also the principal's name claim.</summary>
    public const string Subject = "sub";

    /// <summary>
    /// The session id (<c>sid</c>): the SHA-256 hash of the session token, never the token itself.
    /// </summary>
    /// <remarks>Security: the session id identifies a session in the store and in logs; it cannot be used to authenticate.</remarks>
    public const string SessionId = "sid";

    /// <summary>The session's authentication level, a decimal integer (1 after a first factor, higher after step-up).</summary>
    public const string AuthenticationLevel = "sc_level";

    /// <summary>The authentication context class reference (<c>acr</c>), when the host maps the level to one.</summary>
    public const string AuthenticationContextClass = "acr";

    /// <summary>An authentication method reference (<c>amr</c>, RFC 8176); one claim per method.</summary>
    public const string AuthenticationMethod = "amr";

    /// <summary>The time of the last authentication (<c>auth_time</c>), in seconds since the Unix epoch.</summary>
    public const string AuthenticationTime = "auth_time";

    /// <summary>The OAuth client the access token was issued to (<c>client_id</c>, RFC 9068).</summary>
    public const string ClientId = "client_id";

    /// <summary>The access token's scope (<c>scope</c>), space-separated.</summary>
    public const string Scope = "scope";

    /// <summary>The access token's id (<c>jti</c>).</summary>
    public const string TokenId = "jti";

    /// <summary>
    /// The RFC 7638 thumbprint of the key a DPoP-bound access token is bound to (<c>cnf.jkt</c>, RFC 9449 §6.1); present
    /// only when the request proved possession of that key.
    /// </summary>
    public const string ConfirmationThumbprint = "cnf.jkt";
}
