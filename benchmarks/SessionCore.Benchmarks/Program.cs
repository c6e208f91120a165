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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
