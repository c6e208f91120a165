using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenIssuerTests
{
    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Issue_Default_WritesRfc9068HeaderAndClaims(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        SessionId sid = SessionId.Parse(Base64UrlStrict.Encode(new byte[32]));
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "user-1", SessionId = sid, SecurityEpoch = 7 });
        string[] parts = token.Split('.');

        using JsonDocument header = JsonDocument.Parse(Base64UrlStrict.TryDecode(parts[0])!);
        using JsonDocument payload = JsonDocument.Parse(Base64UrlStrict.TryDecode(parts[1])!);
        long now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();

        Assert.Equal(3, parts.Length);
        Assert.Equal(algorithm, header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal(fixture.Key.KeyId, header.RootElement.GetProperty("kid").GetString());
        JsonElement claims = payload.RootElement;
        Assert.Equal(JwtFixture.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("user-1", claims.GetProperty("sub").GetString());
        Assert.Equal(JwtFixture.Audience, claims.GetProperty("aud").GetString());
        Assert.Equal(now, claims.GetProperty("iat").GetInt64());
        Assert.Equal(now, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(now + (15 * 60), claims.GetProperty("exp").GetInt64());
        Assert.Equal(22, claims.GetProperty("jti").GetString()!.Length);
        Assert.Equal(JwtFixture.ClientId, claims.GetProperty("client_id").GetString());
        Assert.Equal(sid.ToString(), claims.GetProperty("sid").GetString());
        Assert.Equal(7, claims.GetProperty("sc_epoch").GetInt64());
        foreach (string absent in (string[])["scope", "auth_time", "acr", "amr", "cnf"])
        {
            Assert.False(claims.TryGetProperty(absent, out _), absent);
        }
        Assert.Equal(fixture.Key.SignatureSize, Base64UrlStrict.TryDecode(parts[2])!.Length);
    }

    [Fact]
    public void Issue_TwoTokens_HaveDistinctJti()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);

        Assert.NotEqual(fixture.Validator.ValidateOffline(fixture.Issue()).Value.TokenId, fixture.Validator.ValidateOffline(fixture.Issue()).Value.TokenId);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("user_password")]
    [InlineData("newPasswordHash")]
    [InlineData("pwd")]
    [InlineData("client_secret")]
    [InlineData("creditCardNumber")]
    [InlineData("credit-card")]
    [InlineData("ssn")]
    [InlineData("user_ssn")]
    [InlineData("privateKey")]
    [InlineData("PRIVATE_KEY")]
    public void Issue_SecretLookingClaimName_ThrowsArgument(string name)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        ArgumentException error = Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest
        {
            Subject = "u",
            Claims = new Dictionary<string, object> { [name] = "hunter2" },
        }));
        Assert.Contains("can read", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("jti")]
    [InlineData("sid")]
    [InlineData("sc_epoch")]
    [InlineData("client_id")]
    [InlineData("scope")]
    [InlineData("auth_time")]
    [InlineData("acr")]
    [InlineData("amr")]
    [InlineData("cnf")]
    [InlineData("typ")]
    public void Issue_ReservedClaimName_ThrowsArgument(string name)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Claims = new Dictionary<string, object> { [name] = "x" } }));
    }

    [Fact]
    public void Issue_OrdinaryCustomClaims_AreWrittenAndReadable()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest
        {
            Subject = "u",
            Claims = new Dictionary<string, object>
            {
                ["role"] = "admin",
                ["className"] = "gold",
                ["shipping"] = true,
                ["tier"] = 3,
                ["groups"] = new List<string> { "buyers", "auditors" },
            },
        });

        AccessTokenClaims claims = fixture.Validator.ValidateOffline(token).Value;

        Assert.True(claims.TryGetClaim("role", out JsonElement role));
        Assert.Equal("admin", role.GetString());
        Assert.True(claims.TryGetClaim("groups", out JsonElement groups));
        Assert.Equal(2, groups.GetArrayLength());
        Assert.True(claims.TryGetClaim("tier", out JsonElement tier));
        Assert.Equal(3, tier.GetInt32());
    }

    [Fact]
    public void Issue_ConfiguredForbiddenFragment_IsRefused()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.ForbiddenClaimNameFragments.Add("salary"));

        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Claims = new Dictionary<string, object> { ["annualSalary"] = 1 } }));
    }

    [Fact]
    public void Issue_UnsupportedClaimValue_ThrowsArgument()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Claims = new Dictionary<string, object> { ["when"] = DateTime.MinValue } }));
        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Claims = new Dictionary<string, object> { ["n"] = double.NaN } }));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(61)]
    public void Issue_LifetimeOutOfBounds_ThrowsArgumentOutOfRange(int minutes)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Lifetime = TimeSpan.FromMinutes(minutes) }));
    }

    [Fact]
    public void Issue_TooManyClaims_ThrowsArgumentRatherThanIssueAnUnacceptableToken()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.MaxTokenLength = 1024);

        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", Claims = new Dictionary<string, object> { ["note"] = new string('a', 2000) } }));
    }

    [Fact]
    public void TryIssue_SmallBuffer_ReturnsFalse_LargeBuffer_WritesValidToken()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        AccessTokenRequest request = new() { Subject = "u" };

        Assert.False(fixture.Issuer_.TryIssue(request, new byte[16], out int none));
        Assert.Equal(0, none);

        byte[] buffer = new byte[2048];
        Assert.True(fixture.Issuer_.TryIssue(request, buffer, out int written));
        Assert.True(fixture.Validator.ValidateOffline(buffer.AsSpan(0, written)).IsSuccess);
        Assert.True(fixture.Validator.ValidateOffline(Encoding.ASCII.GetString(buffer, 0, written)).IsSuccess);
    }

    [Theory]
    [InlineData(null, "a")]
    [InlineData("i", null)]
    public void Build_MissingIssuerOrAudience_ThrowsArgument(string? issuer, string? audience)
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AccessTokenBuilder builder = new() { KeyRing = new SigningKeyRing(key), Options = { Issuer = issuer, Audience = audience, DefaultClientId = "c" } };

        Assert.Throws<ArgumentException>(builder.BuildIssuer);
    }

    [Fact]
    public void BuildValidator_OnlineWithoutStore_ThrowsInvalidOperation()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AccessTokenBuilder builder = new() { KeyRing = new SigningKeyRing(key), Options = { Issuer = "i", Audience = "a" } };

        Assert.Throws<InvalidOperationException>(builder.BuildValidator);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Build_ClockSkewOutOfBounds_ThrowsArgumentOutOfRange(int minutes)
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AccessTokenBuilder builder = new() { KeyRing = new SigningKeyRing(key), Options = { Issuer = "i", Audience = "a", DefaultClientId = "c", ClockSkew = TimeSpan.FromMinutes(minutes) + TimeSpan.FromMinutes(minutes == 0 ? -1 : 0) } };

        Assert.Throws<ArgumentOutOfRangeException>(builder.BuildIssuer);
    }
}
