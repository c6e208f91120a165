using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Per-user security state (epoch, known devices) and user ids that break naive keys.
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>Gets user ids that break naive key building, escaping or index limits.</summary>
    public static TheoryData<string> OddUserIds
    {
        get
        {
            // 1 KB and more of UTF-8: 200 four-byte characters (surrogate pairs) plus ASCII and two-byte ones.
            StringBuilder big = new();
            for (int i = 0; i < 200; i++)
            {
                big.Append("😀");
            }

            big.Append('é', 100).Append('x', 100);
            return new TheoryData<string>
            {
                "ünïcødé-用户-пользователь",
                big.ToString(),
                "a:b{c}$d.e*f",
                "{\"$ne\":null}",
                "user:*",
                "$where",
                "a.b",
                "back\\slash/and\"quote'",
                "tab\tand\nnewline",
                "ＦＵＬＬ",
            };
        }
    }

    [Fact]
    public virtual async Task GetUserSecurityState_UnknownUser_EpochZeroAndNoDevices()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);

        Assert.Equal(user, state.UserId);
        Assert.Equal(0, state.SecurityEpoch);
        Assert.Empty(state.KnownDevices);
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));
    }

    [Fact]
    public virtual async Task GetSecurityEpoch_AgreesWithTheFullState()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0) with { AdvanceEpoch = true }, Ct);
        await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.MfaChanged, T0) with { AdvanceEpoch = true }, Ct);
        await store.RememberDeviceAsync(user, NewDevice("device", T0), 5, Ct);

        Assert.Equal(2, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Equal((await store.GetUserSecurityStateAsync(user, Ct)).SecurityEpoch, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(NewUserId(), Ct));
    }

    [Fact]
    public virtual async Task RememberDevice_NewThenKnown_ReportsNewOnceAndRefreshesOnlyLastSeen()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice device = new("fp-1", NewTokenHash().ToString(), "Firefox on Linux", "192.0.2.0/24", T0.AddTicks(3), T0.AddTicks(3));

        Assert.True(await store.RememberDeviceAsync(user, device, 5, Ct));
        Assert.False(await store.RememberDeviceAsync(user, device with { LastSeenAt = T0.AddDays(1), UserAgentFamily = "changed", DeviceIdHash = null }, 5, Ct));

        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Equal(device.Key, stored.Key);
        Assert.Equal(device.DeviceIdHash, stored.DeviceIdHash);
        Assert.Equal(device.UserAgentFamily, stored.UserAgentFamily);
        Assert.Equal(device.Network, stored.Network);
        Assert.Equal(device.FirstSeenAt.UtcTicks, stored.FirstSeenAt.UtcTicks);
        Assert.Equal(T0.AddDays(1).UtcTicks, stored.LastSeenAt.UtcTicks);
    }

    [Fact]
    public virtual async Task RememberDevice_NullFields_RoundTrip()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice device = new("fp-null", null, null, null, T0, T0);

        Assert.True(await store.RememberDeviceAsync(user, device, 1, Ct));

        Assert.Equal(device, Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices));
    }

    [Fact]
    public virtual async Task RememberDevice_OverTheCap_DropsTheLeastRecentlySeen()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("a", T0), 3, Ct));
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("b", T0.AddMinutes(1)), 3, Ct));
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("c", T0.AddMinutes(2)), 3, Ct));
        Assert.False(await store.RememberDeviceAsync(user, NewDevice("a", T0.AddMinutes(3)), 3, Ct));

        Assert.True(await store.RememberDeviceAsync(user, NewDevice("d", T0.AddMinutes(4)), 3, Ct));

        IReadOnlyList<KnownDevice> devices = (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices;
        Assert.Equal(["c", "a", "d"], devices.Select(d => d.Key));

        // "b" was dropped, so it is new again.
        Assert.True(await store.RememberDeviceAsync(user, NewDevice("b", T0.AddMinutes(5)), 3, Ct));
        Assert.Equal(["a", "d", "b"], (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices.Select(d => d.Key));
    }

    [Fact]
    public virtual async Task RememberDevice_NewDeviceInTheSameMillisecond_IsTheOneKept()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // Half a millisecond apart, and "laptop" sorts before "phone": the device just seen must still stay.
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("phone", null, null, null, T0, T0), 1, Ct));
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("laptop", null, null, null, T0.AddTicks(5000), T0.AddTicks(5000)), 1, Ct));

        Assert.Equal("laptop", Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices).Key);
    }

    [Fact]
    public virtual async Task RememberDevice_NewDeviceAtTheSameInstant_IsTheOneKept()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        // Ties in last seen keep their order, so the device just added is the most recent of equals.
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("b", null, null, null, T0, T0), 2, Ct));
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("a", null, null, null, T0, T0), 2, Ct));
        Assert.True(await store.RememberDeviceAsync(user, new KnownDevice("c", null, null, null, T0, T0), 2, Ct));

        Assert.Equal(["a", "c"], (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices.Select(d => d.Key));
    }

    [Fact]
    public virtual async Task DeviceCapBelowOne_ThrowsArgumentOutOfRangeAndWritesNothing()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session session = NewSession(user);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.RememberDeviceAsync(user, NewDevice("a", T0), 0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await store.CreateAsync(Creation(session) with { Device = NewDevice("a", T0), MaxDevices = 0 }, Ct));

        Assert.Null(await store.FindAsync(session.Id, Ct));
        Assert.Empty((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
    }

    [Theory]
    [MemberData(nameof(OddUserIds))]
    public virtual async Task EveryUserOperation_OddUserId_KeepsUsersApart(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ISessionStore store = await NewStoreAsync();

        // A neighbour whose id differs by a suffix, a prefix or case must never be matched.
        string[] neighbours = [userId + "x", "x" + userId, string.Equals(userId.ToUpperInvariant(), userId, StringComparison.Ordinal) ? userId.ToLowerInvariant() : userId.ToUpperInvariant()];
        Session mine = await InsertAsync(store, NewSession(userId));
        RefreshFamily family = await IssueAsync(store, mine);
        List<Session> theirs = [];
        foreach (string neighbour in neighbours.Where(n => !string.Equals(n, userId, StringComparison.Ordinal)))
        {
            theirs.Add(await InsertAsync(store, NewSession(neighbour)));
        }

        AssertSameSession(mine, await store.FindAsync(mine.Id, Ct));
        AssertSameIds([mine.Id], ListedIds(await store.ListUserSessionsAsync(userId, Rules, T0, Ct)));
        Assert.Equal(userId, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.UserId);
        Assert.True(await store.RememberDeviceAsync(userId, NewDevice("k", T0), 3, Ct));
        Assert.Null(await store.RevokeAsync(theirs[0].Id, userId, RevocationReason.Logout, T0, Ct));

        SessionCreateResult limited = await store.CreateAsync(Creation(NewSession(userId, T0.AddMinutes(1))) with { Limit = new SessionLimit(1, SessionLimitMode.EvictOldest) }, Ct);
        Assert.Equal([mine.Id], limited.Evicted);
        UserRevocationResult revoked = await store.RevokeUserSessionsAsync(RevokeAll(userId, RevocationReason.AccountDisabled, T0.AddMinutes(2)) with { AdvanceEpoch = true }, Ct);
        Assert.Single(revoked.Revoked);
        UserSecurityState state = await store.GetUserSecurityStateAsync(userId, Ct);
        Assert.Equal(userId, state.UserId);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Single(state.KnownDevices);

        foreach (Session other in theirs)
        {
            Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, other.Id, T0.AddMinutes(2)));
            AssertSameIds([other.Id], ListedIds(await store.ListUserSessionsAsync(other.UserId, Rules, T0.AddMinutes(2), Ct)));
            UserSecurityState otherState = await store.GetUserSecurityStateAsync(other.UserId, Ct);
            Assert.Equal(0, otherState.SecurityEpoch);
            Assert.Empty(otherState.KnownDevices);
        }
    }

    [Fact]
    public virtual async Task OddUserIds_LongestId_IsAtLeastOneKilobyteOfUtf8()
    {
        // Guards the theory data itself: the long id must stay past typical 1 KB index-key limits.
        await Task.CompletedTask;
        string longest = OddUserIds.Select(row => row.Data).MaxBy(s => s.Length)!;
        Assert.True(Encoding.UTF8.GetByteCount(longest) >= 1024);
        Assert.Contains(longest, char.IsSurrogate);
    }
}
