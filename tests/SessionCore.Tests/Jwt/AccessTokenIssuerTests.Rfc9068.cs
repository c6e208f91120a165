using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Tests.Keys;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>The RFC 9068 §2.2 claims the issuer writes: client_id, scope, auth_time, acr and amr.</summary>
public sealed class AccessTokenIssuerRfc9068Tests
{
    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Issue_RequestWithEveryRfc9068Claim_WritesThemInOrder(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        DateTimeOffset authenticatedAt = fixture.Time.GetUtcNow().AddMinutes(-7);

        JsonElement claims = Payload(fixture.Issuer_.Issue(new AccessTokenRequest
        {
            Subject = "alice",
            ClientId = "mobile-app",
            Scope = "orders:read orders:write",
            AuthenticationTime = authenticatedAt,
            AuthenticationMethods = ["pwd", "otp"],
            SessionId = SessionId.Parse(Base64UrlStrict.Encode(new byte[32])),
            Claims = new Dictionary<string, object> { ["tenant"] = "t1" },
        }));

        Assert.Equal(
            ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "auth_time", "amr", "sid", "sc_epoch", "tenant"],
            claims.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mobile-app", claims.GetProperty("client_id").GetString());
        Assert.Equal("orders:read orders:write", claims.GetProperty("scope").GetString());
        Assert.Equal(authenticatedAt.ToUnixTimeSeconds(), claims.GetProperty("auth_time").GetInt64());
        Assert.Equal(["pwd", "otp"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Issue_ForSession_WritesAuthTimeAndTheLevelsMappedAcrAndAmr()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o =>
        {
            o.AuthenticationContextClassByLevel[1] = "urn:example:loa:1";
            o.AuthenticationContextClassByLevel[2] = "urn:example:loa:2";
            o.AuthenticationMethodsByLevel[2] = ["pwd", "hwk"];
        });
        Session session = Session(fixture, level: 2);

        JsonElement claims = Payload(fixture.Issuer_.Issue(AccessTokenRequest.ForSession(session)));

        Assert.Equal(session.AuthenticatedAt.ToUnixTimeSeconds(), claims.GetProperty("auth_time").GetInt64());
        Assert.Equal("urn:example:loa:2", claims.GetProperty("acr").GetString());
        Assert.Equal(["pwd", "hwk"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JwtFixture.ClientId, claims.GetProperty("client_id").GetString());
        Assert.Equal(session.Id.ToString(), claims.GetProperty("sid").GetString());
        Assert.False(claims.TryGetProperty("scope", out _));
    }

    [Fact]
    public void Issue_ForSessionWithClientAndScope_WritesThem()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        JsonElement claims = Payload(fixture.Issuer_.Issue(AccessTokenRequest.ForSession(Session(fixture, level: 0), clientId: "cli", scope: "profile")));

        Assert.Equal("cli", claims.GetProperty("client_id").GetString());
        Assert.Equal("profile", claims.GetProperty("scope").GetString());
    }

    [Fact]
    public void Issue_LevelWithoutMapping_WritesNeitherAcrNorAmr()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.AuthenticationContextClassByLevel[2] = "urn:example:loa:2");

        JsonElement claims = Payload(fixture.Issuer_.Issue(AccessTokenRequest.ForSession(Session(fixture, level: 1))));

        Assert.False(claims.TryGetProperty("acr", out _));
        Assert.False(claims.TryGetProperty("amr", out _));
        Assert.True(claims.TryGetProperty("auth_time", out _));
    }

    [Fact]
    public void Issue_RequestMethods_OverrideTheLevelsMethodsButNotItsAcr()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o =>
        {
            o.AuthenticationContextClassByLevel[2] = "phr";
            o.AuthenticationMethodsByLevel[2] = ["pwd"];
        });

        JsonElement claims = Payload(fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", AuthenticationLevel = 2, AuthenticationMethods = ["face", "hwk"] }));

        Assert.Equal("phr", claims.GetProperty("acr").GetString());
        Assert.Equal(["face", "hwk"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void Issue_MalformedRfc9068Value_ThrowsArgumentWithoutEchoingIt(string name, AccessTokenRequest request)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);

        ArgumentException error = Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(request));

        Assert.DoesNotContain("\u00e9vil", error.Message, StringComparison.Ordinal);
        Assert.NotNull(name);
    }

    [Fact]
    public void BuildIssuer_WithoutDefaultClientId_ThrowsArgumentButAValidatorBuilds()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenBuilder builder = new()
        {
            KeyRing = new SigningKeyRing(key),
            Options = { Issuer = "https://login.example", Audience = "api", ValidationMode = AccessTokenValidationMode.Offline },
        };

        ArgumentException error = Assert.Throws<ArgumentException>(builder.BuildIssuer);

        Assert.Contains("DefaultClientId", error.Message, StringComparison.Ordinal);
        Assert.Equal(AccessTokenValidationMode.Offline, builder.BuildValidator().Mode);
    }

    [Theory]
    [MemberData(nameof(MalformedOptions))]
    public void Build_MalformedRfc9068Option_ThrowsArgument(string name, Action<AccessTokenOptions> configure)
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenBuilder builder = new()
        {
            KeyRing = new SigningKeyRing(key),
            Options = { Issuer = "https://login.example", Audience = "api", DefaultClientId = "web", ValidationMode = AccessTokenValidationMode.Offline },
        };
        configure(builder.Options);

        Assert.Throws<ArgumentException>(builder.BuildIssuer);
        Assert.Throws<ArgumentException>(builder.BuildValidator);
        Assert.NotNull(name);
    }

    public static TheoryData<string, AccessTokenRequest> MalformedRequests() => new()
    {
        { "client_id empty", new AccessTokenRequest { Subject = "u", ClientId = string.Empty } },
        { "client_id spaces", new AccessTokenRequest { Subject = "u", ClientId = "   " } },
        { "client_id non-ASCII", new AccessTokenRequest { Subject = "u", ClientId = "\u00e9vil" } },
        { "client_id control character", new AccessTokenRequest { Subject = "u", ClientId = "a\nb" } },
        { "client_id 257 characters", new AccessTokenRequest { Subject = "u", ClientId = new string('c', 257) } },
        { "scope empty", new AccessTokenRequest { Subject = "u", Scope = string.Empty } },
        { "scope double space", new AccessTokenRequest { Subject = "u", Scope = "a  b" } },
        { "scope leading space", new AccessTokenRequest { Subject = "u", Scope = " a" } },
        { "scope quote", new AccessTokenRequest { Subject = "u", Scope = "a\"b" } },
        { "scope backslash", new AccessTokenRequest { Subject = "u", Scope = "a\\b" } },
        { "scope non-ASCII", new AccessTokenRequest { Subject = "u", Scope = "\u00e9vil" } },
        { "scope 2049 characters", new AccessTokenRequest { Subject = "u", Scope = new string('s', 2049) } },
        { "amr empty list", new AccessTokenRequest { Subject = "u", AuthenticationMethods = [] } },
        { "amr empty value", new AccessTokenRequest { Subject = "u", AuthenticationMethods = ["pwd", string.Empty] } },
        { "amr null value", new AccessTokenRequest { Subject = "u", AuthenticationMethods = ["pwd", null!] } },
        { "amr 17 values", new AccessTokenRequest { Subject = "u", AuthenticationMethods = [.. Enumerable.Range(0, 17).Select(i => "m" + i)] } },
    };

    public static TheoryData<string, Action<AccessTokenOptions>> MalformedOptions() => new()
    {
        { "default client_id with a tab", o => o.DefaultClientId = "a\tb" },
        { "default client_id empty", o => o.DefaultClientId = string.Empty },
        { "allowed client_id empty", o => o.AllowedClientIds.Add(string.Empty) },
        { "required scope with a space", o => o.RequiredScopes.Add("a b") },
        { "required scope empty", o => o.RequiredScopes.Add(string.Empty) },
        { "acr empty", o => o.AuthenticationContextClassByLevel[1] = string.Empty },
        { "acr non-ASCII", o => o.AuthenticationContextClassByLevel[1] = "\u00e9" },
        { "amr empty list", o => o.AuthenticationMethodsByLevel[1] = [] },
        { "amr empty value", o => o.AuthenticationMethodsByLevel[1] = ["pwd", " "] },
    };

    internal static JsonElement Payload(string token)
    {
        using JsonDocument document = JsonDocument.Parse(Base64UrlStrict.TryDecode(token.Split('.')[1])!);
        return document.RootElement.Clone();
    }

    private static Session Session(JwtFixture fixture, int level)
    {
        DateTimeOffset now = fixture.Time.GetUtcNow();
        return new Session
        {
            Id = SessionId.Parse(Base64UrlStrict.Encode(new byte[32])),
            UserId = "alice",
            CreatedAt = now.AddHours(-1),
            LastSeenAt = now,
            IdleExpiresAt = now.AddMinutes(30),
            AbsoluteExpiresAt = now.AddHours(11),
            AuthenticatedAt = now.AddMinutes(-20),
            AuthenticationLevel = level,
            SecurityEpoch = 4,
        };
    }
}
