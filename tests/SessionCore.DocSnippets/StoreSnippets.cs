using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;

namespace SessionCore.DocSnippets;

/// <summary>The code of concepts/stores.md.</summary>
public static class StoreSnippets
{
    public static async Task<SessionValidationStatus> LiteDbWithDependencyInjectionAsync(string path)
    {
        #region snippet_LiteDbStore
        ServiceCollection services = new();
        services.AddSessionCore(options => options.IdleTimeout = TimeSpan.FromMinutes(20))
            .AddLiteDbStore(store =>
            {
                store.FilePath = path;                          // created when missing; one process only
                store.PurgeInterval = TimeSpan.FromMinutes(10); // the default; null turns the timer off
            });

        await using ServiceProvider provider = services.BuildServiceProvider();
        SessionManager manager = provider.GetRequiredService<SessionManager>();
        #endregion
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"));
        return (await manager.ValidateAsync(signIn.Value)).Status;
    }

    public static async Task<SessionValidationStatus> LiteDbWithoutDependencyInjectionAsync(string path)
    {
        #region snippet_LiteDbStoreWithoutDi
        await using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = path });
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        #endregion
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"));
        return (await manager.ValidateAsync(signIn.Value)).Status;
    }
}
