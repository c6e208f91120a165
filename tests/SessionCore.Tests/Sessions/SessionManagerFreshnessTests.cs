using System;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.Sessions;

// The manager runs on the in-memory store, whose calls complete synchronously; a test-cancellation token adds nothing here.
#pragma warning disable xUnit1051

public sealed class SessionManagerFreshnessTests
{
    private static readonly FreshnessRequirement FiveMinutes = new(TimeSpan.FromMinutes(5));

    [Fact]
    public async Task CheckFreshness_JustSignedIn_IsFresh()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(2));

        FreshnessResult result = await host.Manager.CheckFreshnessAsync(signIn.Value.Reveal(), FiveMinutes);

        Assert.Equal(FreshnessStatus.Fresh, result.Status);
        Assert.True(result.IsFresh);
        Assert.Equal(TimeSpan.FromMinutes(2), result.Age);
        Assert.Equal(signIn.Session!.Id, result.Value.Id);
    }

    [Fact]
    public async Task CheckFreshness_OldAuthentication_RequiresReauthentication_ThenRegenerateMakesItFresh()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(6));

        FreshnessResult stale = await host.Manager.CheckFreshnessAsync(signIn.Value.Reveal(), FiveMinutes);
        Assert.Equal(FreshnessStatus.ReauthenticationRequired, stale.Status);
        Assert.Equal(TimeSpan.FromMinutes(6), stale.Age);
        Assert.False(stale.TryGetValue(out _));
        Assert.Throws<InvalidOperationException>(() => stale.Value);

        SessionRegenerationResult regenerated = await host.Manager.RegenerateAsync(signIn.Value.Reveal(), new SessionChange { Reauthenticated = true });
        FreshnessResult fresh = await host.Manager.CheckFreshnessAsync(regenerated.Value.Reveal(), FiveMinutes);
        Assert.Equal(FreshnessStatus.Fresh, fresh.Status);
        Assert.Equal(TimeSpan.Zero, fresh.Age);
    }

    [Fact]
    public async Task CheckFreshness_ExactlyAtLimit_IsNotFresh()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(FreshnessStatus.ReauthenticationRequired, (await host.Manager.CheckFreshnessAsync(signIn.Value.Reveal(), FiveMinutes)).Status);
    }

    [Fact]
    public async Task CheckFreshness_RegenerateWithoutReauthentication_StaysStale()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(10));

        SessionRegenerationResult rotated = await host.Manager.RegenerateAsync(signIn.Value.Reveal());

        Assert.Equal(FreshnessStatus.ReauthenticationRequired, (await host.Manager.CheckFreshnessAsync(rotated.Value.Reveal(), FiveMinutes)).Status);
    }

    [Fact]
    public async Task CheckFreshness_LevelTooLow_RequiresStepUp_ThenStepUpSatisfies()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice", r => r.AuthenticationLevel = 1);
        FreshnessRequirement mfa = new(TimeSpan.FromMinutes(5), minimumAuthenticationLevel: 2);

        FreshnessResult low = await host.Manager.CheckFreshnessAsync(signIn.Value.Reveal(), mfa);
        Assert.Equal(FreshnessStatus.StepUpRequired, low.Status);
        Assert.Equal(2, low.RequiredLevel);

        SessionRegenerationResult stepped = await host.Manager.RegenerateAsync(signIn.Value.Reveal(), new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
        Assert.Equal(FreshnessStatus.Fresh, (await host.Manager.CheckFreshnessAsync(stepped.Value.Reveal(), mfa)).Status);
    }

    [Theory]
    [InlineData(null, SessionValidationStatus.Malformed)]
    [InlineData("junk", SessionValidationStatus.Malformed)]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SessionValidationStatus.NotFound)]
    public async Task CheckFreshness_NoSession_IsNotAuthenticated(string? token, SessionValidationStatus expected)
    {
        PolicyTestHost host = new();

        FreshnessResult result = await host.Manager.CheckFreshnessAsync(token, FiveMinutes);

        Assert.Equal(FreshnessStatus.NotAuthenticated, result.Status);
        Assert.Equal(expected, result.Validation);
    }

    [Fact]
    public async Task CheckFreshness_RevokedSessionObject_IsNotAuthenticated()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        await host.Manager.RevokeAsync(signIn.Value.Reveal());
        Session revoked = (await host.Store.FindAsync(signIn.Session!.Id))!;

        FreshnessResult result = host.Manager.CheckFreshness(revoked, FiveMinutes);

        Assert.Equal(FreshnessStatus.NotAuthenticated, result.Status);
        Assert.Equal(SessionValidationStatus.Revoked, result.Validation);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(31 * 24 * 60)]
    public void FreshnessRequirement_MaxAgeOutOfRange_Throws(int minutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FreshnessRequirement(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void FreshnessRequirement_NegativeLevel_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FreshnessRequirement(TimeSpan.FromMinutes(1), -1));

    [Property(MaxTest = 100)]
    public bool FreshIffYoungerThanMaxAge_Holds(PositiveInt ageSeconds, PositiveInt maxAgeSeconds)
    {
        int age = ageSeconds.Get % 7200;
        int max = (maxAgeSeconds.Get % 7200) + 1;
        PolicyTestHost host = new(o => { o.IdleTimeout = TimeSpan.FromHours(3); o.AbsoluteLifetime = TimeSpan.FromHours(3); });
        SignInResult signIn = host.SignInAsync("alice").GetAwaiter().GetResult();
        host.Time.Advance(TimeSpan.FromSeconds(age));

        FreshnessResult result = host.Manager.CheckFreshness(signIn.Session!, new FreshnessRequirement(TimeSpan.FromSeconds(max)));

        return result.IsFresh == (age < max) && result.Age == TimeSpan.FromSeconds(age);
    }
}
