using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SessionCore.Stores.Benchmarks;
using Xunit;

namespace SessionCore.Benchmarks.Tests;

/// <summary>
/// Runs every benchmark once, in process, with BenchmarkDotNet's dry job, so they keep compiling and running. Nothing
/// here is timed or asserted about speed: only that each benchmark runs without error and each class has exactly one
/// baseline.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    static BenchmarkSmokeTests()
    {
        // Only the smallest store sizes: population of the large ones takes minutes.
        Environment.SetEnvironmentVariable("SESSIONCORE_BENCH_QUICK", "1");
    }

    public static TheoryData<string> BenchmarkTypes()
    {
        var data = new TheoryData<string>();
        foreach (Type type in AllTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void BenchmarkTypes_Found_IncludeEveryConcept()
    {
        string[] names = [.. AllTypes().Select(t => t.Name)];

        Assert.Contains("TokensBenchmarks", names);
        Assert.Contains("SessionsBenchmarks", names);
        Assert.Contains("RotationBenchmarks", names);
        Assert.Contains("CsrfBenchmarks", names);
        Assert.Contains("CookieHeaderBenchmarks", names);
        Assert.Contains("AuthorizationHeaderBenchmarks", names);
        Assert.Contains("JwtEs256IssueBenchmarks", names);
        Assert.Contains("JwtEdDsaValidateBenchmarks", names);
        Assert.Contains("JwtSignatureCacheBenchmarks", names);
        Assert.Contains("RiskBenchmarks", names);
        Assert.Contains("DpopBenchmarks", names);
        Assert.Contains("StrictJsonBenchmarks", names);
        Assert.Contains("DpopResourceBenchmarks", names);
        Assert.Contains("DbscProofBenchmarks", names);
        Assert.Contains("DbscBoundRequestBenchmarks", names);
        Assert.Contains("CookieHandlerBenchmarks", names);
        Assert.Contains("LiteDbBenchmarks", names);
        Assert.Contains("LiteDbScalingBenchmarks", names);
        Assert.Contains("LiteDbWriteBenchmarks", names);
        Assert.Contains("LiteDbThroughputBenchmarks", names);
        Assert.Contains("LiteDbRotationDepthBenchmarks", names);
    }

    [Theory]
    [MemberData(nameof(BenchmarkTypes))]
    public void Benchmark_DryRunInProcess_Succeeds(string typeName)
    {
        Type type = AllTypes().Single(t => t.FullName == typeName);
        Assert.Equal(1, type.GetMethods().Count(m => m.GetCustomAttribute<BenchmarkAttribute>() is { Baseline: true }));

        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "sessioncore-bench-smoke"))
            // Test builds are Debug; the numbers are not read, so an unoptimised build is fine here.
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);

        Summary summary = BenchmarkRunner.Run(type, config);

        Assert.False(summary.HasCriticalValidationErrors, log.GetLog());
        Assert.NotEmpty(summary.Reports);
        Assert.All(summary.Reports, report => Assert.True(report.Success, report.BenchmarkCase.DisplayInfo + Environment.NewLine + log.GetLog()));
    }

    private static IEnumerable<Type> AllTypes() =>
        typeof(TokensBenchmarks).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Concat(BenchEnvironment.RunnableTypes)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
}
