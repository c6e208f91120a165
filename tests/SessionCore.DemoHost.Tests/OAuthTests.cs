using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>API tokens: RFC 6749 token endpoint, refresh rotation and reuse, RFC 7009 revocation, RFC 6750 bearer use, JWKS.</summary>
public sealed class OAuthTests : IClassFixture<DemoHostFixture>, IDisposable
{
    private readonly DemoHostProcess _host;
    private readonly DemoClient _client;

    public OAuthTests(DemoHostFixture fixture)
    {
        _host = fixture.Host;
        _client = _host.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task PasswordGrant_ValidCredentials_ReturnsBearerTokensUncached()
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", "alice-password"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        JsonElement json = await DemoClient.JsonAsync(response);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(900, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, json.GetProperty("access_token").GetString()!.Split('.').Length);
        Assert.StartsWith("scr_", json.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "alice-password")]
    public async Task PasswordGrant_BadCredentials_InvalidGrant(string user, string password)
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", user), ("password", password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(response));
    }

    [Theory]
    [InlineData("username=alice&password=alice-password", "invalid_request")]
    [InlineData("grant_type=password&username=alice", "invalid_request")]
    [InlineData("grant_type=refresh_token", "invalid_request")]
    [InlineData("grant_type=password&grant_type=refresh_token&username=alice&password=alice-password", "invalid_request")]
    [InlineData("grant_type=client_credentials", "unsupported_grant_type")]
    [InlineData("grant_type=authorization_code&code=x", "unsupported_grant_type")]
    [InlineData("grant_type=PASSWORD&username=alice&password=alice-password", "unsupported_grant_type")]
    public async Task TokenEndpoint_BadRequest_Returns400WithRfc6749Error(string body, string error)
    {
        using HttpResponseMessage response = await RawTokenAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task TokenEndpoint_CredentialsInQuery_Returns400()
    {
        using HttpResponseMessage response = await _client.PostFormAsync(
            "/oauth/token?grant_type=refresh_token&refresh_token=scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", DemoClient.Form(("grant_type", "refresh_token")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("token_in_url", await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task RefreshGrant_CurrentToken_RotatesAndIssuesWorkingAccessToken()
    {
        (string access, string refresh) = await PasswordGrantAsync();

        (string access2, string refresh2) = await RefreshAsync(refresh);

        Assert.NotEqual(refresh, refresh2);
        Assert.NotEqual(access, access2);
        Assert.Equal("alice", (await MeAsync(access2)).GetProperty("sub").GetString());
        (_, string refresh3) = await RefreshAsync(refresh2);
        Assert.NotEqual(refresh2, refresh3);
    }

    [Fact]
    public async Task RefreshGrant_ReusedOldToken_InvalidGrantAndFamilyCurrentTokenDies()
    {
        (string access, string first) = await PasswordGrantAsync();
        (string access2, string second) = await RefreshAsync(first);

        using HttpResponseMessage reuse = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", first));

        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(reuse));
        using HttpResponseMessage current = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", second));
        Assert.Equal(HttpStatusCode.BadRequest, current.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(current));
        await AssertInvalidTokenAsync(access);
        await AssertInvalidTokenAsync(access2);
        Assert.Contains("refresh token reuse", _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshGrant_TokenOfARevokedGrant_IsLoggedAsSuchNotAsReuse()
    {
        // A host of its own, so the log holds this test's lines only.
        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        using DemoClient client = host.CreateClient();
        using HttpResponseMessage granted = await client.PostFormAsync(
            "/oauth/token", DemoClient.Form(("grant_type", "password"), ("username", "alice"), ("password", "alice-password")));
        string refresh = (await DemoClient.JsonAsync(granted)).GetProperty("refresh_token").GetString()!;
        using HttpResponseMessage revoked = await client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh)));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        using HttpResponseMessage response = await client.PostFormAsync(
            "/oauth/token", DemoClient.Form(("grant_type", "refresh_token"), ("refresh_token", refresh)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(response));
        Assert.Contains("refresh token of a revoked grant presented", host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("reuse", host.Log, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("garbage")]
    [InlineData("scr_\u0000\u0001")]
    public async Task RefreshGrant_UnknownOrMalformedToken_InvalidGrant(string token)
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task Revoke_RefreshToken_EndsTheGrantAndItsAccessTokens()
    {
        (string access, string refresh) = await PasswordGrantAsync();

        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh), ("token_type_hint", "refresh_token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using HttpResponseMessage refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(refreshed));
        await AssertInvalidTokenAsync(access);
    }

    [Fact]
    public async Task Revoke_AccessToken_EndsTheGrant()
    {
        (string access, string refresh) = await PasswordGrantAsync();

        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", access)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertInvalidTokenAsync(access);
        using HttpResponseMessage refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.Equal("invalid_grant", await DemoClient.ErrorAsync(refreshed));
    }

    [Theory]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")]
    [InlineData("junk")]
    public async Task Revoke_UnknownOrInvalidToken_Returns200(string token)
    {
        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", token)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_AlreadyRevoked_Returns200Again()
    {
        (_, string refresh) = await PasswordGrantAsync();
        using HttpResponseMessage first = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh)));

        using HttpResponseMessage second = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token", refresh)));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Revoke_WithoutToken_Returns400InvalidRequest()
    {
        using HttpResponseMessage response = await _client.PostFormAsync("/oauth/revoke", DemoClient.Form(("token_type_hint", "refresh_token")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await DemoClient.ErrorAsync(response));
    }

    [Fact]
    public async Task Me_ValidBearer_ReturnsClaims()
    {
        (string access, _) = await PasswordGrantAsync();

        JsonElement claims = await MeAsync(access);

        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal(_host.Origin, claims.GetProperty("iss").GetString());
        Assert.Equal(43, claims.GetProperty("sid").GetString()!.Length);
        Assert.True(claims.TryGetProperty("sc_epoch", out _));
        Assert.True(claims.GetProperty("exp").GetInt64() > claims.GetProperty("iat").GetInt64());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=")]
    public async Task Me_WithoutBearer_Returns401ChallengeWithoutError(string? authorization)
    {
        (string, string)[] headers = authorization is null ? [] : [("Authorization", authorization)];

        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, headers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AuthenticationChallenge(response, out string challenge);
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("error=", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer abc.def.ghi")]
    [InlineData("Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJhbGljZSJ9.")]
    [InlineData("Bearer scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("bearer garbage")]
    public async Task Me_InvalidToken_Returns401InvalidToken(string authorization)
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, ("Authorization", authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AuthenticationChallenge(response, out string challenge);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_TamperedSignatureOrClaims_Returns401InvalidToken()
    {
        (string access, _) = await PasswordGrantAsync();
        string[] parts = access.Split('.');
        string claims = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))).Replace("\"alice\"", "\"bob\"", StringComparison.Ordinal);
        string forgedClaims = parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        char last = parts[2][^2] == 'A' ? 'B' : 'A';
        string forgedSignature = parts[0] + "." + parts[1] + "." + parts[2][..^2] + last + parts[2][^1];

        await AssertInvalidTokenAsync(forgedClaims);
        await AssertInvalidTokenAsync(forgedSignature);
        Assert.Equal("alice", (await MeAsync(access)).GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer ###")]
    [InlineData("Bearer a,b")]
    public async Task Me_MalformedAuthorization_Returns400InvalidRequest(string authorization)
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, ("Authorization", authorization));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AuthenticationChallenge(response, out string challenge);
        Assert.Contains("error=\"invalid_request\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_HugeAuthorization_Returns4xxAndHostKeepsServing()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, ("Authorization", "Bearer " + new string('a', 20000)));

        Assert.InRange((int)response.StatusCode, 400, 499);
        (string access, _) = await PasswordGrantAsync();
        Assert.Equal("alice", (await MeAsync(access)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Jwks_PublishesThePublicSigningKey()
    {
        (string access, _) = await PasswordGrantAsync();

        using HttpResponseMessage response = await _client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement key = Assert.Single((await DemoClient.JsonAsync(response)).GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        using JsonDocument header = JsonDocument.Parse(Convert.FromBase64String(Pad(access.Split('.')[0])));
        Assert.Equal(key.GetProperty("kid").GetString(), header.RootElement.GetProperty("kid").GetString());
        Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
    }

    [Fact]
    public async Task ApiGrant_ShowsInTheBrowserSessionList()
    {
        string browser = await _client.SignInAsync("alice", "alice-password");
        await PasswordGrantAsync();

        using HttpResponseMessage response = await _client.GetAsync("/api/sessions", browser);

        Assert.True((await DemoClient.JsonAsync(response)).GetArrayLength() >= 2);
    }

    private static string Pad(string base64Url)
    {
        string s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

    private static void AuthenticationChallenge(HttpResponseMessage response, out string challenge)
    {
        Assert.True(response.Headers.TryGetValues("WWW-Authenticate", out var values), "WWW-Authenticate missing");
        challenge = string.Join(", ", values);
    }

    private Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] fields) =>
        _client.PostFormAsync("/oauth/token", DemoClient.Form(fields));

    private Task<HttpResponseMessage> RawTokenAsync(string body)
    {
        HttpRequestMessage request = new(HttpMethod.Post, "/oauth/token") { Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded") };
        return _client.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<(string Access, string Refresh)> PasswordGrantAsync(string user = "alice", string password = "alice-password")
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "password"), ("username", user), ("password", password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await DemoClient.JsonAsync(response);
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    private async Task<(string Access, string Refresh)> RefreshAsync(string refresh)
    {
        using HttpResponseMessage response = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await DemoClient.JsonAsync(response);
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    private async Task<JsonElement> MeAsync(string access)
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await DemoClient.JsonAsync(response);
    }

    private async Task AssertInvalidTokenAsync(string access)
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/me", null, ("Authorization", "Bearer " + access));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AuthenticationChallenge(response, out string challenge);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }
}
