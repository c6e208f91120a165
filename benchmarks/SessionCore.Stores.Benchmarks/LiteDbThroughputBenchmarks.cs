using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Stores.LiteDb;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Write throughput on LiteDB with 1, 8 and 64 concurrent callers: each invocation runs a batch of operations split among
/// the callers, through the store (one lock, one transaction per operation) and as raw LiteDB transactions (no lock of
/// their own: LiteDB serializes the writers). The throughput ratio is the inverse of the time ratio.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[InvocationCount(Invocations)]
public class LiteDbThroughputBenchmarks
{
    private const int Invocations = 2;

    // The smoke test (SESSIONCORE_BENCH_QUICK) only needs every combination to run once.
    private static readonly int Batch = BenchEnvironment.Quick ? 64 : 256;

    private readonly ConcurrentQueue<LiteDbWriteBenchmarks.Target> _store = new();
    private readonly ConcurrentQueue<LiteDbWriteBenchmarks.Target> _raw = new();
    private LiteDbSessionStore _storeDb = null!;
    private LiteDbRaw _rawDb = null!;
    private string _storePath = string.Empty;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [Params(LiteDbWrite.SignIn, LiteDbWrite.Redeem)]
    public LiteDbWrite Operation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Every caller gets a thread at once: the pool would otherwise add threads slowly beyond the core count.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 2 * 64), io);
        _rawDb = LiteDbRaw.Create("throughput");
        _storePath = System.IO.Path.Combine(BenchEnvironment.CacheFolder, $"store-throughput-{Environment.ProcessId}.db");
        LiteDbFixture.Delete(_storePath);
        _storeDb = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _storePath, PurgeInterval = null });
    }

    [IterationSetup]
    public void Prepare()
    {
        _store.Clear();
        _raw.Clear();
        for (int i = 0; i < Invocations * Batch; i++)
        {
            _store.Enqueue(LiteDbWriteBenchmarks.Target.Prepare(Operation, new LiteDbWriteBenchmarks.StoreWriter(_storeDb)));
            _raw.Enqueue(LiteDbWriteBenchmarks.Target.Prepare(Operation, new LiteDbWriteBenchmarks.RawWriter(_rawDb)));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _storeDb.Dispose();
        LiteDbFixture.Delete(_storePath);
        _rawDb.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int RawTransactions() => RunBatch(_raw, new LiteDbWriteBenchmarks.RawWriter(_rawDb));

    [Benchmark]
    public int Store() => RunBatch(_store, new LiteDbWriteBenchmarks.StoreWriter(_storeDb));

    private int RunBatch(ConcurrentQueue<LiteDbWriteBenchmarks.Target> queue, LiteDbWriteBenchmarks.IWriter writer)
    {
        int done = 0;
        int perCaller = Batch / Callers;
        Task[] callers = new Task[Callers];
        for (int c = 0; c < callers.Length; c++)
        {
            callers[c] = Task.Run(() =>
            {
                for (int i = 0; i < perCaller && queue.TryDequeue(out LiteDbWriteBenchmarks.Target? target); i++)
                {
                    Interlocked.Add(ref done, LiteDbWriteBenchmarks.Run(target, writer));
                }
            });
        }

        Task.WaitAll(callers);
        return done == perCaller * Callers ? done : throw new InvalidOperationException("The batch ran out of prepared records.");
    }
}
