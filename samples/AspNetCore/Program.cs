using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionCore.DependencyInjection;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Stores.LiteDb;

namespace SessionCore.Samples.AspNetCore;

/// <summary>
/// A minimal API on SessionCore: <c>dotnet run --project samples/AspNetCore -- --urls http://127.0.0.1:5080</c>.
/// Options: <c>--urls</c> (default http://127.0.0.1:5080), <c>--data DIR</c> (the LiteDB folder, default
/// ./.data/aspnetcore) and <c>--origin URL</c> (the origin the pages are served from; default the first URL).
/// </summary>
internal static class Program
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static void Main(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        string urls = builder.Configuration["urls"] ?? DefaultUrl;
        builder.WebHost.UseUrls(urls);
        string origin = builder.Configuration["origin"] ?? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        string data = builder.Configuration["data"] ?? Path.Combine(".data", "aspnetcore");
        Directory.CreateDirectory(data);

        // ASP.NET Core's request logging writes every URL in full at Information, so a token a client put in a
        // query string would land in the log before SessionMiddleware refuses the request. Its framework
        // categories log from Warning up; "Microsoft.Hosting.Lifetime" (the listening address) is not among them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // One ES256 key per process run, for the demo; a real deployment loads its keys (see 'sessioncore keys new')
        // and rotates them with SigningKeyRing.Rotate while publishing the JWKS.
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        builder.Services.AddSessionCore(o => o.MaxSessionsPerUser = 10)
            .AddLiteDbStore(o => o.FilePath = Path.Combine(data, "sessions.db"))
            .AddAccessTokens(new SigningKeyRing(key), o =>
            {
                o.Issuer = origin;
                o.Audience = origin + "/api";
                o.DefaultClientId = "aspnetcore-sample";
            })
            .AddRefreshTokens();

        // The CSRF key lives as long as the process: a restart only asks pages to fetch a new token (GET /me).
        builder.Services.AddSingleton(_ => CsrfTokenService.CreateWithRandomKey());
        builder.Services.AddSingleton(new RequestOriginPolicy(origin));
        builder.Services.AddSingleton<CookieSettings>();

        WebApplication app = builder.Build();
        app.UseMiddleware<SessionMiddleware>();
        Endpoints.Map(app);
        TokenEndpoints.Map(app);
        app.Run();
    }
}
