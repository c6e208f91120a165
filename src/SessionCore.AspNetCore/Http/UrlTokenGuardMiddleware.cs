using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SessionCore.AspNetCore.Internal;
using SessionCore.Http;

namespace SessionCore.AspNetCore.Http;

/// <summary>Refuses every request whose URL carries a token; see <c>UseSessionCoreUrlTokenGuard</c>.</summary>
internal sealed class UrlTokenGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (CarriesToken(context))
        {
            Responses.NoStore(context.Response);
            return Responses.ErrorAsync(context.Response, "invalid_request");
        }

        return next(context);
    }

    /// <summary>Whether the raw target (what the client sent) or the decoded path and query carry a token.</summary>
    internal static bool CarriesToken(HttpContext context)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return (!string.IsNullOrEmpty(raw) && UrlTokenDetector.Inspect(raw) != UrlTokenFinding.None)
            || UrlTokenDetector.Inspect(context.Request.Path.Value + context.Request.QueryString.Value) != UrlTokenFinding.None;
    }
}
