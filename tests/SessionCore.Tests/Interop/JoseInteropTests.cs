using System.Text.Json.Nodes;
using SessionCore.Jwt;
using Xunit;

namespace SessionCore.Tests.Interop;

/// <summary>
/// Interoperability with the npm package jose (tests/js pins 6.2.17): tokens we issue verify in jose's
/// jwtVerify against our JWKS with issuer, audience, typ and algorithm pinned, and tokens jose signs with
/// our exported private JWKs validate here; jose's tokens under a stranger key or the wrong audience do not.
/// </summary>
public sealed class JoseInteropTests(JoseFixture fixture) : IClassFixture<JoseFixture>
{
    [Theory]
    [InlineData("es256", "ES256", "alice")]
    [InlineData("eddsa", "EdDSA", "bob")]
    public void Issue_TokenWeIssue_VerifiesInJose(string name, string algorithm, string subject)
    {
        JsonNode verdict = Verdict(name);

        Assert.True((bool)verdict["ok"]!, (string?)verdict["error"]);
        Assert.Equal(algorithm, (string?)verdict["header"]!["alg"]);
        Assert.Equal("at+jwt", (string?)verdict["header"]!["typ"]);
        Assert.Equal(name == "es256" ? fixture.Es256.KeyId : fixture.EdDsa.KeyId, (string?)verdict["header"]!["kid"]);
        Assert.Equal(subject, (string?)verdict["payload"]!["sub"]);
        Assert.Equal("orders:read", (string?)verdict["payload"]!["scope"]);
    }

    [Theory]
    [InlineData("es256-tampered", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")]
    [InlineData("es256-other-audience", "ERR_JWT_CLAIM_VALIDATION_FAILED")]
    [InlineData("eddsa-algorithm-not-allowed", "ERR_JOSE_ALG_NOT_ALLOWED")]
    public void Issue_TokenJoseMustRefuse_IsRefusedByJose(string name, string code)
    {
        JsonNode verdict = Verdict(name);

        Assert.False((bool)verdict["ok"]!);
        Assert.Equal(code, (string?)verdict["code"]);
    }

    [Theory]
    [InlineData("es256")]
    [InlineData("eddsa")]
    public void ValidateOffline_TokenJoseSignedWithOurKey_IsValid(string name)
    {
        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(JoseToken(name));

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("carol", result.Value.Subject);
        Assert.Equal("jose-" + name, result.Value.TokenId);
        Assert.Equal(JoseFixture.Issuer, result.Value.Issuer);
        Assert.Equal(name == "es256" ? fixture.Es256.KeyId : fixture.EdDsa.KeyId, result.Value.Key.KeyId);
    }

    [Theory]
    [InlineData("es256-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("eddsa-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("es256-wrong-audience", AccessTokenValidationStatus.InvalidAudience)]
    [InlineData("es256-no-typ", AccessTokenValidationStatus.WrongType)]
    [InlineData("eddsa-expired", AccessTokenValidationStatus.Expired)]
    public void ValidateOffline_TokenJoseSignedWrongly_IsRefused(string name, AccessTokenValidationStatus expected)
    {
        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(JoseToken(name));

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Status);
    }

    private JsonNode Verdict(string name)
    {
        SkipIfNoNode();
        return fixture.JoseVerdicts[name];
    }

    private void SkipIfNoNode()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private string JoseToken(string name)
    {
        SkipIfNoNode();
        return fixture.JoseTokens[name];
    }
}
