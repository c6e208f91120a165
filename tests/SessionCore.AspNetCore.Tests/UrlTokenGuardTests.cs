using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class UrlTokenGuardTests
{
    [Theory]
    [InlineData("GET", "/me?session=abc", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/me?access_token=abc", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/me;jsessionid=abc", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/open?refresh_token=abc", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/nowhere/sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/open?page=2", HttpStatusCode.OK)]
    [InlineData("GET", "/nowhere", HttpStatusCode.NotFound)]
    public async Task Guard_UrlCarriesToken_Returns400BeforeAnyEndpoint(string method, string path, HttpStatusCode expected)
    {
        await using TestApp app = await TestApp.StartAsync(urlGuard: true);

        using HttpResponseMessage response = await app.SendAsync(new HttpMethod(method), path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("{\"error\":\"invalid_request\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.True(response.Headers.CacheControl?.NoStore);
        }
    }

    [Fact]
    public async Task Guard_SessionTokenAsQueryValue_Returns400EvenWithAValidCookie()
    {
        await using TestApp app = await TestApp.StartAsync(urlGuard: true);
        Login login = await app.LoginAsync();

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/me?q=" + login.Cookie, login.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
