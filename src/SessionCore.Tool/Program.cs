using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace SessionCore.Tool;

/// <summary>
/// The <c>sessioncore</c> command. Exit codes: 0 success, 1 the operation failed (for example an
/// invalid token), 2 a usage error.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<ToolContext, string[], Task<int>>> s_groups = new(StringComparer.Ordinal)
    {
    };

    public static async Task<int> Main(string[] args) =>
        await RunAsync(args, new ToolContext(Console.In, Console.Out, Console.Error)).ConfigureAwait(false);

    internal static async Task<int> RunAsync(string[] args, ToolContext context)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await context.Out.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        if (!s_groups.TryGetValue(args[0], out Func<ToolContext, string[], Task<int>>? group))
        {
            await context.Error.WriteLineAsync($"unknown command '{args[0]}'. Run 'sessioncore --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await group(context, args[1..]).ConfigureAwait(false);
    }

    private const string Usage = """
        usage: sessioncore <command> [options]
        """;
}

/// <summary>The standard streams, so tests can run commands in process.</summary>
internal sealed record ToolContext(TextReader In, TextWriter Out, TextWriter Error);

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
