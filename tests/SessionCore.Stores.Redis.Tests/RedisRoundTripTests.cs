using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// Counts the commands each primitive sends, with the driver's profiler: on a single server one command is one
/// round trip. Against a cluster the pointer look-ups are counted too (see docs/stores/redis.md).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisRoundTripTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Now = Start;

    [Fact]
    public async Task Find_IsOneRoundTrip()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        await store.FindAsync(session.Id, TestContext.Current.CancellationToken);

        IReadOnlyList<string> commands = await CountAsync(async () => await store.FindAsync(session.Id, TestContext.Current.CancellationToken));
        IReadOnlyList<string> unknown = await CountAsync(async () => await store.FindAsync(NewId(), TestContext.Current.CancellationToken));

        if (fixture.IsCluster)
        {
            Assert.Equal(["GET", "HGETALL"], commands);
            Assert.Equal(["GET"], unknown);
        }
        else
        {
            Assert.Equal(["EVALSHA"], commands);
            Assert.Equal(["EVALSHA"], unknown);
        }
    }

    [Fact]
    public async Task Redeem_IsOneRoundTrip()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Now);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        RefreshRedemption warm = Redeem(family.CurrentTokenHash, Now);
        await store.RedeemRefreshTokenAsync(warm, TestContext.Current.CancellationToken);

        RefreshRedemption redemption = Redeem(warm.SuccessorTokenHash, Now);
        IReadOnlyList<string> rotated = await CountAsync(async () => await store.RedeemRefreshTokenAsync(redemption, TestContext.Current.CancellationToken));
        IReadOnlyList<string> reused = await CountAsync(async () => await store.RedeemRefreshTokenAsync(Redeem(family.CurrentTokenHash, Now), TestContext.Current.CancellationToken));

        if (fixture.IsCluster)
        {
            // The pointer with its expiry (GET, PTTL in one message), then the successor's pointer, then the script.
            Assert.Equal("EVALSHA GET SET", string.Join(" ", rotated.Order(StringComparer.Ordinal)));
            Assert.Equal("EVALSHA GET SET UNLINK", string.Join(" ", reused.Order(StringComparer.Ordinal)));
        }
        else
        {
            Assert.Equal(["EVALSHA"], rotated);
            Assert.Equal(["EVALSHA"], reused);
        }
    }

    [Fact]
    public async Task EveryWritePrimitive_IsOneRoundTrip()
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();
        Session session = NewSession(user, Now);
        SessionLimit limit = new(2, SessionLimitMode.EvictOldest);

        // Warm the server's script cache first: the first call of each script after a restart costs one more (EVAL).
        await WarmAsync(store, user);
        Dictionary<string, int> counts = new(StringComparer.Ordinal)
        {
            ["create"] = (await CountAsync(async () => await store.CreateAsync(session, limit, Now, TestContext.Current.CancellationToken))).Count,
            ["touch"] = (await CountAsync(async () => await store.TouchAsync(session.Id, 0, Now.AddMinutes(2), Now.AddMinutes(32), TestContext.Current.CancellationToken))).Count,
            ["list"] = (await CountAsync(async () => await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken))).Count,
        };
        RefreshFamily family = NewFamily(session, Now);
        counts["family-create"] = (await CountAsync(async () => await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken))).Count;
        counts["family-find"] = (await CountAsync(async () => await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken))).Count;
        counts["family-revoke"] = (await CountAsync(async () => await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, Now, TestContext.Current.CancellationToken))).Count;
        Session replacement = NewSession(user, Now);
        counts["regenerate"] = (await CountAsync(async () => await store.RegenerateAsync(session.Id, 1, replacement, Now, TestContext.Current.CancellationToken))).Count;
        counts["revoke"] = (await CountAsync(async () => await store.RevokeAsync(replacement.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken))).Count;
        counts["revoke-user"] = (await CountAsync(async () => await store.RevokeUserSessionsAsync(user, null, RevocationReason.Logout, Now, TestContext.Current.CancellationToken))).Count;
        counts["security-state"] = (await CountAsync(async () => await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken))).Count;
        counts["epoch"] = (await CountAsync(async () => await store.IncrementSecurityEpochAsync(user, TestContext.Current.CancellationToken))).Count;
        counts["device"] = (await CountAsync(async () => await store.RememberDeviceAsync(user, new KnownDevice("k", null, null, null, Now, Now), 3, TestContext.Current.CancellationToken))).Count;

        string report = string.Join(", ", counts.Select(c => c.Key + "=" + c.Value));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(counts.Values.All(c => c == 1) || fixture.IsCluster, report);
        Assert.True(counts.Values.All(c => c <= 3), report);
    }

    [Fact]
    public async Task Script_AfterScriptCacheFlush_RecoversWithOneEval()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(session, SessionLimit.None, Now, TestContext.Current.CancellationToken);
        ConfigurationOptions admin = ConfigurationOptions.Parse(RedisFixture.Configuration!);
        admin.AllowAdmin = true;
        await using (ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(admin))
        {
            foreach (IServer server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await server.ScriptFlushAsync();
            }
        }

        IReadOnlyList<string> first = await CountAsync(async () => Assert.Single(await store.ListUserSessionsAsync(session.UserId, Now, TestContext.Current.CancellationToken)));
        IReadOnlyList<string> second = await CountAsync(async () => Assert.Single(await store.ListUserSessionsAsync(session.UserId, Now, TestContext.Current.CancellationToken)));

        Assert.Equal(["EVALSHA", "EVAL"], first);
        Assert.Equal(["EVALSHA"], second);
    }

    /// <remarks>The same user as the measured calls, so in a cluster the same node's script cache is warmed.</remarks>
    private static async Task WarmAsync(RedisSessionStore store, string user)
    {
        Session session = NewSession(user, Now);
        await store.CreateAsync(session, new SessionLimit(2, SessionLimitMode.EvictOldest), Now, TestContext.Current.CancellationToken);
        await store.TouchAsync(session.Id, 0, Now.AddMinutes(2), Now.AddMinutes(32), TestContext.Current.CancellationToken);
        await store.ListUserSessionsAsync(user, Now, TestContext.Current.CancellationToken);
        RefreshFamily family = NewFamily(session, Now);
        await store.CreateRefreshFamilyAsync(family, Now, TestContext.Current.CancellationToken);
        await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken);
        await store.RevokeRefreshFamilyAsync(family.FamilyId, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);
        await store.RegenerateAsync(session.Id, 1, NewSession(user, Now), Now, TestContext.Current.CancellationToken);
        await store.RevokeAsync(session.Id, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);
        await store.RevokeUserSessionsAsync(user, null, RevocationReason.Logout, Now, TestContext.Current.CancellationToken);
        await store.GetUserSecurityStateAsync(user, TestContext.Current.CancellationToken);
        await store.RememberDeviceAsync(user, new KnownDevice("k", null, null, null, Now, Now), 3, TestContext.Current.CancellationToken);
    }

    private async Task<IReadOnlyList<string>> CountAsync(Func<Task> action)
    {
        ProfilingSession profiling = new();
        fixture.Multiplexer!.RegisterProfiler(() => profiling);
        try
        {
            await action();
        }
        finally
        {
            fixture.Multiplexer.RegisterProfiler(() => null);
        }

        return [.. profiling.FinishProfiling().Select(c => c.Command)];
    }
}
