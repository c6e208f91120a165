using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Tool;

/// <summary>
/// A small parser for <c>--name value</c>, <c>--name=value</c> and positional arguments. Every command
/// group declares which options it takes; anything else is a usage error.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public List<string> Positional { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="error"/> says why when it returns false.</summary>
    public static bool TryParse(string[] args, IReadOnlySet<string> singleOptions, IReadOnlySet<string> repeatableOptions, [NotNullWhen(true)] out CommandLine? line, [NotNullWhen(false)] out string? error)
    {
        line = new CommandLine();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                if (Array.IndexOf(args, string.Empty, i + 1) >= 0)
                {
                    error = "an argument is empty";
                    line = null;
                    return false;
                }

                line.Positional.AddRange(args[(i + 1)..]);
                break;
            }

            if (arg.Length == 0)
            {
                error = "an argument is empty";
                line = null;
                return false;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                line.Positional.Add(arg);
                continue;
            }

            string name = arg[2..];
            string? value = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            bool single = singleOptions.Contains(name);
            if (!single && !repeatableOptions.Contains(name))
            {
                error = $"unknown option '--{name}'";
                line = null;
                return false;
            }

            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"option '--{name}' needs a value";
                    line = null;
                    return false;
                }

                value = args[++i];
            }

            if (value.Length == 0)
            {
                error = $"option '--{name}' needs a non-empty value";
                line = null;
                return false;
            }

            if (!line._options.TryGetValue(name, out List<string>? values))
            {
                line._options[name] = values = [];
            }
            else if (single)
            {
                error = $"option '--{name}' given more than once";
                line = null;
                return false;
            }

            values.Add(value);
        }

        return true;
    }

    public string? Get(string name) => _options.TryGetValue(name, out List<string>? values) ? values[0] : null;

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out List<string>? values) ? values : [];
}
