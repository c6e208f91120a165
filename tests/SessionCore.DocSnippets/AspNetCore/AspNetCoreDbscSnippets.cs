using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Authentication;

// SCEXP0001: the DBSC preview is shown on purpose.
#pragma warning disable SCEXP0001

namespace SessionCore.DocSnippets;

/// <summary>Device Bound Session Credentials on the session cookie, as docs/guides/aspnetcore.md shows it.</summary>
public static class AspNetCoreDbscSnippets
{
    /// <summary>Builds an application that offers DBSC to every session and requires it after step-up (not started).</summary>
    public static WebApplication Build(Action<IWebHostBuilder> host, byte[] dbscKey)
    {
        var builder = WebApplication.CreateBuilder();
        host(builder.WebHost);
        #region snippet_AspNetCoreDbsc
        builder.Services.AddSessionCore()
            .AddInMemoryStore()
            .AddCsrfProtection(o => o.ExpectedOrigin = "https://app.example")
            .AddDbsc(o =>
            {
                o.Key = dbscKey;                                      // 32 secret bytes, the same on every node (null: one per process)
                o.RequireBinding = s => s.AuthenticationLevel >= 2;   // "require" after step-up, "offer" to every other session
            });
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie();

        var app = builder.Build();
        app.UseSessionCoreCsrf();
        app.MapSessionCoreDbsc();   // POST /dbsc/register, POST /dbsc/refresh
        #endregion
        return app;
    }
}
