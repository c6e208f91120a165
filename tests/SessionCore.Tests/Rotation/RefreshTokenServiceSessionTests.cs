using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

/// <summary>How refresh redemption interacts with the session: activity, idle expiry and access tokens.</summary>
public sealed class RefreshTokenServiceSessionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemorySessionStore _store = new();
    private readonly SigningKeyRing _ring;
    private readonly SessionManager _manager;
    private readonly AccessTokenValidator _validator;
    private readonly RefreshTokenService _service;

    public RefreshTokenServiceSessionTests()
    {
        _ring = new SigningKeyRing(SigningKey.Generate(SigningAlgorithm.Es256), _time);
        _manager = new SessionManagerBuilder
        {
            Store = _store,
            TimeProvider = _time,
            Options = new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(30), AbsoluteLifetime = TimeSpan.FromHours(12) },
        }.Build();
        AccessTokenBuilder tokens = new()
        {
            KeyRing = _ring,
            TimeProvider = _time,
            Store = _store,
            Options = new AccessTokenOptions { Issuer = "https://issuer.test", Audience = "api", DefaultClientId = "app" },
        };
        _validator = tokens.BuildValidator();
        _service = new RefreshTokenService(_manager, new RefreshTokenOptions(), tokens.BuildIssuer());
    }

    [Fact]
    public async Task Issue_WithIssuer_CarriesAnAccessTokenForTheSession()
    {
        (SessionToken session, RefreshTokenResult issued) = await SignInAndIssueAsync();

        AccessTokenValidationResult access = await _validator.ValidateAsync(issued.AccessToken, TestContext.Current.CancellationToken);

        Assert.True(access.IsSuccess, access.Status.ToString());
        Assert.Equal(session.Id, access.Value.SessionId);
        Assert.Equal("alice", access.Value.Subject);
    }

    [Fact]
    public async Task Redeem_WithIssuer_CarriesANewAccessTokenThatDiesWithTheSession()
    {
        (SessionToken session, RefreshTokenResult issued) = await SignInAndIssueAsync();
        _time.Advance(TimeSpan.FromMinutes(10));

        RefreshTokenResult rotated = await _service.RedeemAsync(issued.Value.Reveal(), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshTokenStatus.Rotated, rotated.Status);
        Assert.NotNull(rotated.AccessToken);
        Assert.NotEqual(issued.AccessToken, rotated.AccessToken);
        Assert.True((await _validator.ValidateAsync(rotated.AccessToken, TestContext.Current.CancellationToken)).IsSuccess);
        await _manager.RevokeAsync(session.Reveal(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await _validator.ValidateAsync(rotated.AccessToken, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Redeem_CountsAsActivity_SessionOutlivesItsIdleTimeout()
    {
        (SessionToken session, RefreshTokenResult issued) = await SignInAndIssueAsync();
        string refresh = issued.Value.Reveal();

        // Four refreshes 20 minutes apart: 80 minutes in all, well past the 30-minute idle timeout.
        for (int i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            RefreshTokenResult next = await _service.RedeemAsync(refresh, TestContext.Current.CancellationToken);
            Assert.Equal(RefreshTokenStatus.Rotated, next.Status);
            refresh = next.Value.Reveal();
            Assert.True((await _validator.ValidateAsync(next.AccessToken, TestContext.Current.CancellationToken)).IsSuccess);
        }

        Assert.True((await _manager.ValidateAsync(session.Reveal(), TestContext.Current.CancellationToken)).IsValid);
    }

    [Fact]
    public async Task Redeem_SessionIdleExpired_SessionNotLiveAndNoAccessToken()
    {
        (_, RefreshTokenResult issued) = await SignInAndIssueAsync();
        _time.Advance(TimeSpan.FromMinutes(31));

        RefreshTokenResult result = await _service.RedeemAsync(issued.Value.Reveal(), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshTokenStatus.SessionNotLive, result.Status);
        Assert.Null(result.AccessToken);
    }

    [Fact]
    public async Task Redeem_SessionIdleExpired_TokenIsNotSpentSoARetryIsNotReuse()
    {
        (_, RefreshTokenResult issued) = await SignInAndIssueAsync();
        _time.Advance(TimeSpan.FromMinutes(31));
        RefreshTokenResult first = await _service.RedeemAsync(issued.Value.Reveal(), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(5));

        RefreshTokenResult retry = await _service.RedeemAsync(issued.Value.Reveal(), TestContext.Current.CancellationToken);

        Assert.Equal(RefreshTokenStatus.SessionNotLive, first.Status);
        Assert.Equal(RefreshTokenStatus.SessionNotLive, retry.Status);
        RefreshFamily family = (await _store.FindRefreshFamilyByTokenAsync(issued.Value.Hash, TestContext.Current.CancellationToken))!;
        Assert.False(family.IsRevoked);
        Assert.Equal(0, family.Generation);
    }

    [Fact]
    public async Task Redeem_WithoutIssuer_HasNoAccessToken()
    {
        (SessionToken session, _) = await SignInAndIssueAsync();
        using RefreshTokenService plain = new(_manager);

        RefreshTokenResult issued = await plain.IssueAsync(session, TestContext.Current.CancellationToken);

        Assert.True(issued.IsSuccess);
        Assert.Null(issued.AccessToken);
    }

    [Fact]
    public async Task Results_ToString_NeverContainTheAccessToken()
    {
        (_, RefreshTokenResult issued) = await SignInAndIssueAsync();

        Assert.DoesNotContain(issued.AccessToken!, issued.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.AccessToken!.Split('.')[2], issued.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _service.Dispose();
        foreach (SigningKey key in _ring.Keys)
        {
            key.Dispose();
        }
    }

    private async Task<(SessionToken Session, RefreshTokenResult Issued)> SignInAndIssueAsync()
    {
        SessionToken session = (await _manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value;
        RefreshTokenResult issued = await _service.IssueAsync(session, TestContext.Current.CancellationToken);
        Assert.Equal(RefreshTokenStatus.Issued, issued.Status);
        return (session, issued);
    }
}
