using System;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Sessions;

namespace SessionCore.DocSnippets;

/// <summary>The ASP.NET Core way, as README.md and docs/guides/aspnetcore.md show it.</summary>
public static class AspNetCoreSnippets
{
    /// <summary>Builds the application of the README (not started).</summary>
    public static WebApplication Build(string[] args, string databaseFile, Func<string?, string?, bool> checkPassword)
    {
        #region snippet_ReadmeAspNetCore
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSessionCore()
            .AddLiteDbStore(o => o.FilePath = databaseFile)
            .AddCsrfProtection(o => o.ExpectedOrigin = "https://app.example");
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie();

        var app = builder.Build();
        app.UseSessionCoreUrlTokenGuard();   // 400 for a token in a URL
        app.UseSessionCoreCsrf();            // 403 for an unsafe request without the session's CSRF token

        app.MapPost("/login", async (HttpContext http, Credentials c) => checkPassword(c.User, c.Password)
            && (await http.SignInSessionAsync(c.User!)).IsSuccess ? Results.Text(http.GetCsrfToken()) : Results.Unauthorized())
            .RequireSameOrigin();
        app.MapGet("/me", (HttpContext http) => http.GetSession()!.UserId).RequireAuthorization();
        app.MapPost("/password", () => Results.NoContent()).RequireAuthorization(p => p.RequireFreshSession(TimeSpan.FromMinutes(5)));
        app.MapSessionCoreSessions();   // "where you are signed in"
        #endregion
        return app;
    }

    /// <summary>Step-up after a second factor: one call regenerates the session.</summary>
    public static void MapStepUp(WebApplication app)
    {
        #region snippet_AspNetCoreStepUp
        app.MapPost("/step-up", async (HttpContext http) =>
        {
            // ... verify the second factor first ...
            SessionRegenerationResult stepUp = await http.RegenerateSessionAsync(new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
            return stepUp.IsSuccess ? Results.Text(http.GetCsrfToken()) : Results.Unauthorized();   // a new cookie and a new CSRF token
        }).RequireAuthorization();
        app.MapDelete("/account", () => Results.NoContent()).RequireAuthorization(p => p.RequireAuthenticationLevel(2));
        #endregion
    }

    /// <summary>The credentials of the README's sign-in form.</summary>
    public sealed record Credentials(string? User, string? Password);
}
