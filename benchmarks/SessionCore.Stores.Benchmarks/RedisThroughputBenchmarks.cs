using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Sign-in throughput: 256 sign-ins spread over 1, 8 or 64 concurrent callers, against the raw insert under the same
/// concurrency. Throughput relative to raw is 1 / Ratio. Registered only when <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
public class RedisSignInThroughputBenchmarks
{
    private const int Operations = 256;
    private RedisWriteFixture _fixture = null!;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("signin-throughput");
        _fixture.Report(
            "sign-in",
            async () => await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(RedisWriteFixture.NewSession("store-probe"))),
            () => _fixture.RawInsertAsync(RedisWriteFixture.NewSession("raw-probe")));
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => Concurrently.RunAsync(Callers, Operations, (caller, i) => _fixture.RawInsertAsync(RedisWriteFixture.NewSession("raw-" + caller + "-" + (i & 15))));

    [Benchmark]
    public Task Store() => Concurrently.RunAsync(Callers, Operations, async (caller, i) =>
        await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(RedisWriteFixture.NewSession("store-" + caller + "-" + (i & 15)))));
}

/// <summary>
/// Redemption throughput: 256 redemptions spread over 1, 8 or 64 concurrent callers, each rotating its own family (full
/// spent list), against the raw rotation under the same concurrency. Registered only when <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
public class RedisRedeemThroughputBenchmarks
{
    private const int Operations = 256;
    private readonly List<RedeemChain> _raw = [];
    private readonly List<RedeemChain> _store = [];
    private RedisWriteFixture _fixture = null!;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("redeem-throughput");
        for (int c = 0; c < Callers; c++)
        {
            _raw.Add(RedeemChain.Start(_fixture, "raw-" + c, RefreshFamily.SpentTokenCapacity + 2));
            _store.Add(RedeemChain.Start(_fixture, "store-" + c, RefreshFamily.SpentTokenCapacity + 2));
        }

        _fixture.Report("redeem", _store[0].RedeemAsync, _raw[0].RawRotateAsync);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => Concurrently.RunAsync(Callers, Operations, (caller, _) => _raw[caller].RawRotateAsync());

    [Benchmark]
    public Task Store() => Concurrently.RunAsync(Callers, Operations, (caller, _) => _store[caller].RedeemAsync());
}

/// <summary>
/// Redemption cost at depth: a family rotated 100 times (baseline) against one rotated 10,000 times; each call rotates its
/// family once more, so the depths drift upwards by the invocation count. Registered only when <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(256)]
public class RedisRedeemDepthBenchmarks
{
    private RedisWriteFixture _fixture = null!;
    private RedeemChain _shallow = null!;
    private RedeemChain _deep = null!;

    [GlobalSetup(Target = nameof(RedeemAtRotation100))]
    public void SetupShallow()
    {
        _fixture = new RedisWriteFixture("depth-100");
        _shallow = RedeemChain.Start(_fixture, "shallow", 100);
        _fixture.Report("redeem at rotation 100", _shallow.RedeemAsync);
    }

    [GlobalSetup(Target = nameof(RedeemAtRotation10000))]
    public void SetupDeep()
    {
        _fixture = new RedisWriteFixture("depth-10000");
        _deep = RedeemChain.Start(_fixture, "deep", BenchEnvironment.Quick ? 200 : 10_000);
        _fixture.Report("redeem at rotation 10,000", _deep.RedeemAsync);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task RedeemAtRotation100() => _shallow.RedeemAsync();

    [Benchmark]
    public Task RedeemAtRotation10000() => _deep.RedeemAsync();
}

/// <summary>Runs a number of operations spread evenly over concurrent callers, each awaiting its own calls in turn.</summary>
internal static class Concurrently
{
    public static Task RunAsync(int callers, int operations, Func<int, int, Task> operation)
    {
        Task[] loops = new Task[callers];
        int each = operations / callers;
        for (int c = 0; c < callers; c++)
        {
            loops[c] = LoopAsync(c, each, operation);
        }

        return Task.WhenAll(loops);

        static async Task LoopAsync(int caller, int count, Func<int, int, Task> operation)
        {
            for (int i = 0; i < count; i++)
            {
                await operation(caller, i);
            }
        }
    }
}
