using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Endpoints;
using SessionCore.DependencyInjection;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// An ASP.NET Core application on the package, served in memory by TestServer: the in-memory store behind a
/// failure switch, a fake clock, both schemes, the CSRF middleware (optional), the OAuth and sessions endpoints and
/// a few endpoints of its own.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string Origin = "https://app.example";
    public const string SessionCookie = "__Host-session";
    public const string Issuer = "https://app.example";

    private readonly WebApplication _app;

    private TestApp(WebApplication app, DelegatingStore store, FakeTimeProvider time, SigningKeyRing keys)
    {
        _app = app;
        Store = store;
        Time = time;
        Keys = keys;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public DelegatingStore Store { get; }

    public FakeTimeProvider Time { get; }

    public SigningKeyRing Keys { get; }

    public IServiceProvider Services => _app.Services;

    public SessionManager Sessions => _app.Services.GetRequiredService<SessionManager>();

    public static async Task<TestApp> StartAsync(
        bool csrfMiddleware = true,
        SigningKey? key = null,
        Action<IServiceCollection>? services = null,
        bool oauth = true,
        bool urlGuard = false,
        Action<Dpop.DpopOptions>? dpop = null,
        Action<SessionCoreBearerOptions>? bearer = null,
        Action<WebApplication>? pipeline = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        DelegatingStore store = new(new InMemorySessionStore());
        SigningKeyRing keys = new(key ?? SigningKey.Generate(SigningAlgorithm.Es256));
        builder.Services.AddSingleton<TimeProvider>(time);
        SessionCoreBuilder core = builder.Services.AddSessionCore(o => o.IdleTimeout = TimeSpan.FromMinutes(30))
            .AddAccessTokens(keys, o =>
            {
                o.Issuer = Issuer;
                o.Audience = Issuer + "/api";
                o.DefaultClientId = "test-client";
            })
            .AddRefreshTokens()
            .AddCsrfProtection(o => o.ExpectedOrigin = Origin);
        if (dpop is not null)
        {
            // DPoP on: the access-token scheme accepts DPoP, the token endpoint binds; the test shapes the rest.
            core.AddDpop(o =>
            {
                o.ReplayScope = Origin;
                dpop(o);
            });
        }

        builder.Services.AddSingleton<ISessionStore>(store);
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme)
            .AddSessionCookie()
            .AddSessionCoreBearer(o =>
            {
                o.AcceptDpop = dpop is not null;
                bearer?.Invoke(o);
            });
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("fresh", p => p.AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme).RequireFreshSession(TimeSpan.FromMinutes(5)));
            o.AddPolicy("level2", p => p.AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme).RequireAuthenticationLevel(2));
        });
        services?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        pipeline?.Invoke(app);
        if (urlGuard)
        {
            app.UseSessionCoreUrlTokenGuard();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        if (csrfMiddleware)
        {
            app.UseSessionCoreCsrf();
        }

        MapEndpoints(app, oauth);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app, store, time, keys);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    private static void MapEndpoints(WebApplication app, bool oauth)
    {
        app.MapPost("/login", async (HttpContext context) =>
        {
            IFormCollection form = await context.Request.ReadFormAsync();
            SignInResult result = await context.SignInSessionAsync(form["user"].ToString(), authenticationMethods: ["pwd"]);
            return result.IsSuccess ? Results.Text(context.GetCsrfToken()) : Results.StatusCode(StatusCodes.Status409Conflict);
        }).RequireSameOrigin();

        app.MapGet("/me", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst(SessionCoreClaimTypes.Subject)?.Value,
            sid = context.User.FindFirst(SessionCoreClaimTypes.SessionId)?.Value,
            level = context.User.FindFirst(SessionCoreClaimTypes.AuthenticationLevel)?.Value,
            authTime = context.User.FindFirst(SessionCoreClaimTypes.AuthenticationTime)?.Value,
            amr = context.User.FindAll(SessionCoreClaimTypes.AuthenticationMethod).Select(c => c.Value).ToArray(),
            csrf = context.GetCsrfToken(),
        })).RequireAuthorization();

        app.MapPost("/elevate", async (HttpContext context) =>
        {
            SessionRegenerationResult result = await context.RegenerateSessionAsync(new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
            return result.IsSuccess ? Results.Text(context.GetCsrfToken()) : Results.StatusCode(StatusCodes.Status401Unauthorized);
        }).RequireAuthorization();

        app.MapPost("/logout", async (HttpContext context) =>
        {
            SessionOperationStatus status = await context.SignOutSessionAsync();
            return status == SessionOperationStatus.StoreUnavailable ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.NoContent();
        }).RequireAuthorization();

        app.MapPost("/filtered", () => Results.Text("changed")).RequireCsrfToken();
        app.MapPost("/open", () => Results.Text("changed"));
        app.MapGet("/fresh", () => Results.Text("fresh")).RequireAuthorization("fresh");
        app.MapGet("/level2", () => Results.Text("level2")).RequireAuthorization("level2");

        app.MapGet("/api/me", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst(SessionCoreClaimTypes.Subject)?.Value,
            sid = context.User.FindFirst(SessionCoreClaimTypes.SessionId)?.Value,
            clientId = context.User.FindFirst(SessionCoreClaimTypes.ClientId)?.Value,
            jkt = context.User.FindFirst(SessionCoreClaimTypes.ConfirmationThumbprint)?.Value,
        })).RequireAuthorization(p => p.AddAuthenticationSchemes(SessionCoreBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());

        app.MapPost("/api/orders", () => Results.Text("ordered"))
            .RequireAuthorization(p => p.AddAuthenticationSchemes(SessionCoreBearerDefaults.AuthenticationScheme).RequireClaim(SessionCoreClaimTypes.Scope, "orders"));

        if (oauth)
        {
            app.MapSessionCoreOAuth(o =>
            {
                o.Issuer = Issuer;
                o.Grants.Add(new TestGrant());
            });
        }
        app.MapSessionCoreSessions();
    }

    /// <summary>An extension grant for the tests: signs in the user named in the form (no credential at all).</summary>
    internal sealed class TestGrant : IOAuthGrantHandler
    {
        public const string Type = "urn:sessioncore:test:user";

        public string GrantType => Type;

        public async ValueTask<OAuthGrantResult> ExchangeAsync(HttpContext context, IFormCollection form, CancellationToken cancellationToken)
        {
            string? user = form["user"];
            if (string.IsNullOrEmpty(user))
            {
                return OAuthGrantResult.Refused();
            }

            SessionManager sessions = context.RequestServices.GetRequiredService<SessionManager>();
            SignInResult signIn = await sessions.SignInAsync(new SignInRequest(user), cancellationToken);
            return signIn.TryGetValue(out Tokens.SessionToken? token)
                ? OAuthGrantResult.Granted(token)
                : signIn.Status == SignInStatus.StoreUnavailable ? OAuthGrantResult.Unavailable : OAuthGrantResult.Refused();
        }
    }
}
