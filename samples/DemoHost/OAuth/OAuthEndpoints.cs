using System;
using System.Threading.Tasks;
using SessionCore.Samples.DemoHost.Hosting;

namespace SessionCore.Samples.DemoHost.OAuth;

/// <summary>
/// API tokens in OAuth 2.0 shapes for public clients: the token endpoint (RFC 6749 §4.3 password and §6 refresh
/// grants, answers per §5.1 and §5.2), revocation (RFC 7009), a bearer-protected resource (RFC 6750), the JWKS and
/// the authorization-server metadata (RFC 8414) that lets a standard client find all of them from the issuer.
/// </summary>
/// <remarks>
/// Each grant is a server-side session whose data bag records the client and scope it was issued to
/// (<see cref="OAuthGrant"/>); every access token names both (RFC 9068 <c>client_id</c>, <c>scope</c>).
/// </remarks>
internal sealed partial class OAuthEndpoints
{
    private readonly DemoServices _services;

    public OAuthEndpoints(DemoServices services) => _services = services;

    public void Map(Router router) =>
        router.Post("/oauth/token", TokenAsync)
            .Post("/oauth/revoke", RevokeAsync)
            .Get("/api/me", MeAsync)
            .Get("/.well-known/jwks.json", JwksAsync)
            .Get("/.well-known/oauth-authorization-server", MetadataAsync);

    private static Task OAuthErrorAsync(RequestContext context, string error, int status = 400) =>
        context.WriteJsonAsync(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteEndObject();
        });

    /// <summary>Public documents (keys, metadata): cacheable and readable from any origin, like any published JWKS.</summary>
    private static Task WritePublicJsonAsync(RequestContext context, string json)
    {
        context.SetHeader("Cache-Control", "public, max-age=300");
        context.RemoveHeader("Pragma");
        context.SetHeader("Access-Control-Allow-Origin", "*");
        context.SetHeader("Cross-Origin-Resource-Policy", "cross-origin");
        return context.WriteTextAsync(200, "application/json; charset=utf-8", json);
    }

    private Task JwksAsync(RequestContext context) => WritePublicJsonAsync(context, _services.KeyRing.ExportJwks());

    private Task MetadataAsync(RequestContext context) => WritePublicJsonAsync(context, _services.Metadata.ToJson());
}
