using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Sessions;

// The manager runs on the in-memory store, whose calls complete synchronously; a test-cancellation token adds nothing here.
#pragma warning disable xUnit1051

public sealed class SessionManagerInvalidationTests
{
    public static TheoryData<InvalidationTrigger, RevocationReason> Triggers => new()
    {
        { InvalidationTrigger.PasswordChanged, RevocationReason.PasswordChanged },
        { InvalidationTrigger.MfaChanged, RevocationReason.MfaChanged },
        { InvalidationTrigger.AccountDisabled, RevocationReason.AccountDisabled },
        { InvalidationTrigger.SuspectedBreach, RevocationReason.SuspectedBreach },
    };

    public static TheoryData<InvalidationTrigger> KeepableTriggers => new()
    {
        InvalidationTrigger.PasswordChanged,
        InvalidationTrigger.MfaChanged,
        InvalidationTrigger.SuspectedBreach,
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    public async Task InvalidateUser_EachTrigger_RevokesAllSessionsAndFamiliesAndBumpsEpoch(InvalidationTrigger trigger, RevocationReason reason)
    {
        PolicyTestHost host = new();
        SignInResult[] sessions = [await host.SignInAsync("alice"), await host.SignInAsync("alice"), await host.SignInAsync("alice")];
        SignInResult bob = await host.SignInAsync("bob");
        RefreshFamily family = await CreateFamilyAsync(host, sessions[0].Session!);
        long epochBefore = (await host.Store.GetUserSecurityStateAsync("alice")).SecurityEpoch;

        UserInvalidationResult result = await host.Manager.InvalidateUserAsync("alice", trigger);

        Assert.Equal(SessionOperationStatus.Done, result.Status);
        Assert.Equal(epochBefore + 1, result.SecurityEpoch);
        Assert.Equal(epochBefore + 1, (await host.Store.GetUserSecurityStateAsync("alice")).SecurityEpoch);
        Assert.Equal(sessions.Select(s => s.Session!.Id.ToString()).Order(), result.Revoked.Select(id => id.ToString()).Order());
        Assert.Null(result.Kept);
        foreach (SignInResult s in sessions)
        {
            Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(s.Value.Reveal())).Status);
            Assert.Equal(reason, (await host.Store.FindAsync(s.Session!.Id))!.RevocationReason);
        }

        RefreshFamily after = (await host.Store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash))!;
        Assert.True(after.IsRevoked);
        Assert.Equal(reason, after.RevocationReason);
        Assert.True((await host.Manager.ValidateAsync(bob.Value.Reveal())).IsValid);
        Assert.Equal(0, (await host.Store.GetUserSecurityStateAsync("bob")).SecurityEpoch);
    }

    [Theory]
    [MemberData(nameof(KeepableTriggers))]
    public async Task InvalidateUser_KeepCurrent_RegeneratesItWithNewEpoch(InvalidationTrigger trigger)
    {
        PolicyTestHost host = new();
        SignInResult other = await host.SignInAsync("alice");
        SignInResult current = await host.SignInAsync("alice");
        RefreshFamily family = await CreateFamilyAsync(host, current.Session!);

        UserInvalidationResult result = await host.Manager.InvalidateUserAsync("alice", trigger, keep: current.Value.Reveal());

        Assert.NotNull(result.Kept);
        SessionRegenerationResult kept = result.Kept;
        Assert.True(kept.IsSuccess);
        Assert.NotEqual(current.Value.Reveal(), kept.Value.Reveal());
        Assert.Equal(result.SecurityEpoch, kept.Session!.SecurityEpoch);
        Assert.Equal([other.Session!.Id], result.Revoked);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(current.Value.Reveal())).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await host.Manager.ValidateAsync(other.Value.Reveal())).Status);
        SessionValidationResult live = await host.Manager.ValidateAsync(kept.Value.Reveal());
        Assert.Equal(result.SecurityEpoch, live.Value.SecurityEpoch);
        Assert.True((await host.Store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash))!.IsRevoked);
        Assert.Single((await host.Manager.ListSessionsAsync("alice")).Value);
    }

    [Fact]
    public async Task InvalidateUser_KeepCurrent_DoesNotResetFreshness()
    {
        PolicyTestHost host = new();
        SignInResult current = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(20));

        UserInvalidationResult result = await host.Manager.InvalidateUserAsync("alice", InvalidationTrigger.SuspectedBreach, keep: current.Value.Reveal());

        Assert.Equal(current.Session!.AuthenticatedAt, result.Kept!.Session!.AuthenticatedAt);
        FreshnessResult freshness = await host.Manager.CheckFreshnessAsync(result.Kept.Value.Reveal(), new FreshnessRequirement(TimeSpan.FromMinutes(5)));
        Assert.Equal(FreshnessStatus.ReauthenticationRequired, freshness.Status);
    }

    [Fact]
    public async Task InvalidateUser_KeepTokenOfOtherUser_IsIgnoredAndAllRevoked()
    {
        PolicyTestHost host = new();
        SignInResult alice = await host.SignInAsync("alice");
        SignInResult mallory = await host.SignInAsync("mallory");

        UserInvalidationResult result = await host.Manager.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, keep: mallory.Value.Reveal());

        Assert.Null(result.Kept);
        Assert.Equal([alice.Session!.Id], result.Revoked);
        Assert.True((await host.Manager.ValidateAsync(mallory.Value.Reveal())).IsValid);
    }

    [Fact]
    public async Task InvalidateUser_AccountDisabledWithKeep_Throws()
    {
        PolicyTestHost host = new();
        SignInResult alice = await host.SignInAsync("alice");
        await Assert.ThrowsAsync<ArgumentException>(() => host.Manager.InvalidateUserAsync("alice", InvalidationTrigger.AccountDisabled, keep: alice.Value.Reveal()).AsTask());
    }

    [Fact]
    public async Task InvalidateUser_EpochGrowsWithEveryInvalidation()
    {
        PolicyTestHost host = new();
        await host.SignInAsync("alice");
        UserInvalidationResult first = await host.Manager.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged);
        SignInResult next = await host.SignInAsync("alice");
        UserInvalidationResult second = await host.Manager.InvalidateUserAsync("alice", InvalidationTrigger.MfaChanged);

        Assert.Equal(first.SecurityEpoch + 1, second.SecurityEpoch);
        Assert.Equal(first.SecurityEpoch, next.Session!.SecurityEpoch);
    }

    private static async Task<RefreshFamily> CreateFamilyAsync(PolicyTestHost host, Session session)
    {
        DateTimeOffset now = host.Time.GetUtcNow();
        RefreshFamilyCreateResult created = await host.Store.CreateRefreshFamilyAsync(new RefreshFamilyCreation
        {
            FamilyId = RefreshFamilyId.Parse(TokenSource.System.NewIdentifier()),
            SessionId = session.Id,
            TokenHash = RefreshToken.Mint(TokenSource.System).Hash,
            Lifetime = TimeSpan.FromDays(1),
            IdleLifetime = TimeSpan.FromHours(1),
            Rules = host.Manager.Rules,
            Now = now,
        });
        Assert.True(created.IsSuccess);
        return created.Family!;
    }
}
