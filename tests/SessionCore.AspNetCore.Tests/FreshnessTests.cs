using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class FreshnessTests
{
    [Fact]
    public async Task RequireFreshSession_OldAuthentication_Returns403UntilReauthenticated()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();
        using HttpResponseMessage justSignedIn = await app.SendAsync(HttpMethod.Get, "/fresh", login.Cookie);

        app.Time.Advance(TimeSpan.FromMinutes(6));
        using HttpResponseMessage stale = await app.SendAsync(HttpMethod.Get, "/fresh", login.Cookie);
        using HttpResponseMessage elevate = await app.SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf);
        string reauthenticated = Http.CookieValue(Http.SetCookie(elevate, TestApp.SessionCookie)!);
        using HttpResponseMessage fresh = await app.SendAsync(HttpMethod.Get, "/fresh", reauthenticated);

        Assert.Equal(HttpStatusCode.OK, justSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task RequireAuthenticationLevel_LevelOne_Returns403UntilStepUp()
    {
        await using TestApp app = await TestApp.StartAsync();
        Login login = await app.LoginAsync();

        using HttpResponseMessage before = await app.SendAsync(HttpMethod.Get, "/level2", login.Cookie);
        using HttpResponseMessage elevate = await app.SendAsync(HttpMethod.Post, "/elevate", login.Cookie, login.Csrf);
        using HttpResponseMessage after = await app.SendAsync(HttpMethod.Get, "/level2", Http.CookieValue(Http.SetCookie(elevate, TestApp.SessionCookie)!));
        using HttpResponseMessage anonymous = await app.SendAsync(HttpMethod.Get, "/level2");

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
