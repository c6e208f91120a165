using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using StackExchange.Redis;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Session validation on the Redis store against a raw <c>HashGetAll</c> of the same session hash: one round trip
/// each (the store's script also reads the pointer, the user's epoch and the global revocation instant, and judges).
/// Registered only when <c>SESSIONCORE_REDIS</c> is set. The round-trip count is checked with the driver's profiler in
/// setup and cleanup, outside the timed loop.
/// </summary>
[MemoryDiagnoser]
public class RedisBenchmarks
{
    private const int Count = 1000;
    private RedisFixture _fixture = null!;
    private RedisKey _sessionKey;
    private SessionId _id;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = RedisFixture.Open(Count);
        _id = SessionToken.TryParse(_fixture.Token, out SessionToken? token) ? token.Id : default;

        // The store's own layout: a pointer from the id to the user's hash slot, then the session hash.
        string userHash = (string)_fixture.Database.StringGet(_fixture.Prefix + "sid:" + _id.ToString())!;
        _sessionKey = _fixture.Prefix + "{u:" + userHash + "}:s:" + _id.ToString();
        // The first call on a fresh server may pay one NOSCRIPT retry (EVALSHA, then EVAL) to load the script.
        ReportRoundTrips("first call");
        ReportRoundTrips("warm");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ReportRoundTrips("after the run");
        _fixture.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<HashEntry[]> RawHashGetAll() => _fixture.Database.HashGetAllAsync(_sessionKey);

    [Benchmark]
    public async Task<SessionCheck> StoreValidateAsync() => await _fixture.Store.ValidateAsync(_id, _fixture.Manager.Rules, RedisFixture.Clock.GetUtcNow(), touch: true);

    [Benchmark]
    public async Task<SessionValidationResult> ManagerValidateAsync() => await _fixture.Manager.ValidateAsync(_fixture.Token);

    private void ReportRoundTrips(string when)
    {
        IReadOnlyList<string> validate = _fixture.CommandsOf(async () =>
        {
            if (!(await _fixture.Manager.ValidateAsync(_fixture.Token)).IsValid)
            {
                throw new InvalidOperationException("The probe session does not validate on Redis.");
            }
        });
        IReadOnlyList<string> raw = _fixture.CommandsOf(() => _fixture.Database.HashGetAllAsync(_sessionKey));
        Console.WriteLine($"// Redis commands per validate ({when}): {validate.Count} [{string.Join(", ", validate)}]; raw baseline: {raw.Count} [{string.Join(", ", raw)}]");
    }
}
