using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Risk;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Sessions;

namespace SessionCore.Samples.DemoHost.Browser;

/// <summary>Pages, sign-in and sign-out for browsers, with the session in the <c>__Host-session</c> cookie.</summary>
internal sealed class BrowserEndpoints
{
    private static readonly System.TimeSpan s_deviceCookieLifetime = System.TimeSpan.FromDays(365);
    private readonly DemoServices _services;
    private readonly BrowserGuard _guard;

    public BrowserEndpoints(DemoServices services)
    {
        _services = services;
        _guard = new BrowserGuard(services);
    }

    public void Map(Router router)
    {
        router.Get("/", HomeAsync)
            .Get("/app.css", StylesheetAsync)
            .Post("/login", LoginAsync)
            .Post("/logout", LogoutAsync);
        new AccountEndpoints(_services, _guard).Map(router);
    }

    private static Task StylesheetAsync(RequestContext context)
    {
        context.SetHeader("Cache-Control", "public, max-age=3600");
        context.RemoveHeader("Pragma");
        return context.WriteTextAsync(200, "text/css; charset=utf-8", HtmlPage.Stylesheet);
    }

    private async Task HomeAsync(RequestContext context)
    {
        BrowserSession? current = await _guard.CurrentAsync(context);
        if (current is null)
        {
            await context.WriteHtmlAsync(200, Pages.SignIn());
            return;
        }

        Session session = current.Session;
        SessionSummaryListResult listed = await _services.Sessions.ListSessionSummariesAsync(session.UserId, session.Id, context.CancellationToken);
        if (!listed.TryGetValue(out IReadOnlyList<SessionSummary>? sessions))
        {
            await context.WriteErrorAsync(503, "temporarily_unavailable");
            return;
        }

        SignInRiskAction risk = _services.Sessions.SignInRisk?.ActionFor(session.SignInRisk) ?? SignInRiskAction.Allow;
        await context.WriteHtmlAsync(200, Pages.Home(session, sessions, () => _guard.NewCsrfToken(session.Id), risk));
    }

    private async Task LoginAsync(RequestContext context)
    {
        // No session yet means no CSRF token to check: Fetch Metadata / Origin stop login CSRF instead.
        OriginCheckResult origin = _services.LoginOrigin.Evaluate(context.Method, context.Header("Sec-Fetch-Site"), context.Header("Origin"));
        if (!origin.IsAllowed)
        {
            Log.Write($"refused sign-in ({origin.Reason}) from {context.RemoteAddress}");
            await context.WriteErrorAsync(403, "cross_origin_request");
            return;
        }

        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return;
        }

        string? userName = form["username"];
        string? password = form["password"];
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password))
        {
            await context.WriteErrorAsync(400, "invalid_request");
            return;
        }

        CredentialCheck check = _services.Users.Check(userName, password);
        if (check == CredentialCheck.LockedOut)
        {
            await context.WriteLockedOutAsync(SignInThrottle.Window);
            return;
        }

        if (check != CredentialCheck.Valid)
        {
            Log.Write($"failed sign-in from {context.RemoteAddress}");
            if (context.AcceptsHtml)
            {
                await context.WriteHtmlAsync(401, Pages.SignIn("The user name or password is wrong."));
            }
            else
            {
                await context.WriteErrorAsync(401, "invalid_credentials");
            }

            return;
        }

        string? deviceId = CookieHeaderParser.Find(context.Header("Cookie"), _services.DeviceCookie.Name).TryGetValue(out string? presentedDevice)
            && DeviceFingerprint.IsWellFormedDeviceId(presentedDevice)
            ? presentedDevice
            : null;
        if (deviceId is null)
        {
            deviceId = _services.Sessions.MintDeviceId();
            context.AddSetCookie(_services.DeviceCookie.Build(deviceId, s_deviceCookieLifetime));
        }

        SignInResult result = await _services.Sessions.SignInAsync(
            new SignInRequest(userName)
            {
                // Fixation defence: whatever session cookie the browser holds is revoked, never adopted.
                PresentedToken = _guard.PresentedToken(context),
                Client = new ClientInfo(context.Header("User-Agent"), _services.ClientAddressOf(context), deviceId),
            },
            context.CancellationToken);
        if (!result.IsSuccess)
        {
            (int status, string code) = result.Status switch
            {
                SignInStatus.LimitReached => (429, "too_many_sessions"),
                SignInStatus.RefusedByRisk => (403, "sign_in_refused"),
                _ => (503, "temporarily_unavailable"),
            };
            await context.WriteErrorAsync(status, code);
            return;
        }

        if (result.IsNewDevice)
        {
            Log.Write($"sign-in from a new device for {result.Session.UserId} ({result.DeviceChange}); a real host would notify the user");
        }

        _guard.SetSessionCookie(context, result.Token, result.Session);

        // Offer device binding (DBSC): a supporting browser registers a key and from then on proves it holds it.
        if (_services.Dbsc.CreateRegistrationHeader(result.Session) is string offer)
        {
            context.SetHeader(SessionCore.Dbsc.DbscHeaders.Registration, offer);
        }

        await context.RedirectAsync("/");
    }

    private async Task LogoutAsync(RequestContext context)
    {
        (BrowserSession Session, FormData Form)? request = await _guard.RequireSessionPostAsync(context);
        if (request is null)
        {
            return;
        }

        SessionOperationStatus status = await _services.Sessions.RevokeAsync(request.Value.Session.Token, RevocationReason.Logout, context.CancellationToken);
        if (status == SessionOperationStatus.StoreUnavailable)
        {
            await context.WriteErrorAsync(503, "temporarily_unavailable");
            return;
        }

        context.AddSetCookie(_services.SessionCookie.BuildDeletion());
        if (request.Value.Session.Session.KeyBinding is not null)
        {
            context.AddSetCookie(_services.DbscCookies.BuildDeletion());
        }

        await context.RedirectAsync("/");
    }
}
