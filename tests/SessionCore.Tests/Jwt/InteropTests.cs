using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>Interoperability with Microsoft.IdentityModel.JsonWebTokens (JsonWebTokenHandler) for ES256, RS256 and PS256, both ways.</summary>
public sealed class InteropTests
{
    [Theory]
    [InlineData("ES256", SecurityAlgorithms.EcdsaSha256)]
    [InlineData("RS256", SecurityAlgorithms.RsaSha256)]
    [InlineData("PS256", SecurityAlgorithms.RsaSsaPssSha256)]
    public async Task TokenWeIssue_ValidatesInJsonWebTokenHandler(string algorithm, string handlerAlgorithm)
    {
        // The handler checks lifetimes against the real clock, so the issuer runs on it too. RS256 uses a key of
        // the default size (3072 bits), PS256 one of the smallest (2048).
        using SigningKey key = algorithm == "RS256" ? SigningKey.Generate(SigningAlgorithm.Rs256) : Registry.NewKey(algorithm);
        SigningKeyRing ring = new(key);
        AccessTokenIssuer issuer = new AccessTokenBuilder { KeyRing = ring, Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, DefaultClientId = JwtFixture.ClientId, ValidationMode = AccessTokenValidationMode.Offline } }.BuildIssuer();
        string token = issuer.Issue(new AccessTokenRequest { Subject = "alice", Scope = "orders:read", Claims = new Dictionary<string, object> { ["role"] = "admin" } });

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(new JsonWebKey(key.ExportPublicJwk()), handlerAlgorithm));

        Assert.True(result.IsValid, result.Exception?.Message);
        JsonWebToken jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(algorithm, jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("admin", jwt.GetClaim("role").Value);
        Assert.Equal(JwtFixture.ClientId, jwt.GetClaim("client_id").Value);
        Assert.Equal("orders:read", jwt.GetClaim("scope").Value);
    }

    [Theory]
    [InlineData("ES256", SecurityAlgorithms.EcdsaSha256)]
    [InlineData("RS256", SecurityAlgorithms.RsaSha256)]
    [InlineData("PS256", SecurityAlgorithms.RsaSsaPssSha256)]
    public void TokenHandlerIssuesWithOurKey_ValidatesHere(string algorithm, string handlerAlgorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport);
        AccessTokenValidator validator = Validator(key);

        AccessTokenValidationResult result = validator.ValidateOffline(HandlerToken(new JsonWebKey(key.ExportPrivateJwk()), handlerAlgorithm));

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("bob", result.Value.Subject);
        Assert.Equal("handler-1", result.Value.TokenId);
        Assert.Equal("handler-client", result.Value.ClientId);
        Assert.Same(key, result.Value.Key);
    }

    [Theory]
    [InlineData("RS256", SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData("PS256", SecurityAlgorithms.RsaSha256)]
    public void TokenHandlerSignsWithOurRsaKeyUnderTheOtherRsaAlgorithm_IsAlgorithmMismatch(string algorithm, string handlerAlgorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport);
        JsonWebKey jwk = new(key.ExportPrivateJwk()) { Alg = null };

        Assert.Equal(AccessTokenValidationStatus.AlgorithmMismatch, Validator(key).ValidateOffline(HandlerToken(jwk, handlerAlgorithm)).Status);
    }

    [Fact]
    public void TokenHandlerSignsWith1024BitKeyNamingOurKid_IsInvalidSignature()
    {
        using SigningKey key = Registry.NewKey(SigningAlgorithm.Rs256);
        using RSA weak = RSA.Create(1024);
        RsaSecurityKey weakKey = new(weak) { KeyId = key.KeyId };
        string token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(new SigningCredentials(weakKey, SecurityAlgorithms.RsaSha256)));

        // 128 bytes where the named key's signatures have 256: refused by size before any maths.
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, Validator(key).ValidateOffline(token).Status);
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
        TokenValidationResult result = await handler.ValidateTokenAsync(token, Parameters(new JsonWebKey(key.ExportPublicJwk()), "EdDSA"));

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

    private static TokenValidationParameters Parameters(SecurityKey key, string algorithm) => new()
    {
        ValidIssuer = JwtFixture.Issuer,
        ValidAudience = JwtFixture.Audience,
        IssuerSigningKey = key,
        ValidTypes = ["at+jwt"],
        ValidAlgorithms = [algorithm],
    };

    private static AccessTokenValidator Validator(SigningKey key) => new AccessTokenBuilder
    {
        KeyRing = new SigningKeyRing(key),
        Options = { Issuer = JwtFixture.Issuer, Audience = JwtFixture.Audience, ValidationMode = AccessTokenValidationMode.Offline },
    }.BuildValidator();

    private static string HandlerToken(JsonWebKey jwk, string algorithm) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(new SigningCredentials(jwk, algorithm)));

    private static SecurityTokenDescriptor Descriptor(SigningCredentials credentials)
    {
        DateTime now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = JwtFixture.Issuer,
            Audience = JwtFixture.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "bob")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object> { ["jti"] = "handler-1", ["client_id"] = "handler-client" },
            SigningCredentials = credentials,
        };
    }
}
