using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Samples.DemoHost.Browser;

/// <summary>The checks every browser-session request goes through: reading the cookie, validating the session, and for state changes origin and CSRF.</summary>
internal sealed class BrowserGuard
{
    public const string CsrfHeader = "X-CSRF-Token";
    public const string CsrfField = "csrf";

    private readonly DemoServices _services;

    public BrowserGuard(DemoServices services) => _services = services;

    /// <summary>The session cookie's value as sent (well-formed or not), or <see langword="null"/>.</summary>
    public string? PresentedToken(RequestContext context) =>
        CookieHeaderParser.Find(context.Header("Cookie"), _services.SessionCookie.Name).TryGetValue(out string? value) ? value : null;

    /// <summary>
    /// Validates the session cookie and, once the session is bound to a device key (DBSC), its short-lived bound cookie.
    /// Returns the live session, or <see langword="null"/>.
    /// </summary>
    public async Task<BrowserSession?> CurrentAsync(RequestContext context)
    {
        string? cookies = context.Header("Cookie");
        HeaderValueResult cookie = CookieHeaderParser.Find(cookies, _services.SessionCookie.Name);
        if (!cookie.TryGetValue(out string? token))
        {
            return null;
        }

        DbscRequestResult result = await _services.Dbsc.ValidateRequestAsync(token, cookies, context.Header(DbscHeaders.Skipped), context.CancellationToken);
        if (result.TryGetValue(out Session? session))
        {
            return new BrowserSession(token, session);
        }

        if (result.Status != DbscRequestStatus.SessionNotValid)
        {
            // A live bound session without its current bound cookie: the browser refreshes it; the session cookie stays.
            Log.Write($"refused {context.Method} {context.Path}: {result.Status} for session {result.Session?.Id}");
            return null;
        }

        if (result.SessionStatus != SessionValidationStatus.StoreUnavailable)
        {
            // A dead or unknown cookie is cleared, so the browser stops sending it.
            context.AddSetCookie(_services.SessionCookie.BuildDeletion());
        }

        return null;
    }

    /// <summary>
    /// For a state-changing request made with a session: origin check, form, live session, then the CSRF token
    /// (header or form field). Writes the refusal itself (403, 401, 4xx for a bad body) and returns <see langword="null"/>.
    /// </summary>
    public async Task<(BrowserSession Session, FormData Form)?> RequireSessionPostAsync(RequestContext context)
    {
        OriginCheckResult origin = _services.SessionOrigin.Evaluate(context.Method, context.Header("Sec-Fetch-Site"), context.Header("Origin"));
        if (!origin.IsAllowed)
        {
            Log.Write($"refused cross-origin {context.Method} {context.Path} ({origin.Reason}) from {context.RemoteAddress}");
            await context.WriteErrorAsync(403, "cross_origin_request");
            return null;
        }

        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return null;
        }

        BrowserSession? session = await CurrentAsync(context);
        if (session is null)
        {
            await context.WriteErrorAsync(401, "not_authenticated");
            return null;
        }

        string? presented = context.Header(CsrfHeader) ?? form[CsrfField];
        CsrfTokenStatus csrf = _services.Csrf.Verify(presented, session.Session.Id);
        if (csrf != CsrfTokenStatus.Valid)
        {
            Log.Write($"refused {context.Method} {context.Path}: CSRF token {csrf} for session {session.Session.Id}");
            await context.WriteErrorAsync(403, "csrf_token_invalid");
            return null;
        }

        return (session, form);
    }

    public string NewCsrfToken(SessionId id) => _services.Csrf.CreateToken(id);

    /// <summary>Hands a new session token to the browser.</summary>
    /// <remarks>A bound session gets a bound cookie for its new identifier at the same time (regeneration moves the binding).</remarks>
    public void SetSessionCookie(RequestContext context, SessionToken token, Session session)
    {
        context.AddSetCookie(_services.SessionCookie.Build(token, session, _services.Time.GetUtcNow()));
        if (session.KeyBinding is not null)
        {
            context.AddSetCookie(_services.Dbsc.IssueBoundCookie(session));
        }
    }
}

/// <summary>A validated browser session and the cookie value it came from.</summary>
internal sealed record BrowserSession(string Token, Session Session)
{
    public override string ToString() => Session.Id.ToString();
}
