using System;
using BenchmarkDotNet.Attributes;
using SessionCore.Rotation;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// Refresh redemption on the in-memory store (so the numbers are the service's own cost: hashing,
/// minting, sealing, one compare-and-swap) against minting a bare refresh token.
/// </summary>
[MemoryDiagnoser]
public class RotationBenchmarks
{
    private RefreshTokenService _service = null!;
    private SessionToken _session = null!;
    private RefreshToken _rotated = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A clock that never moves keeps the grace window open for the retry benchmark.
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore(), TimeProvider = new FixedClock() }.Build();
        _service = new RefreshTokenService(manager);
        _session = manager.SignInAsync(new SignInRequest("bench")).AsTask().GetAwaiter().GetResult().Value;
        _rotated = _service.IssueAsync(_session).AsTask().GetAwaiter().GetResult().Value;
        _service.RedeemAsync(_rotated).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _service.Dispose();

    [Benchmark(Baseline = true)]
    public RefreshToken MintRefreshToken() => RefreshToken.Mint(TokenSource.System);

    // A fresh family each time: one long chain would measure the growth of the family's spent-hash list instead.
    [Benchmark]
    public RefreshToken IssueThenRotate()
    {
        RefreshToken first = _service.IssueAsync(_session).AsTask().GetAwaiter().GetResult().Value;
        return _service.RedeemAsync(first).AsTask().GetAwaiter().GetResult().Value;
    }

    [Benchmark]
    public RefreshTokenResult GraceRetryOfRotatedToken() => _service.RedeemAsync(_rotated).AsTask().GetAwaiter().GetResult();

    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
