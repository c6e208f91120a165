using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.DocSnippets;

/// <summary>The code of docs/getting-started.md, one method per step so tests can run each.</summary>
public static class GettingStartedSnippets
{
    public static SessionManager BuildWithoutDependencyInjection()
    {
        #region snippet_BuildManager
        SessionManager manager = new SessionManagerBuilder
        {
            Store = new InMemorySessionStore(),
            Options = new SessionOptions
            {
                IdleTimeout = TimeSpan.FromMinutes(20),
                AbsoluteLifetime = TimeSpan.FromHours(8),
                MaxSessionsPerUser = 5,
                LimitMode = SessionLimitMode.EvictOldest,
            },
            EventSinks = { new AuditSink() },   // optional, see Diagnostics
        }.Build();
        #endregion
        return manager;
    }

    public static async Task<SignInStatus> BuildWithDependencyInjectionAsync()
    {
        #region snippet_AddSessionCore
        ServiceCollection services = new();
        services.AddSessionCore(options =>
            {
                options.IdleTimeout = TimeSpan.FromMinutes(20);
                options.MaxSessionsPerUser = 5;
            })
            .AddInMemoryStore();
        services.AddSingleton<ISessionEventSink, AuditSink>();

        await using ServiceProvider provider = services.BuildServiceProvider();
        SessionManager manager = provider.GetRequiredService<SessionManager>();
        #endregion
        SignInResult result = await manager.SignInAsync(new SignInRequest("alice"));
        return result.Status;
    }

    public static async Task<string?> SignInAsync(SessionManager manager, string? presentedCookie, string? userAgent, string? remoteAddress, string? deviceIdCookie)
    {
        #region snippet_SignIn
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice")
        {
            AuthenticationLevel = 1,                 // e.g. 1 = password, 2 = multi-factor
            PresentedToken = presentedCookie,        // the session cookie the browser sent, or null
            Client = new ClientInfo(userAgent, remoteAddress, deviceIdCookie),
        });
        if (!signIn.TryGetValue(out SessionToken? token))
        {
            // signIn.Status is LimitReached (RejectNew mode), Invalidated (an invalidation of the user ran
            // meanwhile: authenticate again) or StoreUnavailable: no session exists.
            return null;
        }

        string cookieValue = token.Reveal();         // send once, in a Set-Cookie header
        #endregion
        return cookieValue;
    }

    public static async Task<string?> ValidateAsync(SessionManager manager, string? cookieValue)
    {
        #region snippet_Validate
        SessionValidationResult check = await manager.ValidateAsync(cookieValue);
        if (!check.TryGetValue(out Session? session))
        {
            // check.Status says why: Malformed, NotFound, ExpiredIdle, ExpiredAbsolute, Revoked,
            // StoreUnavailable or ClockSkew. Treat every one of them as "not signed in".
            return null;
        }

        string userId = session.UserId;              // and session.AuthenticationLevel, session.Data, ...
        #endregion
        return userId;
    }

    public static async Task<string> RegenerateAsync(SessionManager manager, string cookieValue)
    {
        #region snippet_Regenerate
        SessionRegenerationResult stepUp = await manager.RegenerateAsync(
            cookieValue,
            new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
        if (stepUp.TryGetValue(out SessionToken? next))
        {
            cookieValue = next.Reveal();             // replace the cookie
        }
        #endregion
        return cookieValue;
    }

    public static async Task<SessionOperationStatus> SignOutAsync(SessionManager manager, string cookieValue)
    {
        #region snippet_SignOut
        SessionOperationStatus signedOut = await manager.RevokeAsync(cookieValue);
        #endregion
        return signedOut;
    }

    public static async Task<string> EndSessionsAsync(SessionManager manager, string cookieValue, SessionId sessionId, SessionId currentId)
    {
        #region snippet_EndSessions
        // "Your devices" page: list, then sign out one device. The ownership check is built in.
        SessionListResult sessions = await manager.ListSessionsAsync("alice");   // typed: Status says StoreUnavailable
        SessionOperationStatus one = await manager.RevokeUserSessionAsync("alice", sessionId);

        // Sign out everywhere (optionally except the current session).
        SessionRevocationResult revoked = await manager.RevokeAllAsync("alice", RevocationReason.Logout, except: currentId);

        // Password or MFA change: bump the security epoch, revoke everything, keep the current session
        // under a new token.
        UserInvalidationResult invalidated = await manager.InvalidateUserAsync(
            "alice", InvalidationTrigger.PasswordChanged, keep: cookieValue);
        if (invalidated.Kept is { } kept && kept.TryGetValue(out SessionToken? replacement))
        {
            cookieValue = replacement.Reveal();
        }
        #endregion
        GC.KeepAlive(sessions);
        GC.KeepAlive(one);
        GC.KeepAlive(revoked);
        return cookieValue;
    }

    public static async Task<int> PurgeAsync(SessionManager manager)
    {
        #region snippet_Purge
        int purged = await manager.Store.PurgeExpiredAsync(manager.TimeProvider.GetUtcNow());
        #endregion
        return purged;
    }
}
