using System;
using System.Linq;
using System.Text.Json;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AuthorizationServerMetadataTests
{
    [Fact]
    public void ToJson_FullConfiguration_WritesTheRfc8414Members()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder builder = Builder(new SigningKeyRing(key));
        builder.ScopesSupported.Add("profile");
        builder.ScopesSupported.Add("orders:read");

        using JsonDocument document = JsonDocument.Parse(builder.Build().ToJson());
        JsonElement root = document.RootElement;

        Assert.Equal(
            ["issuer", "token_endpoint", "jwks_uri", "revocation_endpoint", "scopes_supported", "response_types_supported", "grant_types_supported",
                "token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported", "access_token_signing_alg_values_supported"],
            root.EnumerateObject().Select(m => m.Name));
        Assert.Equal("https://login.example", root.GetProperty("issuer").GetString());
        Assert.Equal("https://login.example/oauth/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://login.example/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        Assert.Equal("https://login.example/oauth/revoke", root.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["profile", "orders:read"], Strings(root, "scopes_supported"));
        Assert.Empty(Strings(root, "response_types_supported"));
        Assert.Equal(["password", "refresh_token"], Strings(root, "grant_types_supported"));
        Assert.Equal(["none"], Strings(root, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["none"], Strings(root, "revocation_endpoint_auth_methods_supported"));
        Assert.Equal(["ES256"], Strings(root, "access_token_signing_alg_values_supported"));
    }

    [Fact]
    public void ToJson_WithoutRevocationOrScopes_LeavesTheirMembersOut()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        AuthorizationServerMetadataBuilder builder = Builder(new SigningKeyRing(key));
        builder.RevocationEndpoint = null;
        builder.RevocationEndpointAuthMethodsSupported.Clear();

        using JsonDocument document = JsonDocument.Parse(builder.Build().ToJson());

        Assert.False(document.RootElement.TryGetProperty("revocation_endpoint", out _));
        Assert.False(document.RootElement.TryGetProperty("revocation_endpoint_auth_methods_supported", out _));
        Assert.False(document.RootElement.TryGetProperty("scopes_supported", out _));
        Assert.True(document.RootElement.TryGetProperty("response_types_supported", out _));
    }

    [Fact]
    public void ToJson_DpopAlgorithms_WritesDpopSigningAlgValuesSupported()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder without = Builder(new SigningKeyRing(key));
        AuthorizationServerMetadataBuilder with = Builder(new SigningKeyRing(key));
        with.DpopSigningAlgorithms = SessionCore.Dpop.DpopSigningAlgorithms.Es256 | SessionCore.Dpop.DpopSigningAlgorithms.Ed25519;

        using JsonDocument absent = JsonDocument.Parse(without.Build().ToJson());
        using JsonDocument present = JsonDocument.Parse(with.Build().ToJson());

        Assert.False(absent.RootElement.TryGetProperty("dpop_signing_alg_values_supported", out _));
        Assert.Equal("[\"ES256\",\"Ed25519\"]", present.RootElement.GetProperty("dpop_signing_alg_values_supported").GetRawText());
    }

    [Fact]
    public void Build_UndefinedDpopAlgorithm_ThrowsArgument()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder builder = Builder(new SigningKeyRing(key));
        builder.DpopSigningAlgorithms = (SessionCore.Dpop.DpopSigningAlgorithms)64;

        Assert.Throws<ArgumentException>(() => builder.Build());
    }

    [Fact]
    public void SigningAlgorithms_FollowTheRingThroughARotation()
    {
        using SigningKey es = SigningKey.Generate(SigningAlgorithm.Es256);
        using SigningKey es2 = SigningKey.Generate(SigningAlgorithm.Es256);
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256);
        SigningKeyRing ring = new(es);
        AuthorizationServerMetadata metadata = Builder(ring).Build();

        Assert.Equal(["ES256"], metadata.SigningAlgorithms);
        ring.AddVerificationKey(es2);
        Assert.Equal(["ES256"], metadata.SigningAlgorithms);
        ring.AddVerificationKey(rs);
        Assert.Equal(["ES256", "RS256"], metadata.SigningAlgorithms);
        ring.Rotate(rs);
        Assert.Equal(["RS256", "ES256"], metadata.SigningAlgorithms);
        using JsonDocument document = JsonDocument.Parse(metadata.ToJson());
        Assert.Equal(["RS256", "ES256"], Strings(document.RootElement, "access_token_signing_alg_values_supported"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("https://login.example/tenant-1")]
    public void Build_SecureOrLoopbackIssuer_IsWrittenVerbatim(string issuer)
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder builder = Builder(new SigningKeyRing(key));
        builder.Issuer = issuer;

        AuthorizationServerMetadata metadata = builder.Build();

        Assert.Equal(issuer, metadata.Issuer);
        using JsonDocument document = JsonDocument.Parse(metadata.ToJson());
        Assert.Equal(issuer, document.RootElement.GetProperty("issuer").GetString());
    }

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void Build_BadValue_ThrowsArgument(string name, Action<AuthorizationServerMetadataBuilder> spoil)
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder builder = Builder(new SigningKeyRing(key));
        spoil(builder);

        Assert.Throws<ArgumentException>(builder.Build);
        Assert.NotNull(name);
    }

    [Fact]
    public void Build_NoRingOrSecondTime_ThrowsInvalidOperation()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AuthorizationServerMetadataBuilder withoutRing = Builder(new SigningKeyRing(key));
        withoutRing.KeyRing = null;
        AuthorizationServerMetadataBuilder used = Builder(new SigningKeyRing(key));
        used.Build();

        Assert.Throws<InvalidOperationException>(withoutRing.Build);
        Assert.Throws<InvalidOperationException>(used.Build);
    }

    public static TheoryData<string, Action<AuthorizationServerMetadataBuilder>> BadConfigurations() => new()
    {
        { "issuer missing", b => b.Issuer = null },
        { "issuer blank", b => b.Issuer = " " },
        { "issuer relative", b => b.Issuer = "/login" },
        { "issuer plain http on a public host", b => b.Issuer = "http://login.example" },
        { "issuer with a query", b => b.Issuer = "https://login.example?tenant=1" },
        { "issuer with a fragment", b => b.Issuer = "https://login.example#x" },
        { "issuer with user information", b => b.Issuer = "https://admin:pw@login.example" },
        { "issuer of another scheme", b => b.Issuer = "ftp://login.example" },
        { "token endpoint missing", b => b.TokenEndpoint = null },
        { "token endpoint plain http", b => b.TokenEndpoint = new Uri("http://login.example/oauth/token") },
        { "token endpoint relative", b => b.TokenEndpoint = new Uri("/oauth/token", UriKind.Relative) },
        { "jwks_uri missing", b => b.JwksUri = null },
        { "jwks_uri with a fragment", b => b.JwksUri = new Uri("https://login.example/jwks#k") },
        { "revocation endpoint plain http", b => b.RevocationEndpoint = new Uri("http://login.example/oauth/revoke") },
        { "authorization endpoint plain http", b => b.AuthorizationEndpoint = new Uri("http://login.example/authorize") },
        { "no grant type", b => b.GrantTypesSupported.Clear() },
        { "no token endpoint authentication method", b => b.TokenEndpointAuthMethodsSupported.Clear() },
        { "revocation endpoint without its methods", b => b.RevocationEndpointAuthMethodsSupported.Clear() },
        { "revocation methods without the endpoint", b => b.RevocationEndpoint = null },
        { "duplicate grant type", b => b.GrantTypesSupported.Add("refresh_token") },
        { "grant type with a space", b => b.GrantTypesSupported.Add("refresh token") },
        { "empty scope", b => b.ScopesSupported.Add(string.Empty) },
        { "non-ASCII scope", b => b.ScopesSupported.Add("caf\u00e9") },
    };

    private static AuthorizationServerMetadataBuilder Builder(SigningKeyRing ring) => new()
    {
        Issuer = "https://login.example",
        TokenEndpoint = new Uri("https://login.example/oauth/token"),
        RevocationEndpoint = new Uri("https://login.example/oauth/revoke"),
        JwksUri = new Uri("https://login.example/.well-known/jwks.json"),
        KeyRing = ring,
        GrantTypesSupported = { "password", "refresh_token" },
        TokenEndpointAuthMethodsSupported = { "none" },
        RevocationEndpointAuthMethodsSupported = { "none" },
    };

    private static string?[] Strings(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString())];
}
