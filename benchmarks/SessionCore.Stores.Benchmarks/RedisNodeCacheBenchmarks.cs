using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Scale;
using SessionCore.Stores.Redis;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Validation through the node cache against validation on the Redis store in the same run: a hit (answered from
/// memory), a miss (the entry is past its bound every time: lookup, store round trip, re-insert), and the store alone
/// (the baseline). Registered only when <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
public class RedisNodeCacheBenchmarks
{
    private NodeCacheSetup _setup = null!;

    [GlobalSetup]
    public void Setup() => _setup = NodeCacheSetup.Open();

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<SessionCheck> RedisValidateAsync() => _setup.Fixture.Store.ValidateAsync(_setup.Id, _setup.Rules, RedisFixture.Clock.GetUtcNow(), touch: true);

    [Benchmark]
    public ValueTask<SessionCheck> CachedValidateAsync() => _setup.Cache.ValidateAsync(_setup.Id, _setup.Rules, RedisFixture.Clock.GetUtcNow(), touch: true);

    [Benchmark]
    public ValueTask<SessionCheck> MissValidateAsync() => _setup.AlwaysStale.ValidateAsync(_setup.Id, _setup.Rules, RedisFixture.Clock.GetUtcNow(), touch: true);
}

/// <summary>
/// Validation throughput with 1, 8 or 64 concurrent callers (256 validations of one session per invocation), through the
/// node cache and on the Redis store alone. Throughput relative to the store is 1 / Ratio. Registered only when
/// <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
public class RedisNodeCacheThroughputBenchmarks
{
    private const int Operations = 256;
    private NodeCacheSetup _setup = null!;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup() => _setup = NodeCacheSetup.Open();

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task Uncached() => Concurrently.RunAsync(Callers, Operations, (_, _) =>
        _setup.Fixture.Store.ValidateAsync(_setup.Id, _setup.Rules, RedisFixture.Clock.GetUtcNow(), touch: true).AsTask());

    [Benchmark(OperationsPerInvoke = Operations)]
    public Task Cached() => Concurrently.RunAsync(Callers, Operations, (_, _) =>
        _setup.Cache.ValidateAsync(_setup.Id, _setup.Rules, RedisFixture.Clock.GetUtcNow(), touch: true).AsTask());
}

/// <summary>A Redis population, its invalidation bus, a node cache (T = 30 s) and one whose entries are always past T.</summary>
internal sealed class NodeCacheSetup : IDisposable
{
    private NodeCacheSetup(RedisFixture fixture)
    {
        Fixture = fixture;
        Id = SessionToken.TryParse(fixture.Token, out SessionToken? token) ? token.Id : throw new InvalidOperationException("No session.");
        Rules = fixture.Manager.Rules;
        Bus = new RedisInvalidationBus(fixture.Store);
        Cache = new CachingSessionStore(fixture.Store, Bus, new NodeCacheOptions { Staleness = TimeSpan.FromSeconds(30) });
        AlwaysStale = new CachingSessionStore(fixture.Store, Bus, new NodeCacheOptions { Staleness = TimeSpan.FromTicks(1) });
        for (int i = 0; i < 400 && !(Cache.IsServingFromCache && AlwaysStale.IsServingFromCache); i++)
        {
            Thread.Sleep(25);
        }

        if (!Cache.ValidateAsync(Id, Rules, RedisFixture.Clock.GetUtcNow(), touch: true).AsTask().GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The benchmark session does not validate.");
        }

        Console.WriteLine($"// node cache serving from memory: {Cache.IsServingFromCache}, entries: {Cache.Count}");
    }

    public RedisFixture Fixture { get; }

    public SessionId Id { get; }

    public SessionRules Rules { get; }

    public RedisInvalidationBus Bus { get; }

    public CachingSessionStore Cache { get; }

    public CachingSessionStore AlwaysStale { get; }

    public static NodeCacheSetup Open() => new(RedisFixture.Open(1000));

    public void Dispose()
    {
        Cache.Dispose();
        AlwaysStale.Dispose();
        Bus.Dispose();
        Fixture.Dispose();
    }
}
