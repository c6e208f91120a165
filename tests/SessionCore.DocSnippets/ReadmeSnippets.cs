using System;
using System.Threading.Tasks;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;

namespace SessionCore.DocSnippets;

/// <summary>The ten-line example of README.md.</summary>
public static class ReadmeSnippets
{
    /// <summary>Runs the README example; returns what a host would send back at each step.</summary>
    public static async Task<(string SetCookie, SessionValidationStatus Check, SessionOperationStatus SignOut)> TenLinesAsync(string databaseFile, string? cookieFromRequest)
    {
        using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = databaseFile });
        #region snippet_ReadmeTenLines
        var sessions = new SessionManagerBuilder { Store = store }.Build();   // store: a LiteDbSessionStore, say

        SignInResult signIn = await sessions.SignInAsync(new SignInRequest("alice") { PresentedToken = cookieFromRequest });
        string setCookie = new SessionCookieBuilder().Build(signIn.Value, signIn.Session!, DateTimeOffset.UtcNow);

        SessionValidationResult check = await sessions.ValidateAsync(signIn.Value.Reveal());   // typed outcome, never throws on junk
        Console.WriteLine(check.IsValid ? $"hello {check.Value.UserId}" : $"401: {check.Status}");

        var stepUp = await sessions.RegenerateAsync(signIn.Value.Reveal(), new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
        var changed = await sessions.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, keep: stepUp.Value.Reveal());
        SessionOperationStatus signOut = await sessions.RevokeAsync(changed.Kept!.Value.Reveal());
        #endregion
        return (setCookie, check.Status, signOut);
    }
}
