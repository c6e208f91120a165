using System.Threading.Tasks;
using SessionCore.DocSnippets;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the access-token and refresh-rotation code shown in docs/concepts/jwt.md and rotation.md.
public sealed class TokenSnippetsTests
{
    [Fact]
    public async Task AccessTokens_IssuedForLiveSession_ValidOnlineAndJwksIsPublic()
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);

        (string jwt, AccessTokenValidationStatus status, string jwks) = await TokenSnippets.AccessTokensAsync(manager, signIn.Session!);

        Assert.Equal(AccessTokenValidationStatus.Valid, status);
        Assert.Equal(3, jwt.Split('.').Length);
        Assert.Contains("\"kty\":\"EC\"", jwks, System.StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", jwks, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task RsaTokensWithMetadata_WritesTheRfc9068ClaimsAndTheAlgorithm()
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice") { AuthenticationLevel = 2 }, TestContext.Current.CancellationToken);

        (string metadata, string jwt) = TokenSnippets.RsaTokensWithMetadata(signIn.Session!);

        using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(metadata);
        Assert.Equal("RS256", document.RootElement.GetProperty("access_token_signing_alg_values_supported")[0].GetString());
        string payload = System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Pad(jwt.Split('.')[1])));
        Assert.Contains("\"client_id\":\"mobile-app\"", payload, System.StringComparison.Ordinal);
        Assert.Contains("\"acr\":\"urn:example:loa:2\"", payload, System.StringComparison.Ordinal);
        Assert.Contains("\"amr\":[\"pwd\",\"otp\"]", payload, System.StringComparison.Ordinal);
        Assert.Contains("\"auth_time\":", payload, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshRotation_IssueThenRedeem_RotatesAndHandsOutAnAccessToken()
    {
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AccessTokenIssuer issuer = new AccessTokenBuilder
        {
            KeyRing = new SigningKeyRing(key),
            Options = new AccessTokenOptions { Issuer = "https://login.example", Audience = "api", DefaultClientId = "web" },
        }.BuildIssuer();

        (RefreshTokenResult issued, RefreshTokenResult next) = await TokenSnippets.RefreshRotationAsync(manager, issuer, signIn.Value);

        Assert.Equal(RefreshTokenStatus.Issued, issued.Status);
        Assert.Equal(RefreshTokenStatus.Rotated, next.Status);
        Assert.NotNull(next.AccessToken);
        Assert.Equal(issued.FamilyId, next.FamilyId);
    }

    private static string Pad(string base64Url)
    {
        string s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
