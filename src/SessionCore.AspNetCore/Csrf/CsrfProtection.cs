using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Internal;
using SessionCore.Http;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore.Csrf;

/// <summary>The registered CSRF token service and origin policy, and the one check the filter and the middleware share.</summary>
internal sealed partial class CsrfProtection : IDisposable
{
    public CsrfProtection(SessionCoreCsrfOptions options)
    {
        Origins = new RequestOriginPolicy(options.ExpectedOrigin!);
        Tokens = options.Key is { } key ? new CsrfTokenService(key.Span) : CsrfTokenService.CreateWithRandomKey();
        HeaderName = options.HeaderName;
        SessionScheme = options.SessionScheme;
    }

    public RequestOriginPolicy Origins { get; }

    public CsrfTokenService Tokens { get; }

    public string HeaderName { get; }

    public string SessionScheme { get; }

    public static CsrfProtection From(HttpContext context) =>
        context.RequestServices.GetService<CsrfProtection>() ?? Throw.InvalidOperation<CsrfProtection>(Error.CsrfMissing);

    /// <summary>
    /// Whether an unsafe request may proceed. A request that rides on the session cookie needs a same-origin
    /// request and (unless <paramref name="originOnly"/>) the session's CSRF token; one without a session
    /// carries no ambient authority and passes, unless <paramref name="originOnly"/> asks for the origin check anyway
    /// (sign-in forms: login CSRF).
    /// </summary>
    public async ValueTask<bool> AllowsAsync(HttpContext context, bool originOnly)
    {
        HttpRequest request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return true;
        }

        _ = await context.AuthenticateAsync(SessionScheme).ConfigureAwait(false);
        Session? session = context.Features.Get<SessionCoreFeature>()?.Session;
        if (session is null && !originOnly)
        {
            return true;
        }

        OriginCheckResult origin = Origins.Evaluate(request.Method, Single(request.Headers["Sec-Fetch-Site"]), Single(request.Headers.Origin));
        if (!origin.IsAllowed)
        {
            ILogger logger = Logger(context);
            LogRefused(logger, origin.Reason);
            return false;
        }

        if (originOnly || session is null)
        {
            return true;
        }

        CsrfTokenStatus status = Tokens.Verify(Single(request.Headers[HeaderName]), session.Id);
        if (status != CsrfTokenStatus.Valid)
        {
            ILogger logger = Logger(context);
            LogCsrfRefused(logger, status);
            return false;
        }

        return true;
    }

    public void Dispose() => Tokens.Dispose();

    /// <summary>A refusal: 403, no body, nothing about why.</summary>
    public static void Refuse(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.Headers.CacheControl = "no-store";
    }

    // Two header lines are as suspect as a malformed one; the checks then see nothing and refuse.
    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("SessionCore.AspNetCore.Csrf") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "An unsafe request was refused by the origin check ({Reason}).")]
    private static partial void LogRefused(ILogger logger, OriginCheckReason reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "An unsafe request was refused by the CSRF check ({Status}).")]
    private static partial void LogCsrfRefused(ILogger logger, CsrfTokenStatus status);
}
