using System;
using System.Threading.Tasks;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.DocSnippets;

/// <summary>The code of the cookie and CSRF sections (getting-started.md, concepts/policies.md).</summary>
public static class WebSnippets
{
    public static async Task<(string SetCookie, string Deletion, SessionValidationStatus Status)> CookiesAsync(
        SessionManager manager, SessionToken token, Session session, string? cookieHeader)
    {
        #region snippet_Cookies
        // At sign-in or regeneration: hand the token to the browser.
        SessionCookieBuilder cookies = new();            // __Host-session; Secure; HttpOnly; SameSite=Strict
        string setCookie = cookies.Build(token, session, manager.TimeProvider.GetUtcNow());

        // On every request: read it back from the Cookie header (junk never throws).
        HeaderValueResult presented = CookieHeaderParser.Find(cookieHeader, cookies.Name);
        SessionValidationResult check = await manager.ValidateAsync(presented.IsSuccess ? presented.Value : null);

        // At sign-out, and whenever validation fails: delete it.
        string deletion = cookies.BuildDeletion();
        #endregion
        return (setCookie, deletion, check.Status);
    }

    public static bool Csrf(byte[] csrfKey, Session session, string method, string? secFetchSite, string? originHeader, out string formToken)
    {
        #region snippet_Csrf
        using CsrfTokenService csrf = new(csrfKey);       // 32 to 64 secret random bytes, shared by every node
        RequestOriginPolicy origins = new("https://app.example.com");

        // Rendering a form: a token bound to the session, masked afresh for every response.
        formToken = csrf.CreateToken(session.Id);

        // Handling the POST: both checks must pass.
        CsrfTokenStatus token = csrf.Verify(formToken, session.Id);
        OriginCheckResult origin = origins.Evaluate(method, secFetchSite, originHeader);
        bool allowed = token == CsrfTokenStatus.Valid && origin.IsAllowed;
        #endregion
        return allowed;
    }

    public static async Task<FreshnessStatus> FreshnessAsync(SessionManager manager, string cookieValue)
    {
        #region snippet_Freshness
        FreshnessResult fresh = await manager.CheckFreshnessAsync(
            cookieValue, new FreshnessRequirement(TimeSpan.FromMinutes(5), minimumAuthenticationLevel: 2));
        if (!fresh.IsFresh)
        {
            // fresh.Status: ReauthenticationRequired or StepUpRequired (ask the user again, then
            // RegenerateAsync with Reauthenticated = true), or NotAuthenticated.
        }
        #endregion
        return fresh.Status;
    }
}
