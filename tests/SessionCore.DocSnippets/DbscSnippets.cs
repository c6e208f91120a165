#pragma warning disable SCEXP0001 // DBSC is a preview API (W3C Working Draft): callers opt in.
using System;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Sessions;

namespace SessionCore.DocSnippets;

/// <summary>The code of concepts/dbsc.md.</summary>
public static class DbscSnippets
{
    public static DbscSessionService Create(SessionManager sessions, byte[] dbscKey)
    {
        #region snippet_DbscCreate
        // The same 32 secret bytes on every node; challenges and bound cookies are MAC'd with them.
        DbscChallengeService challenges = new(dbscKey);
        DbscBoundCookieService cookies = new(dbscKey, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromMinutes(10) });
        DbscSessionService dbsc = new(sessions, challenges, cookies, new DbscSessionOptions
        {
            RegistrationPath = "/dbsc/register",
            RefreshPath = "/dbsc/refresh",
            RequireBinding = session => session.AuthenticationLevel >= 2,   // "require" for admins, "offer" to the rest
        });
        #endregion
        return dbsc;
    }

    public static async Task<(DbscAnswer Register, DbscAnswer Refresh, bool Authenticated)> HandleAsync(
        DbscSessionService dbsc, string? sessionCookie, string? cookieHeader, string? responseHeader, string? sessionIdHeader, string? skippedHeader)
    {
        #region snippet_DbscEndpoints
        // POST /dbsc/register: copy result.Answer (status, headers, body) into the response.
        DbscEndpointResult registered = await dbsc.RegisterAsync(sessionCookie, responseHeader);

        // POST /dbsc/refresh: 403 + challenge, 200 + new bound cookie, or {"continue": false}.
        DbscEndpointResult refreshed = await dbsc.RefreshAsync(sessionCookie, sessionIdHeader, responseHeader);

        // Every other request: the session cookie, and once bound, the short-lived bound cookie too.
        DbscRequestResult request = await dbsc.ValidateRequestAsync(sessionCookie, cookieHeader, skippedHeader);
        if (!request.TryGetValue(out Session? session))
        {
            // 401; request.Status says why (BindingRequired, BoundCookieMissing, SessionNotValid, ...).
        }
        #endregion
        return (registered.Answer, refreshed.Answer, session is not null);
    }
}
