using System;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Jwt;
using Xunit;

namespace SessionCore.Tests.Keys;

public sealed partial class SigningKeyRingTests
{
    [Fact]
    public void Rotate_OldKey_VerifiesUntilRetentionThenStops()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string oldToken = fixture.Issue();
        using SigningKey next = SigningKey.Generate(SigningAlgorithm.EdDsa);

        fixture.Ring.Rotate(next);
        string newToken = fixture.Issue();

        Assert.Same(next, fixture.Ring.ActiveKey);
        Assert.True(fixture.Validator.ValidateOffline(oldToken).IsSuccess);
        Assert.True(fixture.Validator.ValidateOffline(newToken).IsSuccess);
        Assert.Equal(2, fixture.Ring.Keys.Count);

        fixture.Time.Advance(SigningKeyRing.DefaultRetiredKeyRetention);

        Assert.Equal(AccessTokenValidationStatus.UnknownKey, fixture.Validator.ValidateOffline(oldToken).Status);
        Assert.Single(fixture.Ring.Keys);
        Assert.Same(fixture.Key, Assert.Single(fixture.Ring.RemoveExpired()));
        Assert.Empty(fixture.Ring.RemoveExpired());
    }

    [Fact]
    public void DefaultRetiredKeyRetention_CoversLongestLifetimePlusSkew()
    {
        Assert.Equal(AccessTokenOptions.MaxLifetime + AccessTokenOptions.MaxClockSkew, SigningKeyRing.DefaultRetiredKeyRetention);
    }

    [Fact]
    public void ExportJwks_Always_HoldsPublicPartsOnly()
    {
        using SigningKey es = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        using SigningKey ed = SigningKey.Generate(SigningAlgorithm.EdDsa, SigningKeyExportPolicies.AllowPrivateExport);
        SigningKeyRing ring = new(es);
        ring.AddVerificationKey(ed);

        string jwks = ring.ExportJwks();
        using JsonDocument document = JsonDocument.Parse(jwks);

        Assert.Equal(2, document.RootElement.GetProperty("keys").GetArrayLength());
        foreach (JsonElement key in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            Assert.False(key.TryGetProperty("d", out _));
        }

        SigningKeyRing imported = SigningKeyRing.ImportJwks(jwks);
        Assert.Null(imported.ActiveKey);
        Assert.True(imported.TryGetKey(es.KeyId, out SigningKey? esPublic));
        Assert.True(imported.TryGetKey(ed.KeyId, out SigningKey? edPublic));
        Assert.False(esPublic.HasPrivateKey);
        Assert.Same(SigningAlgorithm.EdDsa, edPublic.Algorithm);
    }

    [Theory]
    [InlineData("""{"keys":{}}""")]
    [InlineData("""{"keys":[],"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"RSA","e":"AQAB","n":"AQAB"}]}""")]
    [InlineData("""[]""")]
    public void ImportJwks_Invalid_ThrowsArgument(string jwks)
    {
        Assert.Throws<ArgumentException>(() => SigningKeyRing.ImportJwks(jwks));
    }

    [Fact]
    public void Remove_ActiveKey_LeavesNoActiveKeyAndIssuingThrows()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);
        string token = fixture.Issue();

        Assert.True(fixture.Ring.Remove(fixture.Key.KeyId));

        Assert.Null(fixture.Ring.ActiveKey);
        Assert.Equal(AccessTokenValidationStatus.UnknownKey, fixture.Validator.ValidateOffline(token).Status);
        Assert.Throws<InvalidOperationException>(() => fixture.Issue());
        Assert.False(fixture.Ring.Remove(fixture.Key.KeyId));
    }

    [Fact]
    public void AddVerificationKey_DuplicateKeyId_ThrowsArgument()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        SigningKeyRing ring = new(key);
        using SigningKey copy = SigningKey.ImportJwk(key.ExportPublicJwk());

        Assert.Throws<ArgumentException>(() => ring.AddVerificationKey(copy));
    }

    [Fact]
    public void Rotate_PublicOnlyKey_ThrowsArgument()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        using SigningKey publicKey = SigningKey.ImportJwk(key.ExportPublicJwk());

        Assert.Throws<ArgumentException>(() => new SigningKeyRing(publicKey, new FakeTimeProvider()));
    }

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void ImportJwks_PrivateMember_Refused(string algorithm)
    {
        using SigningKey key = Registry.NewKey(algorithm, SigningKeyExportPolicies.AllowPrivateExport, index: 0);
        using SigningKey other = Registry.NewKey(algorithm, index: 1);
        string jwks = "{\"keys\":[" + other.ExportPublicJwk() + "," + key.ExportPrivateJwk() + "]}";

        ArgumentException error = Assert.Throws<ArgumentException>(() => SigningKeyRing.ImportJwks(jwks));
        Assert.Contains("private", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.ExportPrivateJwk(), error.Message, StringComparison.Ordinal);
    }
}
