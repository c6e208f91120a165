using System;
using System.Text;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenValidatorTests
{
    private const AccessTokenValidationStatus Malformed = AccessTokenValidationStatus.Malformed;

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_IssuedToken_IsValidWithClaims(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));

        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(fixture.Issue("alice"));

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("alice", result.Value.Subject);
        Assert.Equal(JwtFixture.Issuer, result.Value.Issuer);
        Assert.Equal(JwtFixture.Audience, result.Value.Audience);
        Assert.Same(fixture.Key, result.Value.Key);
        Assert.Equal(fixture.Time.GetUtcNow().AddMinutes(15), result.Value.ExpiresAt);
    }

    [Fact]
    public void Validate_CraftedDefaultToken_IsValid()
    {
        // Guards the other tests: the crafted baseline passes, so each variant fails only for its defect.
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Equal(AccessTokenValidationStatus.Valid, fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..sig")]
    public void Validate_WrongShape_IsMalformed(string token)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(token).Status);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_EncodingDefects_AreMalformed(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        string token = fixture.Issue();
        string[] p = token.Split('.');

        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + "=." + p[1] + "." + p[2]).Status);          // padding
        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + "." + p[1] + "." + p[2] + "==").Status);
        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + "." + p[1].Replace('-', '+').Replace('_', '/') + "+." + p[2]).Status);
        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + " ." + p[1] + "." + p[2]).Status);         // white space
        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + "." + p[1] + "é." + p[2]).Status);         // non-ASCII
        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(p[0] + "." + p[1] + "." + p[2][..^1] + NonCanonicalLast(p[2][^1])).Status);
        Assert.Equal(AccessTokenValidationStatus.Valid, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_Oversize_IsTooLarge()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.MaxTokenLength = 1024);

        Assert.Equal(AccessTokenValidationStatus.TooLarge, fixture.Validator.ValidateOffline(new string('a', 1025)).Status);
        Assert.Equal(AccessTokenValidationStatus.TooLarge, fixture.Validator.ValidateOffline(new byte[1025]).Status);
    }

    [Theory]
    [InlineData("""{"alg":"ES256","alg":"ES256","typ":"at+jwt","kid":"K"}""", "P")]
    [InlineData("""{"alg":"ES256","\u0061lg":"ES256","typ":"at+jwt","kid":"K"}""", "P")]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","x":{"a":1,"a":2}}""", "P")]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","x":[{"a":1},{"b":{"c":1,"c":1}}]}""", "P")]
    [InlineData("H", """{"iss":"x","iss":"y"}""")]
    [InlineData("H", """{"sub":"u","ctx":{"deep":{"deeper":{"v":1,"v":2}}}}""")]
    [InlineData("""["alg","ES256"]""", "P")]
    [InlineData("H", "[1,2,3]")]
    [InlineData("H", "\"text\"")]
    [InlineData("H", "{\"a\":1} {\"b\":2}")]
    [InlineData("H", "{\"a\":1,}")]
    [InlineData("H", "{\"a\":1 /* c */}")]
    public void Validate_DuplicateMembersOrNonObjectJson_IsMalformed(string header, string payload)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        header = header == "H" ? fixture.DefaultHeader : header.Replace("\"K\"", "\"" + fixture.Key.KeyId + "\"", StringComparison.Ordinal);
        payload = payload == "P" ? fixture.DefaultPayload : payload;

        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(fixture.Craft(header, payload)).Status);
    }

    [Fact]
    public void Validate_DuplicateIssuerInRealPayload_IsMalformed()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        string payload = fixture.DefaultPayload.Replace("{\"iss\":", "{\"iss\":\"evil\",\"iss\":", StringComparison.Ordinal);

        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, payload)).Status);
    }

    [Theory]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","crit":["exp"]}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","jku":"https://evil.example/jwks"}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","x5u":"https://evil.example/cert"}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","jwk":{"kty":"EC"}}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","x5c":["MIIB"]}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","b64":false}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"K","zip":"DEF"}""", AccessTokenValidationStatus.ForbiddenHeader)]
    [InlineData("""{"alg":"ES256","typ":"JWT","kid":"K"}""", AccessTokenValidationStatus.WrongType)]
    [InlineData("""{"alg":"ES256","kid":"K"}""", AccessTokenValidationStatus.WrongType)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt"}""", AccessTokenValidationStatus.MissingKeyId)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":"unknown"}""", AccessTokenValidationStatus.UnknownKey)]
    [InlineData("""{"alg":"ES256","typ":"at+jwt","kid":7}""", AccessTokenValidationStatus.UnknownKey)]
    [InlineData("""{"alg":"EdDSA","typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.AlgorithmMismatch)]
    [InlineData("""{"alg":"HS256","typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.UnsupportedAlgorithm)]
    [InlineData("""{"alg":"none","typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.UnsupportedAlgorithm)]
    [InlineData("""{"alg":"es256","typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.UnsupportedAlgorithm)]
    [InlineData("""{"alg":{"x":"ES256"},"typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.UnsupportedAlgorithm)]
    [InlineData("""{"typ":"at+jwt","kid":"K"}""", AccessTokenValidationStatus.UnsupportedAlgorithm)]
    [InlineData("""{"alg":"ES256","typ":"application/AT+JWT","kid":"K","cty":"x"}""", AccessTokenValidationStatus.Valid)]
    public void Validate_HeaderDefects_AreRefused(string header, AccessTokenValidationStatus expected)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        header = header.Replace("\"K\"", "\"" + fixture.Key.KeyId + "\"", StringComparison.Ordinal);

        Assert.Equal(expected, fixture.Validator.ValidateOffline(fixture.Craft(header, fixture.DefaultPayload)).Status);
    }

    [Fact]
    public void Validate_EdDsaKeyWithEs256Header_IsAlgorithmMismatch()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        string header = $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{fixture.Key.KeyId}}"}""";

        Assert.Equal(AccessTokenValidationStatus.AlgorithmMismatch, fixture.Validator.ValidateOffline(fixture.Craft(header, fixture.DefaultPayload)).Status);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_SignatureDefects_AreInvalidSignature(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        string token = fixture.Issue();
        int dot = token.LastIndexOf('.');
        byte[] signature = Base64UrlStrict.TryDecode(token.AsSpan(dot + 1))!;

        // One byte short or long (for RSA also with a leading zero added or dropped), DER-wrapped, or all zeros.
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode(signature.AsSpan(0, signature.Length - 1))).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode(signature.AsSpan(1))).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode([.. signature, 0])).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode([0, .. signature])).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode(DerHelper.ToDer(signature))).Status);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..(dot + 1)] + Base64UrlStrict.Encode(new byte[fixture.Key.SignatureSize])).Status);
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
    }

    [Theory]
    [InlineData("exp", "1.5")]
    [InlineData("exp", "\"1900000000\"")]
    [InlineData("exp", "1e10")]
    [InlineData("exp", "-1")]
    [InlineData("exp", "99999999999999999999")]
    [InlineData("iat", "1.0")]
    [InlineData("nbf", "true")]
    [InlineData("iss", "1")]
    [InlineData("sub", "null")]
    [InlineData("aud", "[\"api://orders\",1]")]
    [InlineData("aud", "{}")]
    [InlineData("sid", "\"not-a-session-id\"")]
    [InlineData("sc_epoch", "1.5")]
    public void Validate_ClaimOfWrongType_IsMalformed(string name, string json)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Equal(Malformed, fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, WithClaim(fixture.DefaultPayload, name, json))).Status);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("jti")]
    public void Validate_MissingRequiredClaim_IsMissingClaim(string name)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Equal(AccessTokenValidationStatus.MissingClaim, fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, WithClaim(fixture.DefaultPayload, name, null))).Status);
    }

    [Fact]
    public void Validate_IssuerAndAudience_AreEnforced()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        string Check(string name, string json) => fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, WithClaim(fixture.DefaultPayload, name, json))).Status.ToString();

        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidIssuer), Check("iss", "\"https://evil.example\""));
        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidAudience), Check("aud", "\"api://other\""));
        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidAudience), Check("aud", "[\"api://other\"]"));
        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidAudience), Check("aud", "[]"));
        Assert.Equal(nameof(AccessTokenValidationStatus.Valid), Check("aud", "[\"api://other\",\"api://orders\"]"));
    }

    [Fact]
    public void Validate_Times_RespectClockSkewBounds()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        long now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        string Check(string name, long value) => fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, WithClaim(fixture.DefaultPayload, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Status.ToString();

        Assert.Equal(nameof(AccessTokenValidationStatus.Valid), Check("exp", now - 29));
        Assert.Equal(nameof(AccessTokenValidationStatus.Expired), Check("exp", now - 30));
        Assert.Equal(nameof(AccessTokenValidationStatus.Valid), Check("nbf", now + 30));
        Assert.Equal(nameof(AccessTokenValidationStatus.NotYetValid), Check("nbf", now + 31));
        Assert.Equal(nameof(AccessTokenValidationStatus.Valid), Check("iat", now + 30));
        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidLifetime), Check("iat", now + 31));
        Assert.Equal(nameof(AccessTokenValidationStatus.InvalidLifetime), Check("exp", now + 3601));
    }

    [Fact]
    public void Validate_IssuedTokenAfterExpiry_IsExpired()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        string token = fixture.Issue();

        fixture.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AccessTokenValidationStatus.Expired, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Result_Failure_ValueThrowsAndTryGetValueIsFalse()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        AccessTokenValidationResult result = fixture.Validator.ValidateOffline("junk");

        Assert.False(result.IsSuccess);
        Assert.False(result.TryGetValue(out AccessTokenClaims? claims));
        Assert.Null(claims);
        Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Equal("Malformed", result.ToString());
    }

    [Fact]
    public void Validate_DisposedKeyStillInRing_IsRefusedNotThrown()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string token = fixture.Issue();
        fixture.Key.Dispose();

        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token).Status);
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void IssueAndValidate_FromManyThreads_AllSucceed(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm), o => o.SignatureCacheSize = 64);
        int failures = 0;

        System.Threading.Tasks.Parallel.For(0, 400, i =>
        {
            string token = fixture.Issue("user-" + (i % 50));
            if (!fixture.Validator.ValidateOffline(token).IsSuccess || !fixture.Validator.ValidateOffline(token).IsSuccess)
            {
                System.Threading.Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    internal static string WithClaim(string payload, string name, string? json)
    {
        using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(payload);
        StringBuilder builder = new("{");
        bool replaced = false;
        foreach (System.Text.Json.JsonProperty property in document.RootElement.EnumerateObject())
        {
            string value = property.Value.GetRawText();
            if (property.Name == name)
            {
                replaced = true;
                if (json is null)
                {
                    continue;
                }

                value = json;
            }

            builder.Append(builder.Length > 1 ? "," : string.Empty).Append('"').Append(property.Name).Append("\":").Append(value);
        }

        if (!replaced && json is not null)
        {
            builder.Append(",\"").Append(name).Append("\":").Append(json);
        }

        return builder.Append('}').ToString();
    }

    private static char NonCanonicalLast(char last)
    {
        // Setting an unused low bit of the final character keeps the decoded bytes but breaks canonical form.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
    }
}
