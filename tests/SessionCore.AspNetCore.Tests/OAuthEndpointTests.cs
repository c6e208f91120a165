using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed partial class OAuthEndpointTests
{
    internal static async Task<(string Access, string Refresh)> GrantAsync(TestApp app, string user = "alice")
    {
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", TestApp.TestGrant.Type), ("user", user)), fetchSite: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Http.JsonAsync(response);
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    [Fact]
    public async Task Token_ExtensionGrantThenRefresh_RotatesAndAnswersNoStore()
    {
        await using TestApp app = await TestApp.StartAsync();
        (_, string refresh) = await GrantAsync(app);

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        JsonElement json = await Http.JsonAsync(response);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(900, json.GetProperty("expires_in").GetInt64());
        Assert.NotEqual(refresh, json.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Token_ReusedRefreshToken_InvalidGrantAndTheFamilyDies()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, string refresh) = await GrantAsync(app);
        using HttpResponseMessage first = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);
        string successor = (await Http.JsonAsync(first)).GetProperty("refresh_token").GetString()!;
        app.Time.Advance(System.TimeSpan.FromMinutes(2));

        using HttpResponseMessage reuse = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);
        using HttpResponseMessage next = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", successor)), fetchSite: null);
        using HttpResponseMessage api = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("{\"error\":\"invalid_grant\"}", await reuse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Revoke_RefreshToken_EndsTheGrantAndItsAccessTokens()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, string refresh) = await GrantAsync(app);

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/oauth/revoke", form: Http.Form(("token", refresh)), fetchSite: null);
        using HttpResponseMessage redeem = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);
        using HttpResponseMessage api = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, redeem.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Revoke_AccessToken_EndsItsSession()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, string refresh) = await GrantAsync(app);

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/oauth/revoke", form: Http.Form(("token", access)), fetchSite: null);
        using HttpResponseMessage api = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);
        using HttpResponseMessage redeem = await app.SendAsync(HttpMethod.Post, "/oauth/token", form: Http.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), fetchSite: null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, redeem.StatusCode);
    }

    [Theory]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]
    public async Task Revoke_UnknownToken_Returns200(string token)
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/oauth/revoke", form: Http.Form(("token", token)), fetchSite: null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
    }

    [Fact]
    public async Task Revoke_StoreFails_Returns503()
    {
        await using TestApp app = await TestApp.StartAsync();
        (_, string refresh) = await GrantAsync(app);

        app.Store.Fail = true;
        using HttpResponseMessage revoke = await app.SendAsync(HttpMethod.Post, "/oauth/revoke", form: Http.Form(("token", refresh)), fetchSite: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, revoke.StatusCode);
        Assert.Equal("{\"error\":\"temporarily_unavailable\"}", await revoke.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Metadata_PublishesEndpointsGrantsAndKeys()
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage metadata = await app.SendAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        using HttpResponseMessage jwks = await app.SendAsync(HttpMethod.Get, "/.well-known/jwks.json");

        JsonElement json = await Http.JsonAsync(metadata);
        Assert.Equal(TestApp.Issuer, json.GetProperty("issuer").GetString());
        Assert.Equal(TestApp.Issuer + "/oauth/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal(TestApp.Issuer + "/oauth/revoke", json.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(TestApp.Issuer + "/.well-known/jwks.json", json.GetProperty("jwks_uri").GetString());
        Assert.Equal(["refresh_token", TestApp.TestGrant.Type], json.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToArray());
        JsonElement key = Assert.Single((await Http.JsonAsync(jwks)).GetProperty("keys").EnumerateArray());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    public static TheoryData<string, string?, string, HttpStatusCode, string> HostileTokenRequests() => new()
    {
        { "/oauth/token", "application/json", "{\"grant_type\":\"refresh_token\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", null, "grant_type=refresh_token", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=password&username=a&password=b", HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=a&refresh_token=b", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&grant_type=refresh_token&refresh_token=a", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=garbage", HttpStatusCode.BadRequest, "invalid_grant" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.BadRequest, "invalid_grant" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=" + new string('a', 9000), HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 40).Select(i => $"k{i}=v")), HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=%ZZ&%%%", HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { "/oauth/token", "application/x-www-form-urlencoded", "grant_type=" + TestApp.TestGrant.Type, HttpStatusCode.BadRequest, "invalid_grant" },
        { "/oauth/token?refresh_token=abc", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=abc", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/token", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--x--", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/revoke", "application/x-www-form-urlencoded", "", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/revoke", "application/x-www-form-urlencoded", "token=a&token=b", HttpStatusCode.BadRequest, "invalid_request" },
        { "/oauth/revoke", "text/plain", "token=a", HttpStatusCode.BadRequest, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(HostileTokenRequests))]
    public async Task TokenAndRevoke_HostileForm_AnswersExactStatusAndError(string path, string? contentType, string body, HttpStatusCode expected, string error)
    {
        await using TestApp app = await TestApp.StartAsync();
        using HttpRequestMessage request = new(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        }

        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal($"{{\"error\":\"{error}\"}}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
