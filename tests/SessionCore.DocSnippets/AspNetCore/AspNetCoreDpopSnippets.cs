using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Keys;

namespace SessionCore.DocSnippets;

/// <summary>DPoP-bound access tokens in ASP.NET Core, as docs/guides/aspnetcore.md shows them.</summary>
public static class AspNetCoreDpopSnippets
{
    /// <summary>Builds an API and token endpoint that accept DPoP (not started).</summary>
    public static WebApplication Build(string[] args, string databaseFile, SigningKeyRing keys)
    {
        var builder = WebApplication.CreateBuilder(args);
        #region snippet_AspNetCoreDpop
        const string Origin = "https://api.example";   // what clients use: the base of every proof's htu
        builder.Services.AddSessionCore()
            .AddLiteDbStore(o => o.FilePath = databaseFile)
            .AddAccessTokens(keys, o => (o.Issuer, o.Audience, o.DefaultClientId) = (Origin, Origin + "/api", "web"))
            .AddRefreshTokens()
            .AddDpop(o => (o.ReplayScope, o.RequireNonce) = (Origin, true));   // single-use proofs, server nonces
        builder.Services.AddAuthentication(SessionCoreBearerDefaults.AuthenticationScheme)
            .AddSessionCoreBearer(o => (o.AcceptDpop, o.PublicOrigin) = (true, Origin));   // DPoP, and Bearer unless RequireBoundTokens

        var app = builder.Build();
        app.MapSessionCoreOAuth(o => o.Issuer = Origin);   // a token request with a proof binds the grant to its key
        app.MapGet("/api/orders", (HttpContext http) => http.User.FindFirst(SessionCoreClaimTypes.ConfirmationThumbprint)?.Value ?? "bearer")
            .RequireAuthorization();
        #endregion
        return app;
    }
}
