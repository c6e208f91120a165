using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace SessionCore.AspNetCore.Csrf;

/// <summary>Runs the CSRF and origin check on every unsafe request; see <c>UseSessionCoreCsrf</c>.</summary>
internal sealed class CsrfMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        EndpointMetadataCollection? metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<CsrfExemptMetadata>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        bool originOnly = metadata?.GetMetadata<SameOriginOnlyMetadata>() is not null;
        if (!await CsrfProtection.From(context).AllowsAsync(context, originOnly).ConfigureAwait(false))
        {
            CsrfProtection.Refuse(context.Response);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
