using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.DependencyInjection;
using SessionCore.Diagnostics;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

public sealed class RefreshTokenServiceTests
{
    private static RefreshTokenOptions Grace(int seconds) => new() { GraceWindow = TimeSpan.FromSeconds(seconds) };

    [Fact]
    public async Task Issue_LiveSession_CreatesFamilyBoundToSession()
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();

        Assert.True(issued.IsSuccess);
        Assert.StartsWith(RefreshToken.Prefix, issued.Value.Reveal());
        Assert.Equal(sessionToken.Id, issued.Session.Id);
        RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
        Assert.Equal(issued.FamilyId, family.FamilyId);
        Assert.Equal(sessionToken.Id, family.SessionId);
        Assert.Equal(0, family.Generation);
        Assert.Equal(issued.Value.Hash, family.CurrentTokenHash);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromDays(1), family.CurrentIdleExpiresAt);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromDays(7), family.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task Issue_FamilyLifetimeLongerThanSession_CappedAtSessionExpiry()
    {
        using RotationHarness h = new(sessionOptions: new SessionOptions { IdleTimeout = TimeSpan.FromHours(1), AbsoluteLifetime = TimeSpan.FromHours(2) });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromHours(2), family.AbsoluteExpiresAt);
        Assert.Equal(RotationHarness.Start + TimeSpan.FromHours(2), family.CurrentIdleExpiresAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sc_")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Issue_MalformedSessionToken_Malformed(string? text)
    {
        using RotationHarness h = new();
        RefreshTokenResult result = await h.Service.IssueAsync(text);
        Assert.Equal(RefreshTokenStatus.Malformed, result.Status);
        Assert.Equal(0, h.Store.FamilyCreations);
    }

    [Fact]
    public async Task Issue_RevokedSession_SessionNotLive()
    {
        using RotationHarness h = new();
        (SessionToken token, _) = await h.SignInAsync();
        await h.Manager.RevokeAsync(token.Reveal());
        RefreshTokenResult result = await h.Service.IssueAsync(token);
        Assert.Equal(RefreshTokenStatus.SessionNotLive, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.False(result.TryGetValue(out _));
        Assert.Equal(0, h.Store.FamilyCreations);
    }

    [Fact]
    public async Task Issue_StoreFails_StoreUnavailable()
    {
        using RotationHarness h = new();
        (SessionToken token, _) = await h.SignInAsync();
        h.Store.FailWhen = op => op == nameof(ISessionStore.CreateRefreshFamilyAsync);
        RefreshTokenResult result = await h.Service.IssueAsync(token);
        Assert.Equal(RefreshTokenStatus.StoreUnavailable, result.Status);
    }

    [Fact]
    public async Task Redeem_CurrentToken_RotatesToOneNewSuccessor()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        h.Time.Advance(TimeSpan.FromMinutes(5));

        RefreshTokenResult result = await h.Service.RedeemAsync(issued.Value.Reveal());

        Assert.Equal(RefreshTokenStatus.Rotated, result.Status);
        Assert.NotEqual(issued.Value.Reveal(), result.Value.Reveal());
        Assert.Equal(issued.Session!.Id, result.Session!.Id);
        Assert.Equal(issued.FamilyId, result.FamilyId);
        RefreshFamily family = await h.RequireFamilyAsync(result.Value.Hash);
        Assert.Equal(1, family.Generation);
        Assert.Equal(result.Value.Hash, family.CurrentTokenHash);
        Assert.Equal(issued.Value.Hash, family.PreviousTokenHash);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromDays(1), family.CurrentIdleExpiresAt);
        Assert.Equal(1, h.Store.Rotations);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    public async Task Redeem_PreviousTokenInsideGrace_ReturnsSameSuccessorAndCreatesNothing(int secondsLater)
    {
        using RotationHarness h = new(Grace(10));
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value.Reveal());
        RefreshFamily before = await h.RequireFamilyAsync(first.Value.Hash);
        h.Time.Advance(TimeSpan.FromSeconds(secondsLater));

        RefreshTokenResult retry = await h.Service.RedeemAsync(issued.Value.Reveal());

        Assert.Equal(RefreshTokenStatus.GraceRetry, retry.Status);
        Assert.Equal(first.Value.Reveal(), retry.Value.Reveal());
        Assert.Equal(before, await h.RequireFamilyAsync(first.Value.Hash));
        Assert.Equal(1, h.Store.Rotations);
        Assert.Empty(h.Events.Reuses);
    }

    [Fact]
    public async Task Redeem_PreviousTokenAfterGrace_ReusedRevokesFamilyAndSession()
    {
        using RotationHarness h = new(Grace(10));
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);
        h.Time.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(1));

        RefreshTokenResult retry = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.Reused, retry.Status);
        Assert.Null(retry.Token);
        RefreshFamily family = await h.RequireFamilyAsync(first.Value.Hash);
        Assert.True(family.IsRevoked);
        Assert.Equal(RevocationReason.RefreshTokenReuse, family.RevocationReason);
        Assert.True(family.SealedCurrentToken.IsEmpty);
        Session? session = await h.Store.FindAsync(sessionToken.Id);
        Assert.Equal(RevocationReason.RefreshTokenReuse, session!.RevocationReason);
        Assert.Equal(RefreshTokenStatus.Reused, (await h.Service.RedeemAsync(first.Value)).Status);
        Assert.False((await h.Manager.ValidateAsync(sessionToken)).IsValid);
    }

    [Fact]
    public async Task Redeem_GraceZero_ImmediateRetryIsReuse()
    {
        using RotationHarness h = new(Grace(0));
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);

        RefreshTokenResult retry = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.Reused, retry.Status);
        Assert.True((await h.RequireFamilyAsync(first.Value.Hash)).IsRevoked);
    }

    [Fact]
    public async Task Redeem_TwoGenerationsOldInsideGrace_Reused()
    {
        using RotationHarness h = new(Grace(10));
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult second = await h.Service.RedeemAsync(issued.Value);
        RefreshTokenResult third = await h.Service.RedeemAsync(second.Value);
        Assert.Equal(RefreshTokenStatus.Rotated, third.Status);

        RefreshTokenResult old = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.Reused, old.Status);
        Assert.True((await h.RequireFamilyAsync(third.Value.Hash)).IsRevoked);
    }

    [Fact]
    public async Task Redeem_Reuse_RaisesEventWithIdsAndNoSecret()
    {
        using RotationHarness h = new(Grace(0));
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync("bob");
        RefreshTokenResult next = await h.Service.RedeemAsync(issued.Value);

        await h.Service.RedeemAsync(issued.Value);

        RefreshTokenReuseDetected reuse = Assert.Single(h.Events.Reuses);
        Assert.Equal("bob", reuse.UserId);
        Assert.Equal(sessionToken.Id, reuse.SessionId);
        Assert.Equal(issued.FamilyId, reuse.FamilyId);
        Assert.False(reuse.FamilyWasRevoked);
        Assert.Equal(h.Time.GetUtcNow(), reuse.OccurredAt);
        string text = reuse.ToString();
        foreach (string secret in new[] { issued.Value.Reveal(), next.Value.Reveal(), issued.Value.Hash.ToString(), next.Value.Hash.ToString(), sessionToken.Reveal() })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[^20..], text, StringComparison.Ordinal);
        }

        SessionRevoked revoked = Assert.Single(h.Events.All.OfType<SessionRevoked>());
        Assert.Equal(RevocationReason.RefreshTokenReuse, revoked.Reason);
    }

    [Fact]
    public async Task Redeem_RevokedFamily_ReusedRevokesSessionAndRaisesEvent()
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        Assert.Equal(SessionOperationStatus.Done, await h.Service.RevokeAsync(issued.Value.Reveal()));
        Assert.True((await h.Manager.ValidateAsync(sessionToken)).IsValid);

        RefreshTokenResult result = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.Reused, result.Status);
        Assert.True(Assert.Single(h.Events.Reuses).FamilyWasRevoked);
        Assert.False((await h.Manager.ValidateAsync(sessionToken)).IsValid);
    }

    [Fact]
    public async Task Redeem_AfterSessionRevoked_NoRefreshAccepted()
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult current = await h.Service.RedeemAsync(issued.Value);
        Assert.Equal(SessionOperationStatus.Done, await h.Manager.RevokeAsync(sessionToken.Reveal()));

        RefreshFamily family = await h.RequireFamilyAsync(current.Value.Hash);
        Assert.True(family.IsRevoked);
        Assert.Equal(RevocationReason.Logout, family.RevocationReason);
        Assert.False((await h.Service.RedeemAsync(current.Value)).IsSuccess);
        Assert.False((await h.Service.RedeemAsync(issued.Value)).IsSuccess);
        Assert.Equal(RefreshTokenStatus.SessionNotLive, (await h.Service.IssueAsync(sessionToken)).Status);
    }

    [Fact]
    public async Task RevokeSession_AllFamiliesOfSessionRevoked_OtherSessionUntouched()
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult a) = await h.SignInAndIssueAsync();
        RefreshTokenResult b = await h.Service.IssueAsync(sessionToken);
        (_, RefreshTokenResult other) = await h.SignInAndIssueAsync("carol");

        await h.Manager.RevokeAsync(sessionToken.Id, RevocationReason.Administrative);

        Assert.True((await h.RequireFamilyAsync(a.Value.Hash)).IsRevoked);
        Assert.True((await h.RequireFamilyAsync(b.Value.Hash)).IsRevoked);
        Assert.False((await h.RequireFamilyAsync(other.Value.Hash)).IsRevoked);
        Assert.Equal(RefreshTokenStatus.Rotated, (await h.Service.RedeemAsync(other.Value)).Status);
    }

    [Fact]
    public async Task Revoke_AnyTokenOfFamily_RevokesFamilyOnce()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult next = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(SessionOperationStatus.Done, await h.Service.RevokeAsync(issued.Value.Reveal()));
        Assert.Equal(SessionOperationStatus.NothingToDo, await h.Service.RevokeAsync(next.Value.Reveal()));
        Assert.Equal(SessionOperationStatus.NothingToDo, await h.Service.RevokeAsync("junk"));
        Assert.Equal(SessionOperationStatus.NothingToDo, await h.Service.RevokeAsync(RefreshToken.Mint(TokenSource.System).Reveal()));
        h.Store.FailWhen = _ => true;
        Assert.Equal(SessionOperationStatus.StoreUnavailable, await h.Service.RevokeAsync(next.Value.Reveal()));
    }

    [Fact]
    public async Task Redeem_IdleExpired_ExpiredAndNothingChanges()
    {
        using RotationHarness h = new(new RefreshTokenOptions { IdleLifetime = TimeSpan.FromHours(1) });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        h.Time.Advance(TimeSpan.FromMinutes(59));
        RefreshTokenResult next = await h.Service.RedeemAsync(issued.Value);
        Assert.Equal(RefreshTokenStatus.Rotated, next.Status);
        h.Time.Advance(TimeSpan.FromHours(1));
        RefreshFamily before = await h.RequireFamilyAsync(next.Value.Hash);

        RefreshTokenResult late = await h.Service.RedeemAsync(next.Value);

        Assert.Equal(RefreshTokenStatus.Expired, late.Status);
        Assert.Equal(before, await h.RequireFamilyAsync(next.Value.Hash));
        Assert.Empty(h.Events.Reuses);
    }

    [Fact]
    public async Task Redeem_ConstantUse_StopsAtFamilyAbsoluteLifetime()
    {
        using RotationHarness h = new(new RefreshTokenOptions { FamilyLifetime = TimeSpan.FromHours(3), IdleLifetime = TimeSpan.FromHours(1) });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshToken token = issued.Value;
        DateTimeOffset end = RotationHarness.Start + TimeSpan.FromHours(3);
        int rotations = 0;
        while (true)
        {
            h.Time.Advance(TimeSpan.FromMinutes(50));
            RefreshTokenResult result = await h.Service.RedeemAsync(token);
            if (!result.IsSuccess)
            {
                Assert.Equal(RefreshTokenStatus.Expired, result.Status);
                Assert.True(h.Time.GetUtcNow() >= end);
                break;
            }

            RefreshFamily family = await h.RequireFamilyAsync(result.Value.Hash);
            Assert.True(family.CurrentIdleExpiresAt <= end);
            token = result.Value;
            rotations++;
        }

        Assert.Equal(3, rotations);
    }

    [Fact]
    public async Task Redeem_OtherNodeWithoutKey_RetryConflictWithoutRevocation()
    {
        using RotationHarness h = new(Grace(10));
        using RefreshTokenService otherNode = new(h.Manager, Grace(10));
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);

        RefreshTokenResult retry = await otherNode.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.RetryConflict, retry.Status);
        Assert.False((await h.RequireFamilyAsync(first.Value.Hash)).IsRevoked);
        Assert.True((await h.Manager.ValidateAsync(sessionToken)).IsValid);
        Assert.Empty(h.Events.Reuses);
    }

    [Fact]
    public async Task Redeem_SharedKey_RetryOnOtherNodeReturnsSameSuccessor()
    {
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        using RotationHarness h = new(new RefreshTokenOptions { SealingKey = key });
        using RefreshTokenService otherNode = new(h.Manager, new RefreshTokenOptions { SealingKey = key });
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);

        RefreshTokenResult retry = await otherNode.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.GraceRetry, retry.Status);
        Assert.Equal(first.Value.Reveal(), retry.Value.Reveal());
    }

    [Fact]
    public async Task Redeem_TamperedSealedSuccessor_RetryConflictWithoutRevocation()
    {
        using RotationHarness h = new(Grace(10));
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);
        h.Store.RewriteRedeemedFamily = f =>
        {
            byte[] sealedValue = f.SealedCurrentToken.ToArray();
            sealedValue[^1] ^= 1;
            return f with { SealedCurrentToken = sealedValue };
        };

        RefreshTokenResult retry = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.RetryConflict, retry.Status);
        Assert.False((await h.RequireFamilyAsync(first.Value.Hash)).IsRevoked);
    }

    [Fact]
    public async Task Redeem_SealedSuccessorMovedToAnotherFamily_DoesNotOpen()
    {
        using RotationHarness h = new(Grace(10));
        (_, RefreshTokenResult a) = await h.SignInAndIssueAsync();
        (_, RefreshTokenResult b) = await h.SignInAndIssueAsync("dave");
        await h.Service.RedeemAsync(a.Value);
        await h.Service.RedeemAsync(b.Value);
        RefreshFamily familyA = await h.RequireFamilyAsync(a.Value.Hash);
        h.Store.RewriteRedeemedFamily = f => f with { SealedCurrentToken = familyA.SealedCurrentToken };

        RefreshTokenResult retry = await h.Service.RedeemAsync(b.Value);

        Assert.Equal(RefreshTokenStatus.RetryConflict, retry.Status);
    }

    [Fact]
    public async Task Redeem_StoreFails_StoreUnavailableAndOneCallOnly()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        h.Store.FailWhen = op => op == nameof(ISessionStore.RedeemRefreshTokenAsync);
        h.Store.ResetCalls();

        RefreshTokenResult result = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.StoreUnavailable, result.Status);
        Assert.Null(result.Token);
        Assert.Equal(1, h.Store.TotalCalls);
    }

    [Fact]
    public async Task Redeem_StoreFailsOnAReplay_StoreUnavailableAndTheFamilyIsNotHalfRevoked()
    {
        // Reuse revokes the family and its session in the redemption's own step: a failure leaves both as they were,
        // and the next replay (the store back) revokes both together.
        using RotationHarness h = new(Grace(0));
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        await h.Service.RedeemAsync(issued.Value);
        h.Store.FailWhen = op => op == nameof(ISessionStore.RedeemRefreshTokenAsync);

        RefreshTokenResult failed = await h.Service.RedeemAsync(issued.Value);
        RefreshFamily untouched = await h.RequireFamilyAsync(issued.Value.Hash);
        h.Store.FailWhen = null;
        RefreshTokenResult replayed = await h.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.StoreUnavailable, failed.Status);
        Assert.False(untouched.IsRevoked);
        Assert.Equal(RefreshTokenStatus.Reused, replayed.Status);
        Assert.True((await h.RequireFamilyAsync(issued.Value.Hash)).IsRevoked);
        Assert.True((await h.Store.FindAsync(sessionToken.Id))!.IsRevoked);
    }

    [Fact]
    public async Task Redeem_UnknownWellFormedToken_NotFound()
    {
        using RotationHarness h = new();
        await h.SignInAndIssueAsync();
        RefreshTokenResult result = await h.Service.RedeemAsync(RefreshToken.Mint(TokenSource.System));
        Assert.Equal(RefreshTokenStatus.NotFound, result.Status);
        Assert.Equal("NotFound", result.ToString());
    }

    [Fact]
    public async Task Redeem_Null_Throws()
    {
        using RotationHarness h = new();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await h.Service.RedeemAsync((RefreshToken)null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await h.Service.IssueAsync((SessionToken)null!));
    }

    [Fact]
    public async Task AddRefreshTokens_Registered_ResolvesWorkingService()
    {
        ServiceCollection services = new();
        services.AddSessionCore().AddInMemoryStore().AddRefreshTokens(o => o.GraceWindow = TimeSpan.FromSeconds(5));
        await using ServiceProvider provider = services.BuildServiceProvider();
        RefreshTokenService service = provider.GetRequiredService<RefreshTokenService>();
        SessionManager manager = provider.GetRequiredService<SessionManager>();
        SignInResult signIn = await manager.SignInAsync(new SignInRequest("erin"));

        RefreshTokenResult issued = await service.IssueAsync(signIn.Value);

        Assert.Equal(RefreshTokenStatus.Issued, issued.Status);
        Assert.Equal(RefreshTokenStatus.Rotated, (await service.RedeemAsync(issued.Value)).Status);
    }

    [Fact]
    public void AddRefreshTokens_BadOptions_ThrowsAtRegistration()
    {
        ServiceCollection services = new();
        SessionCoreBuilder builder = services.AddSessionCore();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRefreshTokens(o => o.GraceWindow = TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task Redeem_RetryOnNodeWithClockFarBehind_RetryConflictWithoutRevocation()
    {
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        using RotationHarness h = new(new RefreshTokenOptions { SealingKey = key });
        Microsoft.Extensions.Time.Testing.FakeTimeProvider lateClock = new(RotationHarness.Start + TimeSpan.FromHours(1));
        using RotationHarness lateNode = new(new RefreshTokenOptions { SealingKey = key }, store: h.Store, time: lateClock);
        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(2));
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult first = await h.Service.RedeemAsync(issued.Value);

        RefreshTokenResult retry = await lateNode.Service.RedeemAsync(issued.Value);

        Assert.Equal(RefreshTokenStatus.RetryConflict, retry.Status);
        Assert.False((await h.RequireFamilyAsync(first.Value.Hash)).IsRevoked);
    }

    [Fact]
    public async Task Redeem_AfterDispose_Throws()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        h.Service.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await h.Service.RedeemAsync(issued.Value));
    }

    [Fact]
    public async Task Result_ToString_ShowsStatusOnly()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        RefreshTokenResult rotated = await h.Service.RedeemAsync(issued.Value);
        Assert.Equal("Rotated", rotated.ToString());
        Assert.Equal("[redacted]", rotated.Value.ToString());
    }

    [Fact]
    public void PublicTypes_Rotation_SealedOrStatic()
    {
        foreach (Type type in typeof(RefreshTokenService).Assembly.GetExportedTypes().Where(t => t.Namespace == "SessionCore.Rotation" && t.IsClass))
        {
            Assert.True(type.IsSealed, type.Name);
        }
    }
}
