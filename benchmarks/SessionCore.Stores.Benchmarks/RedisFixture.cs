using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores.Redis;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// A Redis store (under its own key prefix, keyed by the session count) populated once per server lifetime through
/// the manager, plus a profiler hook that counts the commands one operation sends.
/// </summary>
internal sealed class RedisFixture : IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private ProfilingSession? _profiling;

    private RedisFixture(int count)
    {
        _multiplexer = ConnectionMultiplexer.Connect(BenchEnvironment.RedisConfiguration!);
        _multiplexer.RegisterProfiler(() => _profiling);
        Prefix = $"scbench{count}:";
        Store = new RedisSessionStore(new RedisSessionStoreOptions { ConnectionMultiplexer = _multiplexer, KeyPrefix = Prefix });
        Manager = new SessionManagerBuilder { Store = Store, TimeProvider = Clock, Options = LongLived() }.Build();
        Refresh = new RefreshTokenService(Manager);
        Database = _multiplexer.GetDatabase();
    }

    /// <summary>Real time, pinned once per process: Redis expires keys by its own clock, so the store's times must be current.</summary>
    public static FixedClock Clock { get; } = new(TimeProvider.System.GetUtcNow());

    public string Prefix { get; }

    public RedisSessionStore Store { get; }

    public SessionManager Manager { get; }

    public RefreshTokenService Refresh { get; }

    public IDatabase Database { get; }

    public string Token { get; private set; } = string.Empty;

    public static RedisFixture Open(int count)
    {
        var fixture = new RedisFixture(count);
        fixture.Populate(count);
        return fixture;
    }

    /// <summary>Runs <paramref name="operation"/> once and returns the Redis commands it sent.</summary>
    public IReadOnlyList<string> CommandsOf(Func<Task> operation)
    {
        _profiling = new ProfilingSession();
        operation().GetAwaiter().GetResult();
        ProfilingSession session = _profiling;
        _profiling = null;
        return [.. session.FinishProfiling().Select(c => c.Command)];
    }

    public void Dispose()
    {
        Refresh.Dispose();
        Store.Dispose();
        _multiplexer.Dispose();
    }

    private static SessionOptions LongLived() => new() { IdleTimeout = TimeSpan.FromDays(1), AbsoluteLifetime = TimeSpan.FromDays(1) };

    // The marker holds the probe token and expires well before the sessions do, so a stale population is rebuilt.
    private void Populate(int count)
    {
        RedisKey marker = Prefix + "bench:probe";
        RedisValue probe = Database.StringGet(marker);
        if (!probe.IsNull && LiteDbBenchmarks.Complete(Manager.ValidateAsync((string?)probe)).IsValid)
        {
            Token = (string)probe!;
            return;
        }

        var watch = Stopwatch.StartNew();
        Token = Manager.SignInAsync(new SignInRequest("probe-user")).AsTask().GetAwaiter().GetResult().Value.Reveal();
        const int Batch = 2000;
        for (int done = 1; done < count; done += Batch)
        {
            int size = Math.Min(Batch, count - done);
            Task[] pending = new Task[size];
            for (int i = 0; i < size; i++)
            {
                pending[i] = Manager.SignInAsync(new SignInRequest("user-" + (done + i))).AsTask();
            }

            Task.WaitAll(pending);
        }

        Database.StringSet(marker, Token, TimeSpan.FromHours(12));
        Console.WriteLine($"// Populated {count} Redis sessions under {Prefix} in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
