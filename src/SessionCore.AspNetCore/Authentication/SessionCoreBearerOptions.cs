using Microsoft.AspNetCore.Authentication;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>Options of the access-token (RFC 6750 Bearer) authentication handler.</summary>
/// <remarks>
/// The tokens are validated by the registered <see cref="Jwt.AccessTokenValidator"/>; its options (issuer,
/// audience, offline or online mode, required client and scopes) are set by <c>AddAccessTokens</c>.
/// </remarks>
public sealed class SessionCoreBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the <c>realm</c> of the <c>WWW-Authenticate</c> challenge, or <see langword="null"/> for none.</summary>
    /// <value><see langword="null"/> by default.</value>
    public string? Realm { get; set; }
}
