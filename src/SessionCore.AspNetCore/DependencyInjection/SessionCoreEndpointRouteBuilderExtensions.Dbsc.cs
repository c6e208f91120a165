using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.AspNetCore.Endpoints;
using SessionCore.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the SessionCore endpoints: Device Bound Session Credentials.</summary>
public static partial class SessionCoreEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the DBSC registration and refresh endpoints (<c>POST</c> at <see cref="SessionCoreDbscOptions.RegistrationPath"/>
    /// and <see cref="SessionCoreDbscOptions.RefreshPath"/>) on the session cookie and the DBSC request headers. Needs
    /// <c>AddDbsc</c>. <c>UseSessionCoreCsrf()</c> lets them through without a CSRF token, as browsers send none, and a
    /// fallback authorization policy does not apply to them (they allow anonymous requests and judge the session cookie
    /// themselves).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder for conventions on both endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">DBSC or SessionCore is not registered.</exception>
    /// <remarks>
    /// Security: registration answers 200 with the session instructions and the first bound cookie, or a refusal
    /// (400; 401 without a live session); refresh answers 403 with a fresh <c>Secure-Session-Challenge</c> until it gets
    /// a proof by the registered key, then 200 with a new bound cookie, and <c>{"continue": false}</c> with the bound
    /// cookie deleted for a session that no longer opens. A challenge is accepted once across every node sharing the
    /// store; a store failure answers 503 (the browser keeps its session and retries later). Hostile input never throws:
    /// each malformed, oversized or repeated header gets the refusal the core names. Every answer carries
    /// <c>Cache-Control: no-store</c>; the request body is never read.
    /// </remarks>
    [Experimental(Preview.Dbsc)]
    public static IEndpointConventionBuilder MapSessionCoreDbsc(this IEndpointRouteBuilder endpoints)
    {
        Throw.IfNull(endpoints);
        DbscIntegration dbsc = endpoints.ServiceProvider.GetService<DbscIntegration>() ?? Throw.InvalidOperation<DbscIntegration>(Error.DbscMissing);
        // The endpoints judge the session cookie themselves (a refresh comes without the bound cookie by design), so a
        // fallback authorization policy must not turn them away before the browser can renew its bound cookie.
        IEndpointConventionBuilder register = endpoints.MapPost(dbsc.Settings.RegistrationPath, DbscEndpoints.RegisterAsync).WithMetadata(CsrfExemptMetadata.Instance).AllowAnonymous();
        IEndpointConventionBuilder refresh = endpoints.MapPost(dbsc.Settings.RefreshPath, DbscEndpoints.RefreshAsync).WithMetadata(CsrfExemptMetadata.Instance).AllowAnonymous();
        return new Conventions(register, refresh);
    }
}
