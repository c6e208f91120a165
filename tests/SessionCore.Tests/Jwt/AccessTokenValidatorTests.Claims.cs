using System;
using System.Linq;
using System.Text.Json;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>The RFC 9068 claims on validation: exposed, typed strictly, and client_id and scope requirable.</summary>
public sealed class AccessTokenValidatorClaimsTests
{
    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Validate_IssuedToken_ExposesTheRfc9068Claims(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm), o => o.AuthenticationContextClassByLevel[2] = "urn:example:loa:2");
        DateTimeOffset authenticatedAt = fixture.Time.GetUtcNow().AddMinutes(-3);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest
        {
            Subject = "alice",
            ClientId = "mobile-app",
            Scope = "orders:read orders:write",
            AuthenticationTime = authenticatedAt,
            AuthenticationLevel = 2,
            AuthenticationMethods = ["pwd", "otp"],
        });

        AccessTokenClaims claims = fixture.Validator.ValidateOffline(token).Value;

        Assert.Equal("mobile-app", claims.ClientId);
        Assert.Equal("orders:read orders:write", claims.Scope);
        Assert.Equal(authenticatedAt.ToUnixTimeSeconds(), claims.AuthenticationTime!.Value.ToUnixTimeSeconds());
        Assert.Equal("urn:example:loa:2", claims.AuthenticationContextClass);
        Assert.Equal(["pwd", "otp"], claims.AuthenticationMethods);
        Assert.True(claims.HasScope("orders:read"));
        Assert.True(claims.HasScope("orders:write"));
        Assert.False(claims.HasScope("orders"));
        Assert.False(claims.HasScope("orders:read orders:write"));
        Assert.False(claims.HasScope(string.Empty));
    }

    [Fact]
    public void Validate_TokenWithoutTheOptionalClaims_ExposesNulls()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        AccessTokenClaims claims = fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload)).Value;

        Assert.Null(claims.ClientId);
        Assert.Null(claims.Scope);
        Assert.Null(claims.AuthenticationTime);
        Assert.Null(claims.AuthenticationContextClass);
        Assert.Empty(claims.AuthenticationMethods);
        Assert.False(claims.HasScope("any"));
        Assert.Throws<ArgumentNullException>(() => claims.HasScope(null!));
    }

    [Theory]
    [InlineData("\"client_id\":42")]
    [InlineData("\"client_id\":null")]
    [InlineData("\"client_id\":[\"a\"]")]
    [InlineData("\"scope\":[\"orders:read\"]")]
    [InlineData("\"scope\":true")]
    [InlineData("\"auth_time\":\"1700000000\"")]
    [InlineData("\"auth_time\":1700000000.5")]
    [InlineData("\"auth_time\":-1")]
    [InlineData("\"acr\":2")]
    [InlineData("\"acr\":{\"v\":\"x\"}")]
    [InlineData("\"amr\":\"pwd\"")]
    [InlineData("\"amr\":[\"pwd\",1]")]
    [InlineData("\"amr\":[[\"pwd\"]]")]
    [InlineData("\"amr\":null")]
    public void Validate_Rfc9068ClaimOfTheWrongType_IsMalformed(string member)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        string token = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload[..^1] + "," + member + "}");

        Assert.Equal(AccessTokenValidationStatus.Malformed, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_ClaimNamesWrittenWithEscapes_AreTheSameClaims()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.RequiredScopes.Add("orders:read"));
        string payload = fixture.DefaultPayload.Replace("\"iss\"", "\"\\u0069ss\"", StringComparison.Ordinal)[..^1]
            + ",\"\\u0063lient_id\":\"web\",\"s\\u0063ope\":\"orders:read\",\"\\u0061\\u006d\\u0072\":[\"pwd\"]"
            + ",\"" + string.Concat(Enumerable.Repeat("\\u0078", 20)) + "\":1}";

        AccessTokenClaims claims = fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, payload)).Value;

        Assert.Equal("web", claims.ClientId);
        Assert.Equal("orders:read", claims.Scope);
        Assert.Equal(["pwd"], claims.AuthenticationMethods);
    }

    [Fact]
    public void Validate_ClaimRepeatedUnderAnEscapedName_IsMalformed()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string payload = fixture.DefaultPayload[..^1] + ",\"client_id\":\"web\",\"\\u0063lient_id\":\"admin\"}";

        Assert.Equal(AccessTokenValidationStatus.Malformed, fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, payload)).Status);
    }

    [Fact]
    public void Validate_ConfirmationObject_IsReadAndRefusedOnTheBearerPath()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string token = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload[..^1] + ",\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}}");

        AccessTokenClaims claims = fixture.Validator.ValidateOffline(token, allowBound: true).Value;

        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", claims.ConfirmationThumbprint);
        Assert.True(claims.TryGetClaim("cnf", out JsonElement cnf));
        Assert.Equal(JsonValueKind.Object, cnf.ValueKind);
        Assert.Equal(AccessTokenValidationStatus.ProofRequired, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_RequireClientId_RefusesATokenWithoutOne()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.RequireClientId = true);
        string legacy = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload);

        Assert.Equal(AccessTokenValidationStatus.MissingClaim, fixture.Validator.ValidateOffline(legacy).Status);
        Assert.True(fixture.Validator.ValidateOffline(fixture.Issue()).IsSuccess);
    }

    [Fact]
    public void Validate_WithoutRequireClientId_AcceptsATokenWithoutOne()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        Assert.True(fixture.Validator.ValidateOffline(fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload)).IsSuccess);
    }

    [Theory]
    [InlineData("orders-web", AccessTokenValidationStatus.Valid)]
    [InlineData("mobile-app", AccessTokenValidationStatus.Valid)]
    [InlineData("Orders-Web", AccessTokenValidationStatus.ClientNotAllowed)]
    [InlineData("orders-web ", AccessTokenValidationStatus.ClientNotAllowed)]
    [InlineData("intruder", AccessTokenValidationStatus.ClientNotAllowed)]
    [InlineData(null, AccessTokenValidationStatus.MissingClaim)]
    public void Validate_AllowedClientIds_AcceptOnlyThoseClients(string? clientId, AccessTokenValidationStatus expected)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o =>
        {
            o.AllowedClientIds.Add("orders-web");
            o.AllowedClientIds.Add("mobile-app");
        });
        string member = clientId is null ? string.Empty : ",\"client_id\":" + JsonSerializer.Serialize(clientId);

        string token = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload[..^1] + member + "}");

        Assert.Equal(expected, fixture.Validator.ValidateOffline(token).Status);
    }

    [Theory]
    [InlineData("orders:read orders:write", AccessTokenValidationStatus.Valid)]
    [InlineData("profile orders:write orders:read", AccessTokenValidationStatus.Valid)]
    [InlineData("orders:read", AccessTokenValidationStatus.InsufficientScope)]
    [InlineData("orders:read orders:writer", AccessTokenValidationStatus.InsufficientScope)]
    [InlineData("ORDERS:READ orders:write", AccessTokenValidationStatus.InsufficientScope)]
    [InlineData(null, AccessTokenValidationStatus.InsufficientScope)]
    public void Validate_RequiredScopes_NeedEveryOneExactly(string? scope, AccessTokenValidationStatus expected)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o =>
        {
            o.RequiredScopes.Add("orders:read");
            o.RequiredScopes.Add("orders:write");
        });
        string member = scope is null ? string.Empty : ",\"scope\":" + JsonSerializer.Serialize(scope);

        string token = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload[..^1] + member + "}");

        Assert.Equal(expected, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_ClientAndScopeChecks_ComeAfterTheTimeChecks()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o =>
        {
            o.AllowedClientIds.Add("orders-web");
            o.RequiredScopes.Add("orders:read");
        });
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", ClientId = "intruder" });

        fixture.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(AccessTokenValidationStatus.Expired, fixture.Validator.ValidateOffline(token).Status);
    }
}
