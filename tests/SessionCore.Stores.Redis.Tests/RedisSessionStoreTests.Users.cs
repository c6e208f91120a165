using System;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

public sealed partial class RedisSessionStoreTests
{
    [Fact]
    public async Task GetUserSecurityState_UnknownUser_IsEpochZeroWithoutDevices()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken);

        Assert.Equal(user, state.UserId);
        Assert.Equal(0, state.SecurityEpoch);
        Assert.Empty(state.KnownDevices);
    }

    [Fact]
    public async Task IncrementSecurityEpoch_Parallel_CountsEveryIncrement()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();

        Assert.Equal(1, await store.IncrementSecurityEpochAsync(user, TestContext.Current.CancellationToken));
        long[] epochs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(async () => await store.IncrementSecurityEpochAsync(user, TestContext.Current.CancellationToken))));

        Assert.Equal(Enumerable.Range(2, 20).Select(i => (long)i), epochs.Order());
        Assert.Equal(21, (await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken)).SecurityEpoch);
        Assert.Equal(0, (await store.GetUserSecurityStateAsync(NewUser(), TestContext.Current.CancellationToken)).SecurityEpoch);
    }

    [Fact]
    public async Task RememberDevice_NewThenKnown_RefreshesLastSeenOnly()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        KnownDevice device = new("fp-1", "dev-hash", "Firefox on Linux", "198.51.100.0/24", Now, Now);
        KnownDevice again = new("fp-1", null, "Other", null, Now.AddDays(1), Now.AddDays(1).AddTicks(5));

        Assert.True(await store.RememberDeviceAsync(user, device, 5, TestContext.Current.CancellationToken));
        Assert.False(await store.RememberDeviceAsync(user, again, 5, TestContext.Current.CancellationToken));

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken);
        Assert.Equal(device with { LastSeenAt = again.LastSeenAt }, Assert.Single(state.KnownDevices));
    }

    [Fact]
    public async Task RememberDevice_NewDeviceInTheSameMillisecond_IsTheOneKept()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();

        // Half a millisecond apart, and "laptop" sorts before "phone": the device just seen must still stay.
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("phone", null, null, null, Now, Now), 1, TestContext.Current.CancellationToken));
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("laptop", null, null, null, Now.AddTicks(5000), Now.AddTicks(5000)), 1, TestContext.Current.CancellationToken));

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken);
        Assert.Equal("laptop", Assert.Single(state.KnownDevices).Key);
    }

    [Fact]
    public async Task RememberDevice_BeyondMax_DropsLeastRecentlySeen()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        KnownDevice[] devices = [.. Enumerable.Range(0, 5).Select(i => new KnownDevice("fp-" + i, null, null, null, Now.AddMinutes(i), Now.AddMinutes(i)))];
        foreach (KnownDevice device in devices)
        {
            await store.RememberDeviceAsync(user, device, 3, TestContext.Current.CancellationToken);
        }

        // Seeing fp-2 again makes it the most recent; the next new device then pushes out fp-3.
        await store.RememberDeviceAsync(user, devices[2] with { LastSeenAt = Now.AddHours(1) }, 3, TestContext.Current.CancellationToken);
        await store.RememberDeviceAsync(user, new KnownDevice("fp-9", null, null, null, Now.AddHours(2), Now.AddHours(2)), 3, TestContext.Current.CancellationToken);

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken);
        Assert.Equal(["fp-4", "fp-2", "fp-9"], state.KnownDevices.Select(d => d.Key));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.RememberDeviceAsync(user, devices[0], 0, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PurgeExpired_DeletesDueRecordsAndTheirLookups()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session idle = NewSession(user, Now, idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromHours(1));
        Session revoked = NewSession(user, Now, idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromHours(1));
        Session longLived = NewSession(user, Now, idle: TimeSpan.FromHours(3), absolute: TimeSpan.FromHours(3));
        foreach (Session s in new[] { idle, revoked, longLived })
        {
            await store.CreateAsync(s, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        }

        RefreshFamily shortFamily = NewFamily(longLived, Now) with { AbsoluteExpiresAt = Now.AddMinutes(30), CurrentIdleExpiresAt = Now.AddMinutes(30) };
        RefreshFamily family = NewFamily(longLived, Now);
        await store.CreateRefreshFamilyAsync(shortFamily, Now, TestContext.Current.CancellationToken);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        RefreshRedemption rotation = Redeem(shortFamily.CurrentTokenHash, Now);
        await store.RedeemRefreshTokenAsync(rotation, TestContext.Current.CancellationToken);
        await store.RevokeAsync(revoked.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);

        Assert.Equal(0, await store.PurgeExpiredAsync(Now.AddMinutes(10).AddTicks(-1), TestContext.Current.CancellationToken));

        // At +10 min the idle session is due; the revoked one stays until its absolute expiry.
        Assert.Equal(1, await store.PurgeExpiredAsync(Now.AddMinutes(10), TestContext.Current.CancellationToken));
        Assert.Null(await store.FindAsync(idle.Id, TestContext.Current.CancellationToken));
        Assert.NotNull(await store.FindAsync(revoked.Id, TestContext.Current.CancellationToken));

        // At +1 h the revoked session and the short family (with both its token hashes) go.
        Assert.Equal(2, await store.PurgeExpiredAsync(Now.AddHours(1), TestContext.Current.CancellationToken));
        Assert.Null(await store.FindAsync(revoked.Id, TestContext.Current.CancellationToken));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(shortFamily.CurrentTokenHash, TestContext.Current.CancellationToken));
        Assert.Null(await store.FindRefreshFamilyByTokenAsync(rotation.SuccessorTokenHash, TestContext.Current.CancellationToken));
        Assert.Equal(RefreshRedeemStatus.NotFound, (await store.RedeemRefreshTokenAsync(Redeem(rotation.SuccessorTokenHash, Now.AddHours(1)), TestContext.Current.CancellationToken)).Status);
        Assert.NotNull(await store.FindAsync(longLived.Id, TestContext.Current.CancellationToken));
        Assert.NotNull(await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken));
        Assert.Equal(0, await store.PurgeExpiredAsync(Now.AddHours(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PurgeExpired_PrefixWithGlobCharacters_PurgesItsOwnRecordsOnly()
    {
        string run = NewUser()[5..11];
        RedisSessionStore globbed = fixture.CreateStore("g[" + run + "]*?\\:");
        RedisSessionStore neighbour = fixture.CreateStore("g" + run + "x:");
        Session mine = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(10));
        Session theirs = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(10));
        await globbed.CreateAsync(mine, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await neighbour.CreateAsync(theirs, SessionLimit.None, Now, TestContext.Current.CancellationToken);

        Assert.Equal(1, await globbed.PurgeExpiredAsync(Now.AddMinutes(10), TestContext.Current.CancellationToken));

        Assert.Null(await globbed.FindAsync(mine.Id, TestContext.Current.CancellationToken));
        Assert.NotNull(await neighbour.FindAsync(theirs.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PurgeExpired_TouchedSession_UsesTheNewIdleExpiry()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now, idle: TimeSpan.FromMinutes(10));
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await store.TouchAsync(session.Id, 0, Now.AddMinutes(5), Now.AddMinutes(15), TestContext.Current.CancellationToken);

        Assert.Equal(0, await store.PurgeExpiredAsync(Now.AddMinutes(12), TestContext.Current.CancellationToken));
        Assert.Equal(1, await store.PurgeExpiredAsync(Now.AddMinutes(15), TestContext.Current.CancellationToken));
    }
}
