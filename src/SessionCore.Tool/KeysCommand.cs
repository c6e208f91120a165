using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Keys;

namespace SessionCore.Tool;

/// <summary>
/// <c>sessioncore keys new --alg ES256|EdDSA|RS256|PS256 [--bits N] [--out FILE]</c> writes a private JWK
/// (with kid, alg and use: sig); <c>sessioncore keys jwks FILE...</c> prints a JWKS of the public parts.
/// </summary>
internal static class KeysCommand
{
    public const string Usage = """
          keys new --alg ES256|EdDSA|RS256|PS256 [--bits N] [--out FILE]
                                                    create a signing key; prints the private JWK, or writes it
                                                    to a new FILE readable by its owner only. RS256 and PS256
                                                    keys have 3072 bits unless --bits says 2048 to 4096
          keys jwks FILE...                         print the JWKS (public parts only) of the given JWK files
        """;

    private static readonly HashSet<string> s_newOptions = new(StringComparer.Ordinal) { "alg", "bits", "out" };
    private static readonly HashSet<string> s_none = new(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ToolContext context, string[] args)
    {
        if (args.Length == 0)
        {
            return await Program.UsageErrorAsync(context, "keys needs a subcommand: new or jwks").ConfigureAwait(false);
        }

        return args[0] switch
        {
            "new" => await NewAsync(context, args[1..]).ConfigureAwait(false),
            "jwks" => await JwksAsync(context, args[1..]).ConfigureAwait(false),
            _ => await Program.UsageErrorAsync(context, $"unknown keys subcommand '{args[0]}'").ConfigureAwait(false),
        };
    }

    private static async Task<int> NewAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_newOptions, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        if (line.Positional.Count > 0)
        {
            return await Program.UsageErrorAsync(context, "keys new takes no positional arguments").ConfigureAwait(false);
        }

        SigningAlgorithm? algorithm = line.Get("alg") switch
        {
            "ES256" => SigningAlgorithm.Es256,
            "EdDSA" => SigningAlgorithm.EdDsa,
            "RS256" => SigningAlgorithm.Rs256,
            "PS256" => SigningAlgorithm.Ps256,
            _ => null,
        };
        if (algorithm is null)
        {
            return await Program.UsageErrorAsync(context, "--alg must be ES256, EdDSA, RS256 or PS256").ConfigureAwait(false);
        }

        int? bits = null;
        if (line.Get("bits") is string bitsText)
        {
            bool rsa = algorithm == SigningAlgorithm.Rs256 || algorithm == SigningAlgorithm.Ps256;
            if (!rsa || !int.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)
                || parsed < SigningKey.MinRsaKeySize || parsed > SigningKey.MaxRsaKeySize || parsed % 8 != 0)
            {
                return await Program.UsageErrorAsync(context, "--bits is for RS256 and PS256 only: a multiple of 8 from 2048 to 4096 (3072 when omitted)").ConfigureAwait(false);
            }

            bits = parsed;
        }

        using SigningKey key = SigningKey.Generate(algorithm, SigningKeyExportPolicies.AllowPrivateExport, bits);
        string jwk = key.ExportPrivateJwk();
        string? path = line.Get("out");
        if (path is null)
        {
            await context.Out.WriteLineAsync(jwk).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        try
        {
            FileStreamOptions options = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using FileStream stream = new(path, options);
            await using StreamWriter writer = new(stream);
            await writer.WriteLineAsync(jwk).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"cannot write '{path}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> JwksAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_none, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        if (line.Positional.Count == 0)
        {
            return await Program.UsageErrorAsync(context, "keys jwks needs at least one JWK file").ConfigureAwait(false);
        }

        List<SigningKey> keys = [];
        try
        {
            SigningKeyRing ring = new();
            foreach (string path in line.Positional)
            {
                SigningKey? key = await Program.ReadKeyAsync(context, path).ConfigureAwait(false);
                if (key is null)
                {
                    return ExitCodes.Failure;
                }

                keys.Add(key);
                try
                {
                    ring.AddVerificationKey(key);
                }
                catch (ArgumentException)
                {
                    await context.Error.WriteLineAsync($"'{path}' holds a key that is already in the set").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }

            await context.Out.WriteLineAsync(ring.ExportJwks()).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            foreach (SigningKey key in keys)
            {
                key.Dispose();
            }
        }
    }
}
