using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace SessionCore.Stores.Benchmarks;

/// <summary>Environment switches and the cache folder shared by the store benchmarks.</summary>
public static class BenchEnvironment
{
    /// <summary>The Redis configuration string (for example <c>127.0.0.1:6379</c>), or <see langword="null"/> to skip Redis.</summary>
    public static string? RedisConfiguration => Nonempty(Environment.GetEnvironmentVariable("SESSIONCORE_REDIS"));

    /// <summary>Whether the 10^6-record sizes run (<c>SESSIONCORE_BENCH_LARGE=1</c>); populating them takes minutes the first time.</summary>
    public static bool Large => Environment.GetEnvironmentVariable("SESSIONCORE_BENCH_LARGE") == "1";

    /// <summary>Whether only the smallest sizes run (<c>SESSIONCORE_BENCH_QUICK=1</c>), for smoke runs.</summary>
    public static bool Quick => Environment.GetEnvironmentVariable("SESSIONCORE_BENCH_QUICK") == "1";

    /// <summary>Where populated LiteDB files are cached between runs, keyed by record count.</summary>
    public static string CacheFolder
    {
        get
        {
            string folder = Path.Combine(Path.GetTempPath(), "sessioncore-bench");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Whether a benchmark type can run here (Redis types need <see cref="RedisConfiguration"/>).</summary>
    public static bool IsRunnable(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsPublic: true }
        && type.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
        && (!type.Name.Contains("Redis", StringComparison.Ordinal) || RedisConfiguration is not null);

    /// <summary>Every runnable benchmark type, for the smoke test.</summary>
    public static IEnumerable<Type> RunnableTypes => typeof(BenchEnvironment).Assembly.GetTypes().Where(IsRunnable);

    private static string? Nonempty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
