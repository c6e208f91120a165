using System.Text.Json.Nodes;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Interop;

/// <summary>
/// Interoperability with the npm package jose (tests/js pins 6.2.17), for ES256, EdDSA, RS256 and PS256: tokens
/// we issue verify in jose's jwtVerify against our JWKS with issuer, audience, typ, algorithm and the RFC 9068
/// claims (client_id included) pinned, and tokens jose signs with our exported private JWKs validate here;
/// jose's tokens under a stranger key, the wrong audience, or an RSA key used with the other RSA algorithm do not.
/// </summary>
public sealed class JoseInteropTests(JoseFixture fixture) : IClassFixture<JoseFixture>
{
    [Theory]
    [InlineData("es256", "ES256", "alice")]
    [InlineData("eddsa", "EdDSA", "bob")]
    [InlineData("rs256", "RS256", "dave")]
    [InlineData("ps256", "PS256", "erin")]
    public void Issue_TokenWeIssue_VerifiesInJose(string name, string algorithm, string subject)
    {
        JsonNode verdict = Verdict(name);

        Assert.True((bool)verdict["ok"]!, (string?)verdict["error"]);
        Assert.Equal(algorithm, (string?)verdict["header"]!["alg"]);
        Assert.Equal("at+jwt", (string?)verdict["header"]!["typ"]);
        Assert.Equal(KeyOf(name).KeyId, (string?)verdict["header"]!["kid"]);
        Assert.Equal(subject, (string?)verdict["payload"]!["sub"]);
        Assert.Equal("orders:read", (string?)verdict["payload"]!["scope"]);
        Assert.Equal(JoseFixture.ClientId, (string?)verdict["payload"]!["client_id"]);
    }

    [Theory]
    [InlineData("es256-tampered", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")]
    [InlineData("rs256-tampered", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")]
    [InlineData("ps256-tampered", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")]
    [InlineData("es256-other-audience", "ERR_JWT_CLAIM_VALIDATION_FAILED")]
    [InlineData("eddsa-algorithm-not-allowed", "ERR_JOSE_ALG_NOT_ALLOWED")]
    [InlineData("rs256-as-ps256-not-allowed", "ERR_JOSE_ALG_NOT_ALLOWED")]
    [InlineData("ps256-as-rs256-not-allowed", "ERR_JOSE_ALG_NOT_ALLOWED")]
    public void Issue_TokenJoseMustRefuse_IsRefusedByJose(string name, string code)
    {
        JsonNode verdict = Verdict(name);

        Assert.False((bool)verdict["ok"]!);
        Assert.Equal(code, (string?)verdict["code"]);
    }

    [Theory]
    [InlineData("es256")]
    [InlineData("eddsa")]
    [InlineData("rs256")]
    [InlineData("ps256")]
    public void ValidateOffline_TokenJoseSignedWithOurKey_IsValid(string name)
    {
        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(JoseToken(name));

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("carol", result.Value.Subject);
        Assert.Equal("jose-" + name, result.Value.TokenId);
        Assert.Equal(JoseFixture.Issuer, result.Value.Issuer);
        Assert.Equal("orders:write", result.Value.Scope);
        Assert.Equal("jose-client", result.Value.ClientId);
        Assert.Equal(KeyOf(name).KeyId, result.Value.Key.KeyId);
    }

    [Theory]
    [InlineData("es256-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("eddsa-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("es256-wrong-audience", AccessTokenValidationStatus.InvalidAudience)]
    [InlineData("es256-no-typ", AccessTokenValidationStatus.WrongType)]
    [InlineData("eddsa-expired", AccessTokenValidationStatus.Expired)]
    [InlineData("rs256-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("ps256-stranger-key", AccessTokenValidationStatus.InvalidSignature)]
    [InlineData("rs256-key-signs-ps256", AccessTokenValidationStatus.AlgorithmMismatch)]
    [InlineData("ps256-key-signs-rs256", AccessTokenValidationStatus.AlgorithmMismatch)]
    [InlineData("ps256-wrong-audience", AccessTokenValidationStatus.InvalidAudience)]
    public void ValidateOffline_TokenJoseSignedWrongly_IsRefused(string name, AccessTokenValidationStatus expected)
    {
        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(JoseToken(name));

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Status);
    }

    private SigningKey KeyOf(string name) => name switch
    {
        "es256" => fixture.Es256,
        "eddsa" => fixture.EdDsa,
        "rs256" => fixture.Rs256,
        _ => fixture.Ps256,
    };

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
