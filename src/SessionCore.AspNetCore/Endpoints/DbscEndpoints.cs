using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.Dbsc;
using SessionCore.Http;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>
/// The DBSC registration and refresh endpoints: the session cookie and the DBSC request headers in, the core's
/// <see cref="DbscAnswer"/> (status, headers, JSON instructions) copied out. The body of the request is never read.
/// </summary>
internal static partial class DbscEndpoints
{
    public static async Task RegisterAsync(HttpContext context)
    {
        DbscIntegration dbsc = context.RequestServices.GetRequiredService<DbscIntegration>();
        DbscEndpointResult? result = null;
        try
        {
            result = await dbsc.Sessions.RegisterAsync(SessionToken(context, dbsc), Joined(context.Request.Headers[DbscHeaders.Response]), context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed: whatever the store or an event sink throws is a 503, which keeps the browser's state for a later attempt.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ILogger logger = Logger(context);
            LogFailed(logger, e.GetType().Name);
        }

        await WriteAsync(context, "registration", result).ConfigureAwait(false);
    }

    public static async Task RefreshAsync(HttpContext context)
    {
        DbscIntegration dbsc = context.RequestServices.GetRequiredService<DbscIntegration>();
        DbscEndpointResult? result = null;
        try
        {
            result = await dbsc.Sessions.RefreshAsync(
                SessionToken(context, dbsc),
                Joined(context.Request.Headers[DbscHeaders.SessionId]),
                Joined(context.Request.Headers[DbscHeaders.Response]),
                context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As above: fail closed with a 503.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ILogger logger = Logger(context);
            LogFailed(logger, e.GetType().Name);
        }

        await WriteAsync(context, "refresh", result).ConfigureAwait(false);
    }

    /// <summary>
    /// A header as the core reads it: absent, one line, or every line joined with ", " (RFC 9110 §5.3), so a repeated
    /// Item header reaches the structured-field parser as two members and is refused, never half read.
    /// </summary>
    private static string? Joined(StringValues values) => values.Count switch
    {
        0 => null,
        1 => values[0],
        _ => string.Join(", ", values.ToArray()),
    };

    private static string? SessionToken(HttpContext context, DbscIntegration dbsc)
    {
        string name = context.RequestServices.GetRequiredService<IOptionsMonitor<SessionCookieAuthenticationOptions>>().Get(dbsc.Settings.SessionScheme).Cookie.Name;
        return CookieHeaderParser.Find(SessionCookieAuthenticationHandler.ReadCookieHeader(context.Request), name).TryGetValue(out string? value) ? value : null;
    }

    private static async Task WriteAsync(HttpContext context, string endpoint, DbscEndpointResult? result)
    {
        DbscAnswer answer = result?.Answer ?? DbscAnswer.Unavailable();
        if (result is not null)
        {
            ILogger logger = Logger(context);
            LogOutcome(logger, endpoint, result.Status, result.ProofStatus);
        }

        HttpResponse response = context.Response;
        response.StatusCode = answer.StatusCode;
        foreach (KeyValuePair<string, string> header in answer.Headers)
        {
            if (string.Equals(header.Key, HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = header.Value;
            }
            else
            {
                // Set-Cookie and Secure-Session-Challenge may occur more than once.
                response.Headers.Append(header.Key, header.Value);
            }
        }

        if (!answer.Body.IsEmpty)
        {
            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("SessionCore.AspNetCore.Dbsc") ?? NullLogger.Instance;

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "DBSC {Endpoint}: {Status} ({ProofStatus}).")]
    private static partial void LogOutcome(ILogger logger, string endpoint, DbscEndpointStatus status, DbscProofStatus? proofStatus);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "A DBSC endpoint failed ({ExceptionType}); answered 503.")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}
