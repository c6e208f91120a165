using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace SessionCore.AspNetCore.Csrf;

/// <summary>The CSRF and origin check as an endpoint filter; see <c>RequireCsrfToken</c> and <c>RequireSameOrigin</c>.</summary>
internal sealed class CsrfEndpointFilter(bool originOnly) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await CsrfProtection.From(context.HttpContext).AllowsAsync(context.HttpContext, originOnly).ConfigureAwait(false))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        return await next(context).ConfigureAwait(false);
    }
}
