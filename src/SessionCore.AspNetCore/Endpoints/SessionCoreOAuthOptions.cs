using System.Collections.Generic;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>Options of the OAuth endpoints mapped by <c>MapSessionCoreOAuth</c>; validated when they are mapped.</summary>
public sealed class SessionCoreOAuthOptions
{
    /// <summary>Gets or sets the issuer: the https origin (loopback http for development) the endpoints are served from, the base of every published URL.</summary>
    /// <value>Required; no default.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the token endpoint's path.</summary>
    /// <value><c>/oauth/token</c>.</value>
    public string TokenPath { get; set; } = "/oauth/token";

    /// <summary>Gets or sets the revocation endpoint's path (RFC 7009).</summary>
    /// <value><c>/oauth/revoke</c>.</value>
    public string RevocationPath { get; set; } = "/oauth/revoke";

    /// <summary>Gets or sets the JWKS path.</summary>
    /// <value><c>/.well-known/jwks.json</c>.</value>
    public string JwksPath { get; set; } = "/.well-known/jwks.json";

    /// <summary>Gets or sets the authorization-server metadata path (RFC 8414 §3).</summary>
    /// <value><c>/.well-known/oauth-authorization-server</c>.</value>
    public string MetadataPath { get; set; } = "/.well-known/oauth-authorization-server";

    /// <summary>Gets the grants besides <c>refresh_token</c>, for example a password-less exchange.</summary>
    /// <value>Empty: only the refresh grant.</value>
    public IList<IOAuthGrantHandler> Grants { get; } = [];
}
