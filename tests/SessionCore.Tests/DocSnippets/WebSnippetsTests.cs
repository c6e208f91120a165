using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the cookie and CSRF code shown in docs/getting-started.md and docs/concepts/policies.md.
public sealed class WebSnippetsTests
{
    [Fact]
    public async Task Cookies_SetCookieThenCookieHeader_ValidatesAndDeletionExpires()
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        string header = "theme=dark; __Host-session=" + signIn.Value.Reveal();

        (string setCookie, string deletion, SessionValidationStatus status) =
            await WebSnippets.CookiesAsync(manager, signIn.Value, signIn.Session!, header);

        Assert.Equal(SessionValidationStatus.Valid, status);
        Assert.Matches(@"^__Host-session=sc_[A-Za-z0-9_-]{43}; Max-Age=4319[0-9]; Path=/; Secure; HttpOnly; SameSite=Strict$", setCookie);
        Assert.Equal("__Host-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict", deletion);
    }

    [Fact]
    public async Task Cookies_JunkCookieHeader_IsNotValidAndNeverThrows()
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);

        (_, _, SessionValidationStatus status) = await WebSnippets.CookiesAsync(manager, signIn.Value, signIn.Session!, "__Host-session=a; __Host-session=b");

        Assert.Equal(SessionValidationStatus.Malformed, status);
    }

    [Theory]
    [InlineData("POST", "same-origin", "https://app.example.com", true)]
    [InlineData("POST", null, "https://app.example.com", true)]
    [InlineData("POST", "cross-site", "https://evil.example", false)]
    [InlineData("POST", "same-site", null, false)]
    [InlineData("POST", null, null, false)]
    public async Task Csrf_OriginChecks_AllowOnlySameOrigin(string method, string? secFetchSite, string? origin, bool expected)
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        byte[] key = RandomNumberGenerator.GetBytes(32);

        bool allowed = WebSnippets.Csrf(key, signIn.Session!, method, secFetchSite, origin, out string formToken);

        Assert.Equal(expected, allowed);
        Assert.Equal(86, formToken.Length);
    }

    [Fact]
    public async Task Freshness_StepUpThenAge_FreshOnlyWhileYoungAndStrongEnough()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore(), TimeProvider = time }.Build();
        string token = (await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value.Reveal();

        Assert.Equal(FreshnessStatus.StepUpRequired, await WebSnippets.FreshnessAsync(manager, token));
        string stepped = (await manager.RegenerateAsync(token, new SessionChange { AuthenticationLevel = 2, Reauthenticated = true }, TestContext.Current.CancellationToken)).Value.Reveal();
        Assert.Equal(FreshnessStatus.Fresh, await WebSnippets.FreshnessAsync(manager, stepped));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(FreshnessStatus.ReauthenticationRequired, await WebSnippets.FreshnessAsync(manager, stepped));
        Assert.Equal(FreshnessStatus.NotAuthenticated, await WebSnippets.FreshnessAsync(manager, "junk"));
    }
}
