using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.LiteDb;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// A companion to the LiteDB BenchmarkDotNet classes for a machine whose cores are shared: the same operations on the
/// same prepared records, but the store and the raw transactions alternate batch by batch (so both meet the same
/// load), and single-caller batches are timed in CPU time of the calling thread (time spent waiting for a core does
/// not count). Concurrent batches can only be timed on the wall clock; alternating them is what keeps that fair.
/// Run with <c>--cpu-time</c>; prints one table per measurement.
/// </summary>
internal static class LiteDbCpuTime
{
    private const int Rounds = 24;
    private const int BatchSize = 32;

    public static void Run()
    {
        Console.WriteLine($"// LiteDB, {Rounds} alternating rounds; load average at start: {LoadAverage()}");
        Console.WriteLine("| Operation | Raw CPU per op | Store CPU per op | Ratio (CPU) | Raw alloc per op | Store alloc per op | Alloc ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        using Sides sides = new("cpu");
        foreach (LiteDbWrite operation in Enum.GetValues<LiteDbWrite>())
        {
            List<double> raw = [], store = [];
            List<long> rawBytes = [], storeBytes = [];
            for (int round = 0; round < Rounds; round++)
            {
                Queue<LiteDbWriteBenchmarks.Target> rawTargets = Prepare(operation, sides.Raw, BatchSize);
                Queue<LiteDbWriteBenchmarks.Target> storeTargets = Prepare(operation, sides.Store, BatchSize);

                // Alternate which side goes first, so neither always runs on a warmer cache.
                if (round % 2 == 0)
                {
                    Measure(rawTargets, sides.Raw, raw, rawBytes);
                    Measure(storeTargets, sides.Store, store, storeBytes);
                }
                else
                {
                    Measure(storeTargets, sides.Store, store, storeBytes);
                    Measure(rawTargets, sides.Raw, raw, rawBytes);
                }
            }

            // The first rounds warm up (JIT, page cache) and are dropped.
            double rawUs = Median(raw.Skip(4)), storeUs = Median(store.Skip(4));
            double rawKb = Median(rawBytes.Skip(4).Select(b => (double)b)) / 1024, storeKb = Median(storeBytes.Skip(4).Select(b => (double)b)) / 1024;
            Console.WriteLine($"| {operation} | {rawUs:F1} us | {storeUs:F1} us | {storeUs / rawUs:F2} | {rawKb:F1} KB | {storeKb:F1} KB | {storeKb / rawKb:F2} |");
        }

        Console.WriteLine();
        Console.WriteLine("| Operation | Callers | Raw wall per batch of 256 | Store wall per batch | Throughput ratio (raw time / store time) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 128), io);
        foreach (LiteDbWrite operation in new[] { LiteDbWrite.SignIn, LiteDbWrite.Redeem })
        {
            foreach (int callers in new[] { 1, 8, 64 })
            {
                List<double> raw = [], store = [];
                for (int round = 0; round < 12; round++)
                {
                    ConcurrentQueue<LiteDbWriteBenchmarks.Target> rawTargets = new(Prepare(operation, sides.Raw, 256));
                    ConcurrentQueue<LiteDbWriteBenchmarks.Target> storeTargets = new(Prepare(operation, sides.Store, 256));
                    bool rawFirst = round % 2 == 0;
                    double first = Batch(rawFirst ? rawTargets : storeTargets, rawFirst ? sides.Raw : sides.Store, callers);
                    double second = Batch(rawFirst ? storeTargets : rawTargets, rawFirst ? sides.Store : sides.Raw, callers);
                    raw.Add(rawFirst ? first : second);
                    store.Add(rawFirst ? second : first);
                }

                double rawMs = Median(raw.Skip(2)), storeMs = Median(store.Skip(2));
                Console.WriteLine($"| {operation} | {callers} | {rawMs:F1} ms | {storeMs:F1} ms | {rawMs / storeMs:F2} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| Redemption | CPU per op | Ratio |");
        Console.WriteLine("| --- | ---: | ---: |");
        List<double> shallow = [], deep = [];
        LiteDbRotationDepthBenchmarks depth = new();
        depth.Setup();
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                depth.Restore();
                double a = CpuPerOp(() => Repeat(depth.RedeemAtRotation100)) / 16, b = CpuPerOp(() => Repeat(depth.RedeemAtRotation10000)) / 16;
                shallow.Add(a);
                deep.Add(b);
            }
        }
        finally
        {
            depth.Cleanup();
        }

        double shallowUs = Median(shallow.Skip(4)), deepUs = Median(deep.Skip(4));
        Console.WriteLine($"| at rotation 100 | {shallowUs:F1} us | 1.00 |");
        Console.WriteLine($"| at rotation 10,000 | {deepUs:F1} us | {deepUs / shallowUs:F2} |");
        Console.WriteLine($"// load average at end: {LoadAverage()}");
    }

    private static void Repeat(Func<RefreshRedeemStatus> redeem)
    {
        // Within the 16 rotations the depth benchmark restores its families for.
        for (int i = 0; i < 16; i++)
        {
            redeem();
        }
    }

    private static Queue<LiteDbWriteBenchmarks.Target> Prepare(LiteDbWrite operation, LiteDbWriteBenchmarks.IWriter writer, int count)
    {
        Queue<LiteDbWriteBenchmarks.Target> targets = new();
        for (int i = 0; i < count; i++)
        {
            targets.Enqueue(LiteDbWriteBenchmarks.Target.Prepare(operation, writer));
        }

        return targets;
    }

    private static void Measure(Queue<LiteDbWriteBenchmarks.Target> targets, LiteDbWriteBenchmarks.IWriter writer, List<double> cpu, List<long> bytes)
    {
        int count = targets.Count;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        double us = CpuPerOp(() =>
        {
            while (targets.TryDequeue(out LiteDbWriteBenchmarks.Target? target))
            {
                LiteDbWriteBenchmarks.Run(target, writer);
            }
        }) / count;
        bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / count);
        cpu.Add(us);
    }

    private static double Batch(ConcurrentQueue<LiteDbWriteBenchmarks.Target> targets, LiteDbWriteBenchmarks.IWriter writer, int callers)
    {
        int perCaller = targets.Count / callers;
        Stopwatch watch = Stopwatch.StartNew();
        Task[] tasks = new Task[callers];
        for (int c = 0; c < callers; c++)
        {
            tasks[c] = Task.Run(() =>
            {
                for (int i = 0; i < perCaller && targets.TryDequeue(out LiteDbWriteBenchmarks.Target? target); i++)
                {
                    LiteDbWriteBenchmarks.Run(target, writer);
                }
            });
        }

        Task.WaitAll(tasks);
        return watch.Elapsed.TotalMilliseconds;
    }

    // CPU time of the calling thread, in microseconds (Linux: CLOCK_THREAD_CPUTIME_ID; elsewhere the process's).
    private static double CpuPerOp(Action action)
    {
        double start = ThreadCpuMicroseconds();
        action();
        return ThreadCpuMicroseconds() - start;
    }

    private static double ThreadCpuMicroseconds()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(3, out Timespec ts) == 0)
        {
            return (ts.Seconds * 1_000_000.0) + (ts.Nanoseconds / 1000.0);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    [DllImport("libc", SetLastError = false)]
#pragma warning disable SA1300, CA5392, SYSLIB1054 // The libc name; a benchmark-only P/Invoke.
    private static extern int clock_gettime(int clock, out Timespec time);
#pragma warning restore SA1300, CA5392, SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>A store file and a raw file of the same layout.</summary>
    private sealed class Sides : IDisposable
    {
        private readonly LiteDbSessionStore _store;
        private readonly string _path;
        private readonly LiteDbRaw _raw;

        public Sides(string name)
        {
            _raw = LiteDbRaw.Create(name);
            _path = Path.Combine(BenchEnvironment.CacheFolder, $"store-{name}-{Environment.ProcessId}.db");
            LiteDbFixture.Delete(_path);
            _store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _path, PurgeInterval = null });
        }

        public LiteDbWriteBenchmarks.IWriter Raw => new LiteDbWriteBenchmarks.RawWriter(_raw);

        public LiteDbWriteBenchmarks.IWriter Store => new LiteDbWriteBenchmarks.StoreWriter(_store);

        public void Dispose()
        {
            _store.Dispose();
            LiteDbFixture.Delete(_path);
            _raw.Dispose();
        }
    }

}
