using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Risk;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Samples.DemoHost.Browser;

/// <summary>What a signed-in browser user can see and change: session info, step-up, password, other sessions.</summary>
internal sealed class AccountEndpoints
{
    private const int MinPasswordLength = 12;
    private readonly DemoServices _services;
    private readonly BrowserGuard _guard;

    public AccountEndpoints(DemoServices services, BrowserGuard guard)
    {
        _services = services;
        _guard = guard;
    }

    public void Map(Router router) =>
        router.Get("/api/session", SessionAsync)
            .Get("/api/sessions", SessionsAsync)
            .Post("/elevate", ElevateAsync)
            .Post("/password", ChangePasswordAsync)
            .Post("/sessions/revoke-others", RevokeOthersAsync)
            .Post("/sessions/revoke", RevokeOneAsync);

    private static string Time(System.DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The reasons one by one, in declaration order.</summary>
    internal static IEnumerable<SignInRiskReason> Reasons(SignInRiskReason reasons)
    {
        foreach (SignInRiskReason reason in System.Enum.GetValues<SignInRiskReason>())
        {
            if (reason != SignInRiskReason.None && (reasons & reason) == reason)
            {
                yield return reason;
            }
        }
    }

    // City and country only (never coordinates or the network operator): null when nothing is known.
    private static void WritePlace(Utf8JsonWriter w, CoarseLocation? place)
    {
        if (place is null || (place.City is null && place.CountryCode is null))
        {
            w.WriteNull("location");
            return;
        }

        w.WriteStartObject("location");
        WriteNullable(w, "city", place.City);
        WriteNullable(w, "country", place.CountryCode);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private async Task SessionAsync(RequestContext context)
    {
        BrowserSession? current = await _guard.CurrentAsync(context);
        if (current is null)
        {
            await context.WriteErrorAsync(401, "not_authenticated");
            return;
        }

        Session s = current.Session;
        string csrf = _guard.NewCsrfToken(s.Id);
        await context.WriteJsonAsync(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("user", s.UserId);
            w.WriteString("sessionId", s.Id.ToString());
            w.WriteString("createdAt", Time(s.CreatedAt));
            w.WriteString("authenticatedAt", Time(s.AuthenticatedAt));
            w.WriteNumber("authenticationLevel", s.AuthenticationLevel);
            w.WriteString("expiresAt", Time(s.AbsoluteExpiresAt));
            w.WriteBoolean("bound", s.KeyBinding is not null);
            w.WriteString("csrf", csrf);

            // The reasons the risk check found when this session signed in; empty when nothing was unusual.
            w.WriteStartArray("signInRisk");
            foreach (SignInRiskReason reason in Reasons(s.SignInRisk))
            {
                w.WriteStringValue(reason.ToString());
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task SessionsAsync(RequestContext context)
    {
        BrowserSession? current = await _guard.CurrentAsync(context);
        if (current is null)
        {
            await context.WriteErrorAsync(401, "not_authenticated");
            return;
        }

        SessionSummaryListResult listed = await _services.Sessions.ListSessionSummariesAsync(current.Session.UserId, current.Session.Id, context.CancellationToken);
        if (!listed.TryGetValue(out IReadOnlyList<SessionSummary>? sessions))
        {
            await context.WriteErrorAsync(503, "temporarily_unavailable");
            return;
        }

        await context.WriteJsonAsync(200, w =>
        {
            w.WriteStartArray();
            foreach (SessionSummary s in sessions)
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

                WritePlace(w, s.Location);
                w.WriteString("createdAt", Time(s.CreatedAt));
                w.WriteString("lastSeenAt", Time(s.LastSeenAt));
                w.WriteNumber("authenticationLevel", s.AuthenticationLevel);
                w.WriteBoolean("current", s.IsCurrent);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private async Task ElevateAsync(RequestContext context)
    {
        (BrowserSession Session, FormData Form)? request = await _guard.RequireSessionPostAsync(context);
        if (request is null)
        {
            return;
        }

        (BrowserSession current, FormData form) = request.Value;
        CredentialCheck check = _services.Users.Check(current.Session.UserId, form["password"]);
        if (check == CredentialCheck.LockedOut)
        {
            await context.WriteLockedOutAsync(SignInThrottle.Window);
            return;
        }

        if (check != CredentialCheck.Valid)
        {
            Log.Write($"failed step-up for session {current.Session.Id}");
            await context.WriteErrorAsync(401, "invalid_credentials");
            return;
        }

        // Privilege change: a new session id (the old cookie dies in the same store step) and a fresh authentication time.
        SessionRegenerationResult result = await _services.Sessions.RegenerateAsync(
            current.Token, new SessionChange { Reauthenticated = true, AuthenticationLevel = 2 }, context.CancellationToken);
        if (!await SetRegeneratedCookieAsync(context, result))
        {
            return;
        }

        await context.RedirectAsync("/");
    }

    private async Task ChangePasswordAsync(RequestContext context)
    {
        (BrowserSession Session, FormData Form)? request = await _guard.RequireSessionPostAsync(context);
        if (request is null)
        {
            return;
        }

        (BrowserSession current, FormData form) = request.Value;
        string userId = current.Session.UserId;
        string? replacement = form["new"];
        CredentialCheck check = _services.Users.Check(userId, form["current"]);
        if (check == CredentialCheck.LockedOut)
        {
            await context.WriteLockedOutAsync(SignInThrottle.Window);
            return;
        }

        if (check != CredentialCheck.Valid)
        {
            Log.Write($"failed password change for session {current.Session.Id}");
            await context.WriteErrorAsync(401, "invalid_credentials");
            return;
        }

        if (replacement is null || replacement.Length < MinPasswordLength || !PasswordHash.IsAcceptableLength(replacement))
        {
            await context.WriteErrorAsync(400, "password_too_weak");
            return;
        }

        _services.Users.SetPassword(userId, replacement);

        // Every other session (browser and API grants) dies, the security epoch moves so online-validated
        // access tokens die too, and this session continues under a new id.
        UserInvalidationResult result = await _services.Sessions.InvalidateUserAsync(userId, InvalidationTrigger.PasswordChanged, keep: current.Token, context.CancellationToken);
        if (result.Status == SessionOperationStatus.StoreUnavailable)
        {
            // The new password is in place, but other sessions may still be open: never report that as done.
            // When this session was already moved to its new id, send that cookie, or the user is signed out.
            Log.Write($"password changed for {userId}; signing out the other sessions failed, the store is unavailable");
            if (result.Kept is { IsSuccess: true } moved)
            {
                _guard.SetSessionCookie(context, moved.Token, moved.Session);
            }

            await context.WriteErrorAsync(503, "temporarily_unavailable");
            return;
        }

        Log.Write($"password changed for {userId}; {result.Revoked.Count} other session(s) revoked");
        if (result.Kept is null || !await SetRegeneratedCookieAsync(context, result.Kept))
        {
            if (!context.HasStarted)
            {
                context.AddSetCookie(_services.SessionCookie.BuildDeletion());
                await context.RedirectAsync("/");
            }

            return;
        }

        await context.RedirectAsync("/");
    }

    private async Task RevokeOthersAsync(RequestContext context)
    {
        (BrowserSession Session, FormData Form)? request = await _guard.RequireSessionPostAsync(context);
        if (request is null)
        {
            return;
        }

        SessionOperationStatus status = await _services.Sessions.RevokeOtherSessionsAsync(request.Value.Session.Token, context.CancellationToken);
        await FinishAsync(context, status);
    }

    private async Task RevokeOneAsync(RequestContext context)
    {
        (BrowserSession Session, FormData Form)? request = await _guard.RequireSessionPostAsync(context);
        if (request is null)
        {
            return;
        }

        if (!SessionId.TryParse(request.Value.Form["session"], out SessionId target))
        {
            await context.WriteErrorAsync(400, "invalid_request");
            return;
        }

        // Only sessions of the caller's own user can be revoked; anything else is silently nothing to do.
        SessionOperationStatus status = await _services.Sessions.RevokeOwnSessionAsync(request.Value.Session.Token, target, context.CancellationToken);
        await FinishAsync(context, status);
    }

    private static Task FinishAsync(RequestContext context, SessionOperationStatus status) =>
        status == SessionOperationStatus.StoreUnavailable
            ? context.WriteErrorAsync(503, "temporarily_unavailable")
            : context.RedirectAsync("/");

    private async Task<bool> SetRegeneratedCookieAsync(RequestContext context, SessionRegenerationResult result)
    {
        if (result.IsSuccess)
        {
            _guard.SetSessionCookie(context, result.Token, result.Session);
            return true;
        }

        if (result.Status == SessionRegenerationStatus.StoreUnavailable)
        {
            await context.WriteErrorAsync(503, "temporarily_unavailable");
        }
        else
        {
            context.AddSetCookie(_services.SessionCookie.BuildDeletion());
            await context.WriteErrorAsync(401, "not_authenticated");
        }

        return false;
    }
}
