using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace SessionCore.Stores.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--cpu-time"])
        {
            LiteDbCpuTime.Run();
            return;
        }

        // Redis benchmarks need a server; without SESSIONCORE_REDIS they are not registered at all.
        Type[] types = [.. typeof(Program).Assembly.GetTypes().Where(BenchEnvironment.IsRunnable)];
        if (BenchEnvironment.RedisConfiguration is null)
        {
            Console.WriteLine("SESSIONCORE_REDIS is not set: the Redis benchmarks are skipped.");
        }

        BenchmarkSwitcher.FromTypes(types).Run(args);
    }
}
