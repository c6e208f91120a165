using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

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
    public async Task GetUserSecurityState_UnknownUser_ReturnsEpochZeroAndNoDevices()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);

        Assert.Equal(user, state.UserId);
        Assert.Equal(0, state.SecurityEpoch);
        Assert.Empty(state.KnownDevices);
    }

    [Fact]
    public async Task GetSecurityEpoch_AgreesWithTheFullState()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Assert.Equal(0, await store.GetSecurityEpochAsync(user, Ct));

        await store.IncrementSecurityEpochAsync(user, Ct);
        await store.IncrementSecurityEpochAsync(user, Ct);
        await store.RememberDeviceAsync(user, new KnownDevice("device", null, null, null, T0, T0), 5, Ct);

        Assert.Equal(2, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Equal((await store.GetUserSecurityStateAsync(user, Ct)).SecurityEpoch, await store.GetSecurityEpochAsync(user, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(NewUserId(), Ct));
    }

    [Fact]
    public async Task IncrementSecurityEpoch_Sequential_CountsUp()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        Assert.Equal(1, await store.IncrementSecurityEpochAsync(user, Ct));
        Assert.Equal(2, await store.IncrementSecurityEpochAsync(user, Ct));
        Assert.Equal(2, (await store.GetUserSecurityStateAsync(user, Ct)).SecurityEpoch);
        Assert.Equal(0, (await store.GetUserSecurityStateAsync(NewUserId(), Ct)).SecurityEpoch);
    }

    [Fact]
    public async Task IncrementSecurityEpoch_40Parallel_EndsAt40WithDistinctResults()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        long[] epochs = await RunInParallelAsync(40, _ => store.IncrementSecurityEpochAsync(user, Ct));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), epochs.Order());
        Assert.Equal(40, (await store.GetUserSecurityStateAsync(user, Ct)).SecurityEpoch);
    }

    [Fact]
    public async Task IncrementSecurityEpoch_WithKnownDevices_KeepsDevices()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice device = NewDevice("k1", T0);
        Assert.True(await store.RememberDeviceAsync(user, device, 5, Ct));

        await store.IncrementSecurityEpochAsync(user, Ct);
        Assert.False(await store.RememberDeviceAsync(user, device with { LastSeenAt = T0.AddMinutes(1) }, 5, Ct));

        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Single(state.KnownDevices);
    }

    [Fact]
    public async Task RememberDevice_NewThenKnown_ReportsNewOnceAndRefreshesLastSeen()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice device = new("fp-1", NewHash(), "Firefox on Linux", "192.0.2.0/24", T0.AddTicks(3), T0.AddTicks(3));

        Assert.True(await store.RememberDeviceAsync(user, device, 5, Ct));
        Assert.False(await store.RememberDeviceAsync(user, device with { LastSeenAt = T0.AddDays(1), UserAgentFamily = "changed" }, 5, Ct));

        KnownDevice stored = Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices);
        Assert.Equal(device.Key, stored.Key);
        Assert.Equal(device.DeviceIdHash, stored.DeviceIdHash);
        Assert.Equal(device.UserAgentFamily, stored.UserAgentFamily);
        Assert.Equal(device.Network, stored.Network);
        Assert.Equal(device.FirstSeenAt.UtcTicks, stored.FirstSeenAt.UtcTicks);
        Assert.Equal(T0.AddDays(1).UtcTicks, stored.LastSeenAt.UtcTicks);
    }

    [Fact]
    public async Task RememberDevice_NullFields_RoundTrip()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        KnownDevice device = new("fp-null", null, null, null, T0, T0);

        Assert.True(await store.RememberDeviceAsync(user, device, 1, Ct));

        Assert.Equal(device, Assert.Single((await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices));
    }

    [Fact]
    public async Task RememberDevice_OverCap_DropsLeastRecentlySeen()
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
    public async Task RememberDevice_ParallelDistinctDevices_KeepsCapAndReportsEachNewOnce()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        bool[] results = await RunInParallelAsync(20, i => store.RememberDeviceAsync(user, NewDevice("d" + i, T0.AddSeconds(i)), 50, Ct));

        Assert.All(results, Assert.True);
        Assert.Equal(20, (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices.Count);
        bool[] again = await RunInParallelAsync(20, i => store.RememberDeviceAsync(user, NewDevice("d" + i, T0.AddMinutes(1)), 50, Ct));
        Assert.All(again, Assert.False);
    }

    [Theory]
    [MemberData(nameof(OddUserIds))]
    public async Task EveryUserPrimitive_OddUserId_KeepsUsersApart(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ISessionStore store = await NewStoreAsync();

        // A neighbour whose id differs by a suffix, a prefix or case must never be matched.
        string[] neighbours = [userId + "x", "x" + userId, string.Equals(userId.ToUpperInvariant(), userId, StringComparison.Ordinal) ? userId.ToLowerInvariant() : userId.ToUpperInvariant()];
        Session mine = await InsertAsync(store, NewSession(userId));
        RefreshFamily family = await InsertAsync(store, NewFamily(mine));
        List<Session> theirs = [];
        foreach (string neighbour in neighbours.Where(n => !string.Equals(n, userId, StringComparison.Ordinal)))
        {
            theirs.Add(await InsertAsync(store, NewSession(neighbour)));
        }

        AssertSameSession(mine, await store.FindAsync(mine.Id, Ct));
        Assert.Equal([mine.Id], (await store.ListUserSessionsAsync(userId, T0, Ct)).Select(s => s.Id));
        Assert.Equal(userId, (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct))!.UserId);
        Assert.Equal(1, await store.IncrementSecurityEpochAsync(userId, Ct));
        Assert.True(await store.RememberDeviceAsync(userId, NewDevice("k", T0), 3, Ct));
        UserSecurityState state = await store.GetUserSecurityStateAsync(userId, Ct);
        Assert.Equal(userId, state.UserId);
        Assert.Single(state.KnownDevices);

        SessionCreateResult limited = await store.CreateAsync(NewSession(userId, T0.AddMinutes(1)), new SessionLimit(1, SessionLimitMode.EvictOldest), T0.AddMinutes(1), Ct);
        Assert.Equal([mine.Id], limited.Evicted);
        IReadOnlyList<SessionId> revoked = await store.RevokeUserSessionsAsync(userId, null, RevocationReason.AccountDisabled, T0.AddMinutes(2), Ct);
        Assert.Single(revoked);

        foreach (Session other in theirs)
        {
            Assert.False((await store.FindAsync(other.Id, Ct))!.IsRevoked);
            Assert.Equal([other.Id], (await store.ListUserSessionsAsync(other.UserId, T0.AddMinutes(2), Ct)).Select(s => s.Id));
            UserSecurityState otherState = await store.GetUserSecurityStateAsync(other.UserId, Ct);
            Assert.Equal(0, otherState.SecurityEpoch);
            Assert.Empty(otherState.KnownDevices);
        }
    }

    [Fact]
    public async Task OddUserIds_LongestId_IsAtLeastOneKilobyteOfUtf8()
    {
        // Guards the theory data itself: the long id must stay past typical 1 KB index-key limits.
        await Task.CompletedTask;
        string longest = OddUserIds.Select(row => row.Data).MaxBy(s => s.Length)!;
        Assert.True(Encoding.UTF8.GetByteCount(longest) >= 1024);
        Assert.Contains(longest, char.IsSurrogate);
    }

    private static KnownDevice NewDevice(string key, DateTimeOffset seen) => new(key, null, "Firefox on Linux", "198.51.100.0/24", seen, seen);
}
