using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Tokens;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// Pins the commands each operation sends, with the driver's profiler: on a single server one command is one round trip,
/// and every operation is exactly one <c>EVALSHA</c> (or one plain command). Against a Cluster the pointer and global
/// revocation instant reads are pinned too (see docs/stores/redis.md).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisRoundTripTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Now = Start;

    public static TheoryData<string> Operations() =>
    [
        "create", "create-limit-presented-device", "find", "validate", "validate-touch", "regenerate", "revoke", "revoke-user",
        "invalidate-keep", "list", "bind", "issue", "find-family", "redeem", "redeem-grace-retry", "redeem-reuse", "revoke-family",
        "security-state", "epoch", "remember-device", "revoke-every-session",
    ];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_WarmScriptCache_IsOneCommand(string operation)
    {
        RedisSessionStore store = fixture.CreateStore();
        string user = NewUser();

        // Twice: the first run may load the script into the server's cache (EVALSHA, NOSCRIPT, EVAL).
        await RunAsync(store, user, operation, count: false);
        IReadOnlyList<string> commands = await RunAsync(store, user, operation, count: true);

        if (fixture.IsCluster)
        {
            Assert.Equal(Cluster(operation), string.Join(" ", commands.Order(StringComparer.Ordinal)));
        }
        else
        {
            Assert.Equal([SingleServer(operation)], commands);
        }
    }

    [Fact]
    public async Task Manager_EveryFlow_IsOneCommandPerStoreCall()
    {
        Assert.SkipWhen(fixture.IsCluster, "Single-server counts; the Cluster costs are pinned per operation.");
        var ct = TestContext.Current.CancellationToken;
        RedisSessionStore store = fixture.CreateStore();
        FakeTimeProvider clock = new(Now);
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = clock, Options = new SessionOptions { MaxSessionsPerUser = 3 } }.Build();
        using RefreshTokenService refresh = new(manager, new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(30) });
        string user = NewUser();
        await WarmManagerAsync(manager, refresh, user, clock);

        string stale = (await manager.SignInAsync(new SignInRequest(user), ct)).Value.Reveal();
        Dictionary<string, IReadOnlyList<string>> flows = new(StringComparer.Ordinal);
        SessionToken? token = null;
        flows["sign-in (limit, presented, new device)"] = await CountAsync(async () =>
            token = (await manager.SignInAsync(new SignInRequest(user) { PresentedToken = stale, Client = Client() }, ct)).Value);
        clock.Advance(TimeSpan.FromMinutes(5));
        flows["validate (renewal due)"] = await CountAsync(async () => Assert.True((await manager.ValidateAsync(token!, ct)).IsValid));
        RefreshToken? issued = null;
        flows["issue"] = await CountAsync(async () => issued = (await refresh.IssueAsync(token!, ct)).Value);
        RefreshToken? next = null;
        flows["redeem"] = await CountAsync(async () => next = (await refresh.RedeemAsync(issued!, ct)).Value);
        flows["redeem (grace retry)"] = await CountAsync(async () => Assert.True((await refresh.RedeemAsync(issued!, ct)).IsSuccess));
        SessionToken? regenerated = null;
        flows["regenerate"] = await CountAsync(async () => regenerated = (await manager.RegenerateAsync(token!, null, ct)).Value);
        flows["list"] = await CountAsync(async () => Assert.NotEmpty((await manager.ListSessionsAsync(user, ct)).Value));
        flows["revoke family"] = await CountAsync(async () => await refresh.RevokeAsync(next!.Reveal(), ct));
        flows["invalidate (keep)"] = await CountAsync(async () =>
            Assert.NotNull((await manager.InvalidateUserAsync(user, InvalidationTrigger.PasswordChanged, regenerated!.Reveal(), ct)).Kept));
        flows["revoke all"] = await CountAsync(async () => await manager.RevokeAllAsync(user, RevocationReason.Logout, null, ct));
        flows["revoke"] = await CountAsync(async () => await manager.RevokeAsync(stale, RevocationReason.Logout, ct));

        string report = string.Join(", ", flows.Select(f => f.Key + "=" + string.Join("+", f.Value)));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.All(flows, f => Assert.True(f.Value.Count == 1, report));
    }

    [Fact]
    public async Task Script_AfterScriptCacheFlush_RecoversWithOneEval()
    {
        RedisSessionStore store = fixture.CreateStore();
        Session session = NewSession(NewUser(), Now);
        await store.CreateAsync(Creation(session), TestContext.Current.CancellationToken);
        await store.ListUserSessionsAsync(session.UserId, Rules, Now, TestContext.Current.CancellationToken);
        ConfigurationOptions admin = ConfigurationOptions.Parse(RedisFixture.Configuration!);
        admin.AllowAdmin = true;
        await using (ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(admin))
        {
            foreach (IServer server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await server.ScriptFlushAsync();
            }
        }

        IReadOnlyList<string> first = await CountAsync(async () => Assert.Single(await store.ListUserSessionsAsync(session.UserId, Rules, Now, TestContext.Current.CancellationToken)));
        IReadOnlyList<string> second = await CountAsync(async () => Assert.Single(await store.ListUserSessionsAsync(session.UserId, Rules, Now, TestContext.Current.CancellationToken)));

        string get = fixture.IsCluster ? " GET" : string.Empty;
        Assert.Equal("EVAL EVALSHA" + get, string.Join(" ", first.Order(StringComparer.Ordinal)));
        Assert.Equal("EVALSHA" + get, string.Join(" ", second.Order(StringComparer.Ordinal)));
    }

    private static string SingleServer(string operation) => operation switch
    {
        "security-state" => "HMGET",
        "epoch" => "HGET",
        _ => "EVALSHA",
    };

    /// <summary>
    /// The commands in Cluster, sorted: pointer and instant reads, claims on new pointers, the script (a pointer read with
    /// its expiry is one GET message; a pointer set with an expiry is PSETEX).
    /// </summary>
    private static string Cluster(string operation) => operation switch
    {
        "create" => "EVALSHA SET",
        "create-limit-presented-device" => "EVALSHA GET SET",
        "find" => "GET HGETALL",
        "validate" or "validate-touch" or "bind" => "EVALSHA GET GET",
        "regenerate" => "EVALSHA GET GET SET SET",
        "revoke" or "revoke-family" => "EVALSHA GET",
        "revoke-user" => "EVALSHA",
        "invalidate-keep" => "EVALSHA GET SET SET",
        "list" => "EVALSHA GET",
        "issue" => "EVALSHA GET GET SET SET",
        "find-family" => "GET HMGET",
        "redeem" or "redeem-grace-retry" or "redeem-reuse" => "EVALSHA GET GET PSETEX SET",
        "security-state" => "HMGET",
        "epoch" => "HGET",
        _ => "EVALSHA",
    };

    /// <summary>Sets up the operation's records (not counted), then runs it (counted when <paramref name="count"/>).</summary>
    private async Task<IReadOnlyList<string>> RunAsync(RedisSessionStore store, string user, string operation, bool count)
    {
        var ct = TestContext.Current.CancellationToken;
        Session session = NewSession(user, Now);
        Assert.True((await store.CreateAsync(Creation(session), ct)).IsSuccess);
        RefreshFamilyCreation issue = FamilyCreation(session.Id, Now);
        Func<Task> action = operation switch
        {
            "create" => async () => Assert.True((await store.CreateAsync(Creation(NewSession(user, Now)), ct)).IsSuccess),
            "create-limit-presented-device" => async () => Assert.True((await store.CreateAsync(
                Creation(NewSession(user, Now), new SessionLimit(2, SessionLimitMode.EvictOldest)) with
                {
                    PresentedId = session.Id,
                    Device = new KnownDevice("k-" + NewUser(), null, "Firefox", null, Now, Now),
                    MaxDevices = 5,
                },
                ct)).IsSuccess),
            "find" => async () => Assert.NotNull(await store.FindAsync(session.Id, ct)),
            "validate" => async () => Assert.True((await store.ValidateAsync(session.Id, Rules, Now, touch: false, ct)).IsValid),
            "validate-touch" => async () => Assert.True((await store.ValidateAsync(session.Id, Rules, Now.AddMinutes(5), touch: true, ct)).IsValid),
            "regenerate" => async () => Assert.True((await store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = new() { NewId = NewId() }, Rules = Rules, Now = Now }, ct)).IsSuccess),
            "revoke" => async () => Assert.NotNull(await store.RevokeAsync(session.Id, user, RevocationReason.Logout, Now, ct)),
            "revoke-user" => async () => Assert.NotEmpty((await store.RevokeUserSessionsAsync(Revocation(user, Now), ct)).Revoked),
            "invalidate-keep" => async () => Assert.True((await store.RevokeUserSessionsAsync(
                Revocation(user, Now) with { AdvanceEpoch = true, Keep = (session.Id, new SessionReplacement { NewId = NewId() }) }, ct)).Kept!.IsSuccess),
            "list" => async () => Assert.NotEmpty(await store.ListUserSessionsAsync(user, Rules, Now, ct)),
            "bind" => async () => Assert.Equal(SessionBindStatus.Bound, (await store.BindKeyAsync(session.Id, new SessionKeyBinding("t", "{}", Now), Rules, Now, ct)).Status),
            "issue" => async () => Assert.True((await store.CreateRefreshFamilyAsync(issue, ct)).IsSuccess),
            _ => await FamilyActionAsync(store, issue, operation),
        };

        return count ? await CountAsync(action) : await Run(action);

        static async Task<IReadOnlyList<string>> Run(Func<Task> action)
        {
            await action();
            return [];
        }
    }

    private static async Task<Func<Task>> FamilyActionAsync(RedisSessionStore store, RefreshFamilyCreation issue, string operation)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await store.CreateRefreshFamilyAsync(issue, ct)).IsSuccess);
        RefreshRedemption first = Redeem(issue.TokenHash, Now, TimeSpan.FromMinutes(1));
        if (operation is "redeem-grace-retry" or "redeem-reuse")
        {
            Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(first, ct)).Status);
        }

        return operation switch
        {
            "find-family" => async () => Assert.NotNull(await store.FindRefreshFamilyByTokenAsync(issue.TokenHash, ct)),
            "redeem" => async () => Assert.Equal(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(first, ct)).Status),
            "redeem-grace-retry" => async () => Assert.Equal(RefreshRedeemStatus.GraceRetry, (await store.RedeemRefreshTokenAsync(Redeem(issue.TokenHash, Now, TimeSpan.FromMinutes(1)), ct)).Status),
            "redeem-reuse" => async () => Assert.Equal(RefreshRedeemStatus.Reused, (await store.RedeemRefreshTokenAsync(Redeem(issue.TokenHash, Now.AddMinutes(2), TimeSpan.FromMinutes(1)), ct)).Status),
            "revoke-family" => async () => Assert.NotNull(await store.RevokeRefreshFamilyAsync(issue.TokenHash, RevocationReason.Logout, Now, ct)),
            "security-state" => async () => await store.GetUserSecurityStateAsync(issue.FamilyId.ToString(), ct),
            "epoch" => async () => await store.GetSecurityEpochAsync(issue.FamilyId.ToString(), ct),
            "remember-device" => async () => await store.RememberDeviceAsync(issue.FamilyId.ToString(), new KnownDevice("k", null, null, null, Now, Now), 3, ct),
            "revoke-every-session" => async () => await store.RevokeEverySessionAsync(Now.AddYears(-5), ct),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }

    private static async Task WarmManagerAsync(SessionManager manager, RefreshTokenService refresh, string user, FakeTimeProvider clock)
    {
        var ct = TestContext.Current.CancellationToken;
        SessionToken token = (await manager.SignInAsync(new SignInRequest(user) { Client = Client() }, ct)).Value;
        await manager.ValidateAsync(token, ct);
        RefreshToken issued = (await refresh.IssueAsync(token, ct)).Value;
        await refresh.RedeemAsync(issued, ct);
        SessionToken regenerated = (await manager.RegenerateAsync(token, null, ct)).Value;
        await manager.ListSessionsAsync(user, ct);
        await refresh.RevokeAsync(issued.Reveal(), ct);
        await manager.InvalidateUserAsync(user, InvalidationTrigger.PasswordChanged, regenerated.Reveal(), ct);

        // The single revocation has its own script: warm it too, or a test that flushed the script cache before this one
        // makes the counted revoke pay EVALSHA, NOSCRIPT, EVAL.
        await manager.RevokeAsync((await manager.SignInAsync(new SignInRequest(user), ct)).Value.Reveal(), RevocationReason.Logout, ct);
        await manager.RevokeAllAsync(user, RevocationReason.Logout, null, ct);
        clock.Advance(TimeSpan.FromSeconds(1));
    }

    private static SessionCore.Devices.ClientInfo Client() => new("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "198.51.100.7", null);

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

        // Fire-and-forget deletes of stale pointers (Cluster only) are not waited for, so not counted.
        return [.. profiling.FinishProfiling().Select(c => c.Command).Where(c => c is not ("DEL" or "UNLINK"))];
    }
}
