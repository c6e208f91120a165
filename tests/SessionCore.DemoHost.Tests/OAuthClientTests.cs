using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// What standard OAuth clients and RFC 9068 resource servers rely on: the RFC 8414 metadata, client_id and scope
/// on the token endpoint and in every token (RFC 9068 §2.2), RFC 6749 §5.1 answers, and grants kept to their client
/// on refresh (§6) and revocation (RFC 7009 §2.1).
/// </summary>
public sealed class OAuthClientTests : IClassFixture<DemoHostFixture>, IDisposable
{
    private readonly DemoHostProcess _host;
    private readonly DemoClient _client;

    public OAuthClientTests(DemoHostFixture fixture)
    {
        _host = fixture.Host;
        _client = _host.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Metadata_DescribesTheEndpointsAndTheSigningAlgorithm()
    {
        using HttpResponseMessage response = await _client.GetAsync("/.well-known/oauth-authorization-server");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        JsonElement metadata = await DemoClient.JsonAsync(response);
        Assert.Equal(_host.Origin, metadata.GetProperty("issuer").GetString());
        Assert.Equal(_host.Origin + "/oauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(_host.Origin + "/oauth/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(_host.Origin + "/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(["password", "refresh_token"], Strings(metadata, "grant_types_supported"));
        Assert.Equal(["none"], Strings(metadata, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["none"], Strings(metadata, "revocation_endpoint_auth_methods_supported"));
        Assert.Equal(["profile"], Strings(metadata, "scopes_supported"));
        Assert.Equal(["ES256"], Strings(metadata, "access_token_signing_alg_values_supported"));
    }

    [Fact]
    public async Task PasswordGrant_ClientIdAndScope_AreInTheAnswerAndTheToken()
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", "alice-password"), ("client_id", "mobile-app"), ("scope", "profile"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        JsonElement json = await DemoClient.JsonAsync(response);
        Assert.Equal(["access_token", "token_type", "expires_in", "refresh_token", "scope"], json.EnumerateObject().Select(m => m.Name));
        Assert.Equal("profile", json.GetProperty("scope").GetString());
        JsonElement claims = Payload(json.GetProperty("access_token").GetString()!);
        Assert.Equal("mobile-app", claims.GetProperty("client_id").GetString());
        Assert.Equal("profile", claims.GetProperty("scope").GetString());
        Assert.True(claims.GetProperty("auth_time").GetInt64() <= claims.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task PasswordGrant_WithoutClientIdOrScope_GetsTheHostsDefaults()
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", "alice-password"));

        JsonElement json = await DemoClient.JsonAsync(response);
        JsonElement claims = Payload(json.GetProperty("access_token").GetString()!);
        Assert.Equal("demohost", claims.GetProperty("client_id").GetString());
        Assert.Equal("profile", claims.GetProperty("scope").GetString());
        Assert.Equal("profile", json.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("client_id", "two words", "invalid_request")]
    [InlineData("client_id", "", "invalid_request")]
    [InlineData("client_id", "caf\u00e9", "invalid_request")]
    [InlineData("scope", "admin", "invalid_scope")]
    [InlineData("scope", "profile admin", "invalid_scope")]
    [InlineData("scope", "profile  profile", "invalid_scope")]
    [InlineData("scope", "", "invalid_scope")]
    public async Task PasswordGrant_MalformedClientIdOrUnknownScope_Returns400(string name, string value, string error)
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", "alice-password"), (name, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task PasswordGrant_ClientIdOf129Characters_Returns400()
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", "alice-password"), ("client_id", new string('c', 129)));

        Assert.Equal("invalid_request", await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task RefreshGrant_KeepsTheGrantsClientAndScope()
    {
        (_, string refresh) = await GrantAsync("mobile-app");

        using HttpResponseMessage response = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh));

        JsonElement json = await DemoClient.JsonAsync(response);
        JsonElement claims = Payload(json.GetProperty("access_token").GetString()!);
        Assert.Equal("mobile-app", claims.GetProperty("client_id").GetString());
        Assert.Equal("profile", json.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task RefreshGrant_AnotherClient_IsInvalidGrantAndSpendsNothing()
    {
        (_, string refresh) = await GrantAsync("mobile-app");

        using HttpResponseMessage stolen = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "other-app"));
        using HttpResponseMessage owner = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "mobile-app"));

        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(stolen));
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task RefreshGrant_ScopeBeyondTheGrant_IsInvalidScopeAndSpendsNothing()
    {
        (_, string refresh) = await GrantAsync("mobile-app");

        using HttpResponseMessage wider = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "profile admin"));
        using HttpResponseMessage same = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "profile"));

        Assert.Equal("invalid_scope", await DemoClient.ErrorAsync(wider));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task Revoke_TokensOfAnotherClient_AreRefusedAndStayValid()
    {
        (string access, string refresh) = await GrantAsync("mobile-app");

        using HttpResponseMessage refreshRevoke = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh), ("client_id", "other-app")));
        using HttpResponseMessage accessRevoke = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", access), ("client_id", "other-app")));

        Assert.Equal(HttpStatusCode.BadRequest, refreshRevoke.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(refreshRevoke));
        Assert.Equal(HttpStatusCode.BadRequest, accessRevoke.StatusCode);
        using HttpResponseMessage me = await _client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using HttpResponseMessage refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "mobile-app"));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task Revoke_ByItsOwnClient_EndsTheGrant()
    {
        (string access, string refresh) = await GrantAsync("mobile-app");

        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh), ("client_id", "mobile-app")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using HttpResponseMessage me = await _client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Revoke_UnknownTokenNamingAClient_Returns200()
    {
        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", "scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("client_id", "mobile-app")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static JsonElement Payload(string token)
    {
        string segment = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        using JsonDocument document = JsonDocument.Parse(Convert.FromBase64String(segment + new string('=', (4 - (segment.Length % 4)) % 4)));
        return document.RootElement.Clone();
    }

    private static string?[] Strings(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString())];

    private Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] fields) =>
        _client.PostFormAsync("/oauth/token", DemoClient.Form(fields));

    private async Task<(string Access, string Refresh)> GrantAsync(string clientId)
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "bob"), ("password", "bob-password"), ("client_id", clientId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await DemoClient.JsonAsync(response);
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }
}
