using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenValidatorCacheTests
{
    [Fact]
    public void Validate_Repeated_IsCachedButStillChecksExpiry()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.SignatureCacheSize = 16);
        string token = fixture.Issue();

        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
        Assert.Equal(1, fixture.Validator.CachedSignatureCount);
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
        Assert.Equal(1, fixture.Validator.CachedSignatureCount);

        fixture.Time.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(AccessTokenValidationStatus.Expired, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Validate_CachedTokenWithAlteredSignature_IsStillRefused()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa, o => o.SignatureCacheSize = 16);
        string token = fixture.Issue();
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
        char last = token[^2] == 'A' ? 'B' : 'A';

        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token[..^2] + last + token[^1]).Status);
    }

    [Fact]
    public void Validate_CachedTokenWithDuplicateMemberAppended_IsStillRefused()
    {
        // A cache hit skips the strict JSON pass; a payload changed in any byte must not be a hit.
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.SignatureCacheSize = 16);
        string token = fixture.Issue();
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);
        string[] parts = token.Split('.');
        string payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        string duplicated = payload[..^1] + ",\"sub\":\"someone-else\"}";
        string forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(duplicated)) + "." + parts[2];

        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(forged);

        // The signature covers the original payload, so the altered one fails it before its JSON is read.
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, result.Status);
        Assert.Equal(1, fixture.Validator.CachedSignatureCount);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    public void Validate_CachedTokenAfterItsKeyIsDisposed_IsRefused(string algorithm)
    {
        // Disposing a compromised key without removing it from the ring must not leave its cached verdicts valid.
        using JwtFixture fixture = new(algorithm == "ES256" ? SigningAlgorithm.Es256 : SigningAlgorithm.EdDsa, o => o.SignatureCacheSize = 16);
        string token = fixture.Issue();
        Assert.True(fixture.Validator.ValidateOffline(token).IsSuccess);

        fixture.Key.Dispose();

        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(token).Status);
    }

    [Fact]
    public void Remove_KeyOfCachedTokens_EvictsThemAndRefuses()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.SignatureCacheSize = 16);
        using SigningKey next = SigningKey.Generate(SigningAlgorithm.Es256);
        string first = fixture.Issue();
        Assert.True(fixture.Validator.ValidateOffline(first).IsSuccess);
        fixture.Ring.Rotate(next);
        string second = fixture.Issue();
        Assert.True(fixture.Validator.ValidateOffline(second).IsSuccess);
        Assert.Equal(2, fixture.Validator.CachedSignatureCount);

        Assert.True(fixture.Ring.Remove(fixture.Key.KeyId));

        Assert.Equal(1, fixture.Validator.CachedSignatureCount);
        Assert.Equal(AccessTokenValidationStatus.UnknownKey, fixture.Validator.ValidateOffline(first).Status);
        Assert.True(fixture.Validator.ValidateOffline(second).IsSuccess);
    }

    [Fact]
    public void Validate_ManyTokens_CacheStaysWithinConfiguredSize()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa, o => o.SignatureCacheSize = 8);

        for (int i = 0; i < 40; i++)
        {
            Assert.True(fixture.Validator.ValidateOffline(fixture.Issue("user-" + i)).IsSuccess);
        }

        Assert.Equal(8, fixture.Validator.CachedSignatureCount);
    }

    [Fact]
    public void Validate_CacheOff_RemembersNothing()
    {
        using JwtFixture fixture = new(SigningAlgorithm.EdDsa);

        Assert.True(fixture.Validator.ValidateOffline(fixture.Issue()).IsSuccess);
        Assert.Equal(0, fixture.Validator.CachedSignatureCount);
    }

    [Fact]
    public async Task ValidateAsync_CachedToken_StillChecksSessionEveryCall()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        InMemorySessionStore store = new();
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time }.Build();
        using JwtFixture fixture = new(SigningAlgorithm.Es256, o => o.SignatureCacheSize = 16, store, time);
        CancellationToken ct = TestContext.Current.CancellationToken;
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), ct);
        string token = fixture.Issuer_.Issue(AccessTokenRequest.ForSession(signIn.Session!));

        Assert.True((await fixture.Validator.ValidateAsync(token, ct)).IsSuccess);
        Assert.True((await fixture.Validator.ValidateAsync(token, ct)).IsSuccess);
        await manager.RevokeAsync(signIn.Value.Reveal(), cancellationToken: ct);

        Assert.Equal(1, fixture.Validator.CachedSignatureCount);
        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await fixture.Validator.ValidateAsync(token, ct)).Status);
    }
}
