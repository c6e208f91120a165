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
        ["keys"] = KeysCommand.RunAsync,
        ["token"] = TokenCommand.RunAsync,
        ["sessions"] = SessionsCommand.RunAsync,
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

    internal static string Usage => "usage: sessioncore <command> [options]\n\ncommands:\n" + KeysCommand.Usage + "\n" + TokenCommand.Usage + "\n" + SessionsCommand.Usage
        + "\n\nexit codes: 0 success, 1 failure (for example an invalid token), 2 usage error";

    /// <summary>Reports a usage error on stderr and returns <see cref="ExitCodes.Usage"/>.</summary>
    internal static async Task<int> UsageErrorAsync(ToolContext context, string message)
    {
        await context.Error.WriteLineAsync($"{message.TrimEnd('.')}. Run 'sessioncore --help'.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    /// <summary>Reads a JWK file; reports why on stderr and returns null when it cannot. The message never quotes the file's content.</summary>
    internal static async Task<SessionCore.Keys.SigningKey?> ReadKeyAsync(ToolContext context, string path)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"cannot read '{path}': {ex.Message}").ConfigureAwait(false);
            return null;
        }

        if (!SessionCore.Keys.SigningKey.TryImportJwk(text.Trim(), SessionCore.Keys.SigningKeyExportPolicies.None, out SessionCore.Keys.SigningKey? key))
        {
            await context.Error.WriteLineAsync($"'{path}' is not a valid ES256, EdDSA, RS256 or PS256 JWK").ConfigureAwait(false);
            return null;
        }

        return key;
    }
}

/// <summary>The standard streams, so tests can run commands in process.</summary>
internal sealed record ToolContext(TextReader In, TextWriter Out, TextWriter Error);

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
