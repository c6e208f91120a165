using System;
using BenchmarkDotNet.Running;

namespace SessionCore.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--paired", "dpop"])
        {
            DpopBenchmarks dpop = new();
            dpop.Setup();
            PairedRatio.Run(
                nameof(DpopBenchmarks),
                (nameof(DpopBenchmarks.RawEcdsaVerifyData), () => dpop.RawEcdsaVerifyData()),
                [
                    (nameof(DpopBenchmarks.DpopProofValidatorValidateAsync), () => dpop.DpopProofValidatorValidateAsync()),
                    (nameof(DpopBenchmarks.JsonWebTokenHandlerValidateTokenAsync), () => dpop.JsonWebTokenHandlerValidateTokenAsync()),
                ]);
            dpop.Cleanup();
            return;
        }

        if (args is ["--paired", "dpop-resource"])
        {
            DpopResourceBenchmarks resource = new();
            resource.Setup();
            PairedRatio.Run(
                nameof(DpopResourceBenchmarks),
                (nameof(DpopResourceBenchmarks.RawEcdsaVerifyData), () => resource.RawEcdsaVerifyData()),
                [(nameof(DpopResourceBenchmarks.ResourceAccessValidatorValidateAsync), () => resource.ResourceAccessValidatorValidateAsync())]);
            resource.Cleanup();
            return;
        }

        if (args is ["--paired", "dbsc"])
        {
            DbscProofBenchmarks dbsc = new();
            dbsc.Setup();
            PairedRatio.Run(
                nameof(DbscProofBenchmarks),
                (nameof(DbscProofBenchmarks.RawEcdsaVerifyData), () => dbsc.RawEcdsaVerifyData()),
                [(nameof(DbscProofBenchmarks.DbscProofValidatorValidateRefreshAsync), () => dbsc.DbscProofValidatorValidateRefreshAsync())]);
            dbsc.Cleanup();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
