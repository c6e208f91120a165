using System;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Http;
using SessionCore.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the SessionCore middleware.</summary>
public static class SessionCoreApplicationBuilderExtensions
{
    /// <summary>
    /// Checks every unsafe request that rides on the session cookie: it must come from the application's origin and
    /// carry the session's masked CSRF token, or it is refused with 403 and no body. Endpoints marked with
    /// <c>RequireSameOrigin()</c> get the origin check only, with or without a session. Needs <c>AddCsrfProtection</c>.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is <see langword="null"/>.</exception>
    public static IApplicationBuilder UseSessionCoreCsrf(this IApplicationBuilder app)
    {
        Throw.IfNull(app);
        return app.UseMiddleware<CsrfMiddleware>();
    }

    /// <summary>
    /// Refuses with <c>400 {"error":"invalid_request"}</c> every request whose URL carries a token (a sensitive
    /// parameter name such as <c>access_token</c>, <c>session</c> or <c>;jsessionid</c>, or a token-looking value), before any
    /// endpoint runs: a URL ends up in logs, browser history and <c>Referer</c> headers. Put it first in the pipeline.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is <see langword="null"/>.</exception>
    /// <remarks>Security: ASP.NET Core's own request logging writes the full URL at Information; keep the <c>Microsoft.AspNetCore</c> categories at Warning so a refused URL is not logged either.</remarks>
    public static IApplicationBuilder UseSessionCoreUrlTokenGuard(this IApplicationBuilder app)
    {
        Throw.IfNull(app);
        return app.UseMiddleware<UrlTokenGuardMiddleware>();
    }
}
