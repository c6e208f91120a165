using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Samples.AspNetCore;

/// <summary>The sample's endpoints: sign-in, who am I, step-up and sign-out.</summary>
internal static class Endpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/login", LoginAsync);
        app.MapGet("/me", Me);
        app.MapPost("/elevate", ElevateAsync);
        app.MapPost("/logout", LogoutAsync);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, Credentials credentials, SessionManager sessions, RequestOriginPolicy origins, CookieSettings cookies, CsrfTokenService csrf)
    {
        // Login CSRF: a cross-site form must not sign the browser in to the attacker's account.
        OriginCheckResult origin = origins.Evaluate(context.Request.Method, context.Request.Headers["Sec-Fetch-Site"], context.Request.Headers.Origin);
        if (!origin.IsAllowed)
        {
            return Reply.Error(StatusCodes.Status403Forbidden, "origin", $"sign-in is accepted from this site's own pages only ({origin.Reason})");
        }

        if (!DemoUsers.Verify(credentials.User, credentials.Password))
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "credentials", "unknown user or wrong password");
        }

        string? deviceId = CookieHeaderParser.Find(context.Request.Headers.Cookie.ToString(), cookies.Device.Name).TryGetValue(out string? d)
            && DeviceFingerprint.IsWellFormedDeviceId(d) ? d : null;
        if (deviceId is null)
        {
            deviceId = sessions.MintDeviceId();
            context.Response.Headers.Append("Set-Cookie", cookies.Device.Build(deviceId, cookies.Device.MaxAge));
        }

        SignInResult signIn = await sessions.SignInAsync(
            new SignInRequest(credentials.User!)
            {
                Client = new ClientInfo(context.Request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress, deviceId),

                // Whatever session cookie the browser sent is revoked, never adopted (fixation).
                PresentedToken = CookieHeaderParser.Find(context.Request.Headers.Cookie.ToString(), cookies.Session.Name).TryGetValue(out string? old) ? old : null,
            },
            context.RequestAborted);
        if (!signIn.IsSuccess)
        {
            return signIn.Status switch
            {
                SignInStatus.StoreUnavailable => Reply.Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "sessions cannot be created right now"),
                SignInStatus.Invalidated => Reply.Error(StatusCodes.Status409Conflict, "invalidated", "the account's sessions were invalidated during sign-in: sign in again"),
                _ => Reply.Error(StatusCodes.Status409Conflict, "limit", $"sign-in refused: {signIn.Status}"),
            };
        }

        context.Response.Headers.Append("Set-Cookie", cookies.Session.Build(signIn.Token, signIn.Session, sessions.TimeProvider.GetUtcNow()));
        return Results.Json(new
        {
            user = signIn.Session.UserId,
            authenticationLevel = signIn.Session.AuthenticationLevel,
            newDevice = signIn.IsNewDevice,
            csrfToken = csrf.CreateToken(signIn.Session.Id),
        });
    }

    private static IResult Me(HttpContext context, CsrfTokenService csrf)
    {
        if (context.GetSession() is not { } current)
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "no valid session cookie");
        }

        Session s = current.Session;
        return Results.Json(new
        {
            user = context.User.Identity?.Name ?? s.UserId,
            authenticationLevel = s.AuthenticationLevel,
            authenticatedAt = s.AuthenticatedAt,
            expiresAt = s.IdleExpiresAt < s.AbsoluteExpiresAt ? s.IdleExpiresAt : s.AbsoluteExpiresAt,
            device = s.Device?.UserAgent,

            // Masked afresh on every response (BREACH); any of them verifies against this session.
            csrfToken = csrf.CreateToken(s.Id),
        });
    }

    private static async Task<IResult> ElevateAsync(HttpContext context, Credentials credentials, SessionManager sessions, CookieSettings cookies, CsrfTokenService csrf)
    {
        if (context.GetSession() is not { } current)
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "no valid session cookie");
        }

        // Step-up: the user proves who they are again (here: the password; in practice a second factor).
        if (!DemoUsers.Verify(current.Session.UserId, credentials.Password))
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "credentials", "wrong password");
        }

        // A privilege change always changes the token: the old cookie stops working at once.
        SessionRegenerationResult stepUp = await sessions.RegenerateAsync(current.Token, new SessionChange { AuthenticationLevel = 2, Reauthenticated = true }, context.RequestAborted);
        if (!stepUp.IsSuccess)
        {
            return stepUp.Status == SessionRegenerationStatus.StoreUnavailable
                ? Reply.Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "sessions cannot be changed right now")
                : Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", $"the session cannot be elevated: {stepUp}");
        }

        context.Response.Headers.Append("Set-Cookie", cookies.Session.Build(stepUp.Token, stepUp.Session, sessions.TimeProvider.GetUtcNow()));
        return Results.Json(new
        {
            user = stepUp.Session.UserId,
            authenticationLevel = stepUp.Session.AuthenticationLevel,

            // The CSRF token is bound to the session id, which has just changed.
            csrfToken = csrf.CreateToken(stepUp.Session.Id),
        });
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionManager sessions, CookieSettings cookies)
    {
        if (context.GetSession() is not { } current)
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "no valid session cookie");
        }

        SessionOperationStatus status = await sessions.RevokeAsync(current.Token, RevocationReason.Logout, context.RequestAborted);
        if (status == SessionOperationStatus.StoreUnavailable)
        {
            return Reply.Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "the session cannot be revoked right now");
        }

        context.Response.Headers.Append("Set-Cookie", cookies.Session.BuildDeletion());
        return Results.NoContent();
    }
}

/// <summary>The body of <c>POST /login</c> and <c>POST /elevate</c>.</summary>
internal sealed record Credentials(string? User, string? Password);
