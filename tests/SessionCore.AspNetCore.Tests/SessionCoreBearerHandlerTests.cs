using System;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed partial class SessionCoreBearerHandlerTests
{
    [Fact]
    public async Task Authenticate_ValidToken_Returns200WithSubjectSessionAndClient()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Http.JsonAsync(response);
        Assert.Equal("alice", json.GetProperty("sub").GetString());
        Assert.Equal(43, json.GetProperty("sid").GetString()!.Length);
        Assert.Equal("test-client", json.GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task Authenticate_NoCredentials_Returns401WithPlainChallenge()
    {
        await using TestApp app = await TestApp.StartAsync();

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/api/me?access_token={0}")]
    [InlineData("/api/me?token={0}")]
    [InlineData("/api/me?x={0}")]
    public async Task Authenticate_TokenInQueryString_Returns400InvalidRequestEvenWithAValidHeader(string path)
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, access), bearer: access);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_request\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Authenticate_SessionRevoked_Returns401InvalidToken()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        await app.Sessions.RevokeAllAsync("alice", Sessions.RevocationReason.Administrative, cancellationToken: TestContext.Current.CancellationToken);
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("{\"error\":\"invalid_token\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Authenticate_StoreFailsDuringOnlineValidation_Returns503NotAuthenticated()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);

        app.Store.Fail = true;
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Authenticate_KeyBoundTokenPresentedAsBearer_Returns401()
    {
        // A token with a confirmation (cnf.jkt, RFC 9449) signed by the server's own key: valid in every other way,
        // but presenting it as Bearer would skip the proof of possession.
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = ec.ExportParameters(includePrivateParameters: true);
        string jwk = $"{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{B64(p.Q.X!)}\",\"y\":\"{B64(p.Q.Y!)}\",\"d\":\"{B64(p.D!)}\"}}";
        using SigningKey key = SigningKey.ImportJwk(jwk);
        await using TestApp app = await TestApp.StartAsync(key: key);
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);
        string[] parts = access.Split('.');
        using JsonDocument payload = JsonDocument.Parse(Convert.FromBase64String(Pad(parts[1])));
        string bound = payload.RootElement.GetRawText()[..^1] + ",\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}}";
        string signingInput = parts[0] + "." + B64(Encoding.UTF8.GetBytes(bound));
        string forgedByServerKey = signingInput + "." + B64(ec.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
        string unbound = parts[0] + "." + parts[1] + "." + B64(ec.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256));

        using HttpResponseMessage boundResponse = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: forgedByServerKey);
        using HttpResponseMessage unboundResponse = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: unbound);

        Assert.Equal(HttpStatusCode.Unauthorized, boundResponse.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", boundResponse.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, unboundResponse.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode, string> HostileAuthorization() => new()
    {
        { "Bearer", HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer ", HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer a b", HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer \"quoted\"", HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer @@@", HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer " + new string('a', 9000), HttpStatusCode.BadRequest, "Bearer error=\"invalid_request\"" },
        { "Bearer not-a-jwt", HttpStatusCode.Unauthorized, "Bearer error=\"invalid_token\"" },
        { "Bearer a.b.c", HttpStatusCode.Unauthorized, "Bearer error=\"invalid_token\"" },
        { "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", HttpStatusCode.Unauthorized, "Bearer error=\"invalid_token\"" },
        { "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.AAAA", HttpStatusCode.Unauthorized, "Bearer error=\"invalid_token\"" },
        { "Basic YWxpY2U6cHc=", HttpStatusCode.Unauthorized, "Bearer" },
        { "DPoP abc", HttpStatusCode.Unauthorized, "Bearer" },
        { "bearer abc", HttpStatusCode.Unauthorized, "Bearer error=\"invalid_token\"" },
    };

    [Theory]
    [MemberData(nameof(HostileAuthorization))]
    public async Task Authenticate_HostileAuthorizationHeader_AnswersExactStatusAndChallenge(string header, HttpStatusCode expected, string challenge)
    {
        await using TestApp app = await TestApp.StartAsync();
        using HttpRequestMessage request = new(HttpMethod.Get, "/api/me");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", header));

        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Authenticate_TwoAuthorizationHeaders_Returns400()
    {
        await using TestApp app = await TestApp.StartAsync();
        (string access, _) = await OAuthEndpointTests.GrantAsync(app);
        using HttpRequestMessage request = new(HttpMethod.Get, "/api/me");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + access, "Bearer " + access]));

        using HttpResponseMessage response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string b64url)
    {
        string s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
