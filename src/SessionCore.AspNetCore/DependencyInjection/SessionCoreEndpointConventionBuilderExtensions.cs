using System;
using Microsoft.AspNetCore.Http;
using SessionCore.AspNetCore.Csrf;

namespace Microsoft.AspNetCore.Builder;

/// <summary>CSRF and origin checks on endpoints.</summary>
public static class SessionCoreEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Refuses (403, no body) an unsafe request that rides on the session cookie unless it comes from the application's
    /// origin and carries the session's masked CSRF token; see <c>AddCsrfProtection</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder type.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Security: the reason of a refusal is logged, never answered.</remarks>
    public static TBuilder RequireCsrfToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(new CsrfEndpointFilter(originOnly: false));
    }

    /// <summary>
    /// Refuses (403, no body) an unsafe request that does not come from the application's origin, with or without a
    /// session, and asks no CSRF token: for sign-in forms (login CSRF). <c>UseSessionCoreCsrf()</c> honours it too.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder type.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TBuilder RequireSameOrigin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(SameOriginOnlyMetadata.Instance);
        return builder.AddEndpointFilter(new CsrfEndpointFilter(originOnly: true));
    }
}
