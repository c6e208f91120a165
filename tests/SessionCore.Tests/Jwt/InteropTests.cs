using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>Interoperability with Microsoft.IdentityModel.JsonWebTokens (JsonWebTokenHandler).</summary>
public sealed class InteropTests
{
    [Fact]
    public async Task Es256TokenWeIssue_ValidatesInJsonWebTokenHandler()
    {
        // The handler checks lifetimes against the real clock, so the issuer runs on it too.
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        SigningKeyRing ring = new(key);
        AccessTokenIssuer issuer = new AccessTokenBuilder { KeyRing = ring, Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, DefaultClientId = JwtFixture.ClientId, ValidationMode = AccessTokenValidationMode.Offline } }.BuildIssuer();
        string token = issuer.Issue(new AccessTokenRequest { Subject = "alice", Claims = new Dictionary<string, object> { ["role"] = "admin" } });

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(new JsonWebKey(key.ExportPublicJwk())));

        Assert.True(result.IsValid, result.Exception?.Message);
        JsonWebToken jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("admin", jwt.GetClaim("role").Value);
    }

    [Fact]
    public void Es256TokenHandlerIssuesWithOurKey_ValidatesHere()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        AccessTokenValidator validator = new AccessTokenBuilder
        {
            KeyRing = new SigningKeyRing(key),
            Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, ValidationMode = AccessTokenValidationMode.Offline },
        }.BuildValidator();
        JsonWebKey jwk = new(key.ExportPrivateJwk());
        DateTime now = DateTime.UtcNow;
        string token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtFixture.Issuer,
            Audience = JwtFixture.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "bob")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object> { ["jti"] = "handler-1" },
            SigningCredentials = new SigningCredentials(jwk, SecurityAlgorithms.EcdsaSha256),
        });

        AccessTokenValidationResult result = validator.ValidateOffline(token);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("bob", result.Value.Subject);
        Assert.Equal("handler-1", result.Value.TokenId);
    }

    [Fact]
    public async Task EdDsaTokenWeIssue_HandlerCannotVerifyButReadsTheClaims()
    {
        // JsonWebTokenHandler 8.x has no Ed25519 signature provider: it refuses EdDSA signatures. What it can
        // do is parse the token, and it must see exactly the header and claims we wrote.
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AccessTokenIssuer issuer = new AccessTokenBuilder { KeyRing = new SigningKeyRing(key), Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, DefaultClientId = JwtFixture.ClientId } }.BuildIssuer();
        string token = issuer.Issue(new AccessTokenRequest { Subject = "carol" });
        JsonWebTokenHandler handler = new();

        JsonWebToken jwt = handler.ReadJsonWebToken(token);
        TokenValidationResult result = await handler.ValidateTokenAsync(token, Parameters(new JsonWebKey(key.ExportPublicJwk())));

        Assert.Equal("EdDSA", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal("carol", jwt.Subject);
        Assert.Equal(JwtFixture.Issuer, jwt.Issuer);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Hs256TokenFromHandler_IsRefusedHere()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenValidator validator = new AccessTokenBuilder
        {
            KeyRing = new SigningKeyRing(key),
            Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, ValidationMode = AccessTokenValidationMode.Offline },
        }.BuildValidator();
        SymmetricSecurityKey secret = new(new byte[32]) { KeyId = key.KeyId };
        string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtFixture.Issuer,
            Audience = JwtFixture.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "eve")]),
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object> { ["jti"] = "x" },
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });

        Assert.Equal(AccessTokenValidationStatus.UnsupportedAlgorithm, validator.ValidateOffline(token).Status);
    }

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = JwtFixture.Issuer,
        ValidAudience = JwtFixture.Audience,
        IssuerSigningKey = key,
        ValidTypes = ["at+jwt"],
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, "EdDSA"],
    };
}
