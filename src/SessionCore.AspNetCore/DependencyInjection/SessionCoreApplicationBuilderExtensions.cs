using System;
using SessionCore.AspNetCore.Csrf;
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
}
