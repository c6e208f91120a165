using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Diagnostics;
using SessionCore.Keys;
using SessionCore.Samples.AspNetCore;

// A minimal API on SessionCore.AspNetCore: dotnet run --project samples/AspNetCore -- --urls http://127.0.0.1:5080
// Options: --urls, --data DIR (the LiteDB folder, default ./.data/aspnetcore), --origin URL (default the first URL).
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
string urls = builder.Configuration["urls"] ?? "http://127.0.0.1:5080";
builder.WebHost.UseUrls(urls);
string origin = builder.Configuration["origin"] ?? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
string data = builder.Configuration["data"] ?? Path.Combine(".data", "aspnetcore");
Directory.CreateDirectory(data);

// ASP.NET Core's request logging writes every URL in full at Information: keep it at Warning, so a token a client
// put in a URL never reaches the log before the guard refuses the request.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

// One ES256 key per process run, for the demo; a real deployment loads its keys ('sessioncore keys new') and rotates them.
using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
builder.Services.AddSessionCore(o => o.MaxSessionsPerUser = 10)
    .AddLiteDbStore(o => o.FilePath = Path.Combine(data, "sessions.db"))
    .AddAccessTokens(new SigningKeyRing(key), o => (o.Issuer, o.Audience, o.DefaultClientId) = (origin, origin + "/api", "aspnetcore-sample"))
    .AddDpop(o => (o.ReplayScope, o.RequireNonce) = (origin, true))   // RFC 9449 proofs, single-use, with server nonces
    .AddRefreshTokens()
    .AddCsrfProtection(o => o.ExpectedOrigin = origin)
    .AddDbsc();   // sign-in offers DBSC; a bound session then needs its short-lived bound cookie (one key per process: one node)
builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme)
    .AddSessionCookie()
    .AddSessionCoreBearer(o => (o.AcceptDpop, o.PublicOrigin) = (true, origin));   // Bearer and DPoP-bound tokens
// Metrics and traces of the "SessionCore" meter and activity source (docs/diagnostics.md); add an exporter (OTLP, say).
builder.Services.AddOpenTelemetry()
    .WithMetrics(m => m.AddMeter(SessionCoreTelemetry.Name))
    .WithTracing(t => t.AddSource(SessionCoreTelemetry.Name));
builder.Services.AddAuthorization(o => o.AddPolicy(Endpoints.ApiPolicy, p => p.AddAuthenticationSchemes(SessionCoreBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser()));

WebApplication app = builder.Build();
app.UseSessionCoreUrlTokenGuard();   // 400 for any token in a URL
app.UseFileServer();                 // wwwroot: index.html, a sign-in page on the JSON endpoints below
app.UseAuthentication();
app.UseAuthorization();
app.UseSessionCoreCsrf();            // unsafe requests riding on the session cookie need X-CSRF-Token and a same-origin request

Endpoints.Map(app, origin);                  // /login, /me, /elevate, /logout, /token, /api/profile
app.MapSessionCoreOAuth(o => o.Issuer = origin);   // /oauth/token (refresh grant), /oauth/revoke, JWKS, RFC 8414 metadata
app.MapSessionCoreSessions();                // /sessions: list, revoke one, revoke the others
app.MapSessionCoreDbsc();                    // /dbsc/register, /dbsc/refresh: device-bound session credentials
app.Run();
