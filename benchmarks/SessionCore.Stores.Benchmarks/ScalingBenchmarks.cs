using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Validate and refresh-redeem latency on LiteDB as the number of stored sessions grows; the cost must stay flat
/// (indexed lookups). 10^3 and 10^5 run by default; 10^6 only with <c>SESSIONCORE_BENCH_LARGE=1</c>. Populated
/// files are cached in the temp folder keyed by count, so only the first run pays for populating.
/// </summary>
[MemoryDiagnoser]
public class LiteDbScalingBenchmarks
{
    private LiteDbFixture _fixture = null!;
    private RefreshTokenService _refresh = null!;
    private SessionToken _session = null!;

    [ParamsSource(nameof(Sizes))]
    public int Sessions { get; set; }

    public static IEnumerable<int> Sizes => BenchEnvironment.Quick ? [1_000] : BenchEnvironment.Large ? [1_000, 100_000, 1_000_000] : [1_000, 100_000];

    [GlobalSetup]
    public void Setup()
    {
        _fixture = LiteDbFixture.Open(Sessions);
        _refresh = new RefreshTokenService(_fixture.Manager);
        _session = SessionToken.TryParse(_fixture.Token, out SessionToken? token) ? token : throw new InvalidOperationException("Bad probe token.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _refresh.Dispose();
        _fixture.Dispose();
    }

    [Benchmark(Baseline = true)]
    public SessionValidationResult Validate() => LiteDbBenchmarks.Complete(_fixture.Manager.ValidateAsync(_session));

    // A fresh family each time, so the number measured is one issue plus one redeem, not a growing chain.
    [Benchmark]
    public RefreshTokenResult IssueThenRedeem()
    {
        RefreshToken first = LiteDbBenchmarks.Complete(_refresh.IssueAsync(_session)).Value;
        return LiteDbBenchmarks.Complete(_refresh.RedeemAsync(first));
    }
}

/// <summary>
/// The same on Redis: 10^3 sessions by default, 10^6 with <c>SESSIONCORE_BENCH_LARGE=1</c>. Registered only when
/// <c>SESSIONCORE_REDIS</c> is set.
/// </summary>
[MemoryDiagnoser]
public class RedisScalingBenchmarks
{
    private RedisFixture _fixture = null!;
    private SessionToken _session = null!;

    [ParamsSource(nameof(Sizes))]
    public int Sessions { get; set; }

    public static IEnumerable<int> Sizes => BenchEnvironment.Large && !BenchEnvironment.Quick ? [1_000, 1_000_000] : [1_000];

    [GlobalSetup]
    public void Setup()
    {
        _fixture = RedisFixture.Open(Sessions);
        _session = SessionToken.TryParse(_fixture.Token, out SessionToken? token) ? token : throw new InvalidOperationException("Bad probe token.");
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<SessionValidationResult> Validate() => await _fixture.Manager.ValidateAsync(_session);

    [Benchmark]
    public async Task<RefreshTokenResult> IssueThenRedeem()
    {
        RefreshToken first = (await _fixture.Refresh.IssueAsync(_session)).Value;
        return await _fixture.Refresh.RedeemAsync(first);
    }
}
