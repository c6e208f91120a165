using System;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SessionCore.Http;
using SessionCore.Sessions;

namespace SessionCore.Samples.AspNetCore;

/// <summary>The session a request carries, once the middleware has validated its cookie.</summary>
/// <param name="Token">The session token from the cookie (needed to regenerate or revoke it).</param>
/// <param name="Session">The validated session.</param>
internal sealed record SessionFeature(string Token, Session Session)
{
    public const string ItemKey = "SessionCore.Sessions.Session";
}

/// <summary>
/// Reads the session from the <c>__Host-session</c> cookie and nowhere else, validates it, exposes it through
/// <see cref="HttpContext.Items"/> and <see cref="HttpContext.User"/>, and guards unsafe methods with the
/// per-session CSRF token (header <c>X-CSRF-Token</c>). Requests that carry a token in their URL are refused
/// outright: a URL ends up in logs, history and Referer headers.
/// </summary>
internal sealed class SessionMiddleware
{
    public const string CsrfHeader = "X-CSRF-Token";

    private readonly RequestDelegate _next;

    public SessionMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context, SessionManager sessions, CookieSettings cookies, CsrfTokenService csrf)
    {
        // Session and token responses must never be cached by the browser or a proxy (RFC 6749 section 5.1:
        // Cache-Control: no-store, and Pragma: no-cache for HTTP/1.0 caches).
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        UrlTokenFinding finding = UrlTokenDetector.Inspect(target);
        if (finding != UrlTokenFinding.None)
        {
            await Reply.ErrorAsync(context, StatusCodes.Status400BadRequest, "credentials_in_url", "tokens are accepted only in cookies, headers or the request body, never in the URL");
            return;
        }

        HeaderValueResult cookie = CookieHeaderParser.Find(context.Request.Headers.Cookie.ToString(), cookies.Session.Name);
        SessionFeature? feature = null;
        if (cookie.TryGetValue(out string? token))
        {
            SessionValidationResult validation = await sessions.ValidateAsync(token, context.RequestAborted);
            if (validation.Status == SessionValidationStatus.StoreUnavailable)
            {
                // Fail closed, and say so: the client may retry, but it is not treated as signed out or in.
                await Reply.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "store_unavailable", "sessions cannot be checked right now");
                return;
            }

            if (validation.TryGetValue(out Session? session))
            {
                feature = new SessionFeature(token, session);
                context.Items[SessionFeature.ItemKey] = feature;
                context.User = new ClaimsPrincipal(new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, session.UserId),
                        new Claim("sid", session.Id.ToString()),
                        new Claim("auth_level", session.AuthenticationLevel.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ],
                    authenticationType: "SessionCore",
                    nameType: ClaimTypes.NameIdentifier,
                    roleType: null));
            }
        }

        // A cookie rides along with cross-site requests, so a state-changing request that relies on it must
        // prove it came from our own pages. Sign-in has no session yet; it is guarded by the origin check.
        if (feature is not null && !IsSafe(context.Request.Method) && !context.Request.Path.Equals("/login", StringComparison.Ordinal))
        {
            CsrfTokenStatus status = csrf.Verify(context.Request.Headers[CsrfHeader].ToString(), feature.Session.Id);
            if (status != CsrfTokenStatus.Valid)
            {
                await Reply.ErrorAsync(context, StatusCodes.Status403Forbidden, "csrf", $"a valid {CsrfHeader} header is required ({status})");
                return;
            }
        }

        await _next(context);
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}

/// <summary>The cookie builders: the session cookie and the long-lived device-id cookie.</summary>
internal sealed class CookieSettings
{
    public SessionCookieBuilder Session { get; } = new();

    public SessionCookieBuilder Device { get; } = new(new SessionCookieOptions { Name = "__Host-device", MaxAge = TimeSpan.FromDays(400) });
}

/// <summary>Small response helpers.</summary>
internal static class Reply
{
    public static Task ErrorAsync(HttpContext context, int status, string error, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(error, message));
    }

    public static IResult Error(int status, string error, string message) => Results.Json(new ErrorBody(error, message), statusCode: status);

    public static SessionFeature? GetSession(this HttpContext context) =>
        context.Items.TryGetValue(SessionFeature.ItemKey, out object? value) ? value as SessionFeature : null;
}

internal sealed record ErrorBody(string Error, string Message);
