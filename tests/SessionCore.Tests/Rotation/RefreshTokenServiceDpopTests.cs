using System;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Stores;
using SessionCore.Tests.Jwt;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

/// <summary>A refresh family bound to a DPoP key: its access tokens carry the key, and only a proof by the key redeems it.</summary>
public sealed class RefreshTokenServiceDpopTests
{
    private const string Key = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private const string OtherKey = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    [Fact]
    public async Task IssueAndRedeem_BoundFamily_MintAccessTokensBoundToTheKey()
    {
        using RotationHarness h = new();
        using JwtFixture jwt = new(SigningAlgorithm.Es256, time: h.Time);
        using RefreshTokenService service = new(h.Manager, new RefreshTokenOptions(), jwt.Issuer_);
        (SessionToken session, _) = await h.SignInAsync();

        RefreshTokenResult issued = await service.IssueAsync(session, new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);
        RefreshTokenResult rotated = await service.RedeemAsync(issued.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);

        Assert.Equal(Key, jwt.Validator.ValidateOffline(issued.AccessToken.AsSpan(), allowBound: true).Value.ConfirmationThumbprint);
        Assert.Equal(RefreshTokenStatus.Rotated, rotated.Status);
        Assert.Equal(Key, jwt.Validator.ValidateOffline(rotated.AccessToken.AsSpan(), allowBound: true).Value.ConfirmationThumbprint);
        Assert.Equal(AccessTokenValidationStatus.ProofRequired, jwt.Validator.ValidateOffline(rotated.AccessToken).Status);
    }

    [Fact]
    public async Task Issue_UnboundFamily_MintsBearerTokens()
    {
        using RotationHarness h = new();
        using JwtFixture jwt = new(SigningAlgorithm.Es256, time: h.Time);
        using RefreshTokenService service = new(h.Manager, new RefreshTokenOptions(), jwt.Issuer_);
        (SessionToken session, _) = await h.SignInAsync();

        RefreshTokenResult issued = await service.IssueAsync(session, TestContext.Current.CancellationToken);

        Assert.Null(jwt.Validator.ValidateOffline(issued.AccessToken).Value.ConfirmationThumbprint);
    }

    [Fact]
    public async Task Results_NameTheKeyTheFamilyIsBoundTo()
    {
        using RotationHarness h = new();
        (SessionToken session, _) = await h.SignInAsync();
        (SessionToken other, _) = await h.SignInAsync();

        RefreshTokenResult bound = await h.Service.IssueAsync(session, new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);
        RefreshTokenResult rotated = await h.Service.RedeemAsync(bound.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);
        RefreshTokenResult unbound = await h.Service.IssueAsync(other, TestContext.Current.CancellationToken);
        RefreshTokenResult unboundRotated = await h.Service.RedeemAsync(unbound.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);

        Assert.Equal(Key, bound.KeyThumbprint);
        Assert.Equal(Key, rotated.KeyThumbprint);
        Assert.Null(unbound.KeyThumbprint);
        Assert.Equal(RefreshTokenStatus.Rotated, unboundRotated.Status);
        Assert.Null(unboundRotated.KeyThumbprint);   // a proof at redemption does not bind an unbound family
    }

    [Theory]
    [InlineData(null)]
    [InlineData(OtherKey)]
    public async Task Redeem_BoundFamilyWithoutItsKey_ChangesNothingEvenInTheGraceWindow(string? presentedKey)
    {
        using RotationHarness h = new(new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(30) });
        (SessionToken session, _) = await h.SignInAsync();
        RefreshTokenResult issued = await h.Service.IssueAsync(session, new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);
        RefreshTokenResult rotated = await h.Service.RedeemAsync(issued.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken);
        RefreshFamily before = await h.RequireFamilyAsync(issued.Value.Hash);

        RefreshTokenResult retry = await h.Service.RedeemAsync(issued.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: presentedKey), TestContext.Current.CancellationToken);
        RefreshTokenResult current = await h.Service.RedeemAsync(rotated.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: presentedKey), TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        RefreshTokenResult spent = await h.Service.RedeemAsync(issued.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: presentedKey), TestContext.Current.CancellationToken);
        RefreshFamily after = await h.RequireFamilyAsync(issued.Value.Hash);

        Assert.All([retry, current, spent], r => Assert.Equal(RefreshTokenStatus.BindingMismatch, r.Status));
        Assert.All([retry, current, spent], r => Assert.Null(r.Token));
        Assert.Equal(before.Version, after.Version);
        Assert.False(after.IsRevoked);
        Assert.Empty(h.Events.Reuses);
        Assert.Equal(RefreshTokenStatus.Rotated, (await h.Service.RedeemAsync(rotated.Value.Reveal(), new RefreshTokenBinding(KeyThumbprint: Key), TestContext.Current.CancellationToken)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-thumbprint")]
    [InlineData(Key + "=")]
    public async Task Issue_MalformedKeyThumbprint_ThrowsBeforeWriting(string thumbprint)
    {
        using RotationHarness h = new();
        (SessionToken session, _) = await h.SignInAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await h.Service.IssueAsync(session, new RefreshTokenBinding(KeyThumbprint: thumbprint), TestContext.Current.CancellationToken));
        Assert.Equal(0, h.Store.Calls(nameof(ISessionStore.CreateRefreshFamilyAsync)));
    }
}
