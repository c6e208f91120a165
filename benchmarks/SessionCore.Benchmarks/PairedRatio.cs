using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SessionCore.Benchmarks;

/// <summary>
/// A paired A/B measurement for shared, noisy machines: batches of the baseline and of each candidate alternate, so a
/// burst of load from other processes falls on both sides, and the ratio of each pair is taken before the median.
/// BenchmarkDotNet runs one method after another, so there a burst that hits only the baseline moves every ratio.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project benchmarks/SessionCore.Benchmarks -- --paired dpop</c>.</remarks>
internal static class PairedRatio
{
    public static void Run(string name, (string Name, Func<object?> Call) baseline, IReadOnlyList<(string Name, Func<object?> Call)> candidates, int rounds = 400, int batch = 50, int warmup = 2000)
    {
        for (int i = 0; i < warmup; i++)
        {
            baseline.Call();
            foreach ((string _, Func<object?> call) in candidates)
            {
                call();
            }
        }

        List<double> baseTimes = new(rounds);
        List<double>[] times = [.. candidates.Select(_ => new List<double>(rounds))];
        Stopwatch watch = new();
        for (int round = 0; round < rounds; round++)
        {
            baseTimes.Add(Time(watch, baseline.Call, batch));
            for (int c = 0; c < candidates.Count; c++)
            {
                times[c].Add(Time(watch, candidates[c].Call, batch));
            }
        }

        CultureInfo inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"## {name}: {rounds} rounds of {batch} calls each, alternating");
        Console.WriteLine("| method | median (us) | min (us) | median of paired ratios | ratio of minima |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(inv, $"| {baseline.Name} (baseline) | {Median(baseTimes):F2} | {baseTimes.Min():F2} | 1.000 | 1.000 |"));
        for (int c = 0; c < candidates.Count; c++)
        {
            List<double> ratios = [.. times[c].Zip(baseTimes, (t, b) => t / b)];
            Console.WriteLine(string.Create(inv, $"| {candidates[c].Name} | {Median(times[c]):F2} | {times[c].Min():F2} | {Median(ratios):F3} | {times[c].Min() / baseTimes.Min():F3} |"));
        }
    }

    private static double Time(Stopwatch watch, Func<object?> call, int batch)
    {
        watch.Restart();
        for (int i = 0; i < batch; i++)
        {
            call();
        }

        return watch.Elapsed.TotalMicroseconds / batch;
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted[sorted.Count / 2];
    }
}
