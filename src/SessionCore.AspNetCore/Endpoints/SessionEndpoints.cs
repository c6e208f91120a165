using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>"Where you are signed in": list the user's sessions, end one, end all others.</summary>
internal static class SessionEndpoints
{
    public static async Task ListAsync(HttpContext context)
    {
        if (await CurrentAsync(context).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        SessionManager sessions = context.RequestServices.GetRequiredService<SessionManager>();
        SessionSummaryListResult list = await sessions.ListSessionSummariesAsync(current.Session!.UserId, current.Session.Id, context.RequestAborted).ConfigureAwait(false);
        Responses.NoStore(context.Response);
        if (!list.TryGetValue(out System.Collections.Generic.IReadOnlyList<SessionSummary>? summaries))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await Responses.JsonAsync(context.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("sessions");
            foreach (SessionSummary s in summaries)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id.ToString());
                w.WriteString("device", s.Device);
                if (s.Network is null)
                {
                    w.WriteNull("network");
                }
                else
                {
                    w.WriteString("network", s.Network);
                }

                w.WriteString("createdAt", s.CreatedAt);
                w.WriteString("lastSeenAt", s.LastSeenAt);
                w.WriteNumber("authenticationLevel", s.AuthenticationLevel);
                w.WriteBoolean("current", s.IsCurrent);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public static async Task RevokeOneAsync(HttpContext context)
    {
        if (await CurrentAsync(context).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        if (!SessionId.TryParse(context.Request.RouteValues["id"] as string, out SessionId target))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        SessionManager sessions = context.RequestServices.GetRequiredService<SessionManager>();
        SessionOperationStatus status = await sessions.RevokeOwnSessionAsync(current.Token!.Reveal(), target, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = Status(status);
    }

    public static async Task RevokeOthersAsync(HttpContext context)
    {
        if (await CurrentAsync(context).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        SessionManager sessions = context.RequestServices.GetRequiredService<SessionManager>();
        SessionOperationStatus status = await sessions.RevokeOtherSessionsAsync(current.Token!.Reveal(), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = status == SessionOperationStatus.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
    }

    private static int Status(SessionOperationStatus status) => status switch
    {
        SessionOperationStatus.Done => StatusCodes.Status204NoContent,
        SessionOperationStatus.NothingToDo => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>The request's session, after the CSRF and origin check; answers 401 or 403 itself and returns <see langword="null"/>.</summary>
    private static async Task<SessionCoreFeature?> CurrentAsync(HttpContext context)
    {
        CsrfProtection csrf = CsrfProtection.From(context);
        _ = await context.AuthenticateAsync(csrf.SessionScheme).ConfigureAwait(false);
        SessionCoreFeature? feature = context.Features.Get<SessionCoreFeature>();
        if (feature?.Session is null || feature.Token is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            Responses.NoStore(context.Response);
            return null;
        }

        if (!await csrf.AllowsAsync(context, originOnly: false).ConfigureAwait(false))
        {
            CsrfProtection.Refuse(context.Response);
            return null;
        }

        return feature;
    }
}
