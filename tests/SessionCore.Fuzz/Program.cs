using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace SessionCore.Fuzz;

/// <summary>
/// Usage:
///   SessionCore.Fuzz &lt;target&gt;                 run under AFL++ (afl-fuzz ... -- dotnet SessionCore.Fuzz.dll &lt;target&gt;)
///   SessionCore.Fuzz --list                     the targets
///   SessionCore.Fuzz --replay &lt;target&gt; &lt;path&gt;... feed files (or every file of folders) once, without a fuzzer
///   SessionCore.Fuzz --write-seeds &lt;corpus&gt;     (re)write the generated seed files of every target
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (FuzzTarget t in FuzzTargets.All)
            {
                Console.WriteLine($"{t.Name,-22} {t.Description}");
            }

            return 0;
        }

        if (args.Length == 2 && args[0] == "--write-seeds")
        {
            int written = SeedWriter.WriteAll(args[1]);
            Console.WriteLine($"wrote {written} seed files under {args[1]}");
            return 0;
        }

        if (args.Length >= 3 && args[0] == "--replay")
        {
            return Replay(Target(args[1]), args.Skip(2));
        }

        if (args.Length == 1 && !args[0].StartsWith('-'))
        {
            FuzzTarget target = Target(args[0]);
            Action<Stream> run = stream =>
            {
                using MemoryStream buffer = new();
                stream.CopyTo(buffer);
                target.Run(buffer.ToArray());
            };

            // A target whose input reaches third-party code that may end the process (a stack overflow
            // cannot be caught) runs in a child process, so that such an input is saved as a crash.
            if (target.Isolated)
            {
                Fuzzer.OutOfProcess.Run(run);
            }
            else
            {
                Fuzzer.Run(run);
            }

            return 0;
        }

        Console.Error.WriteLine("usage: SessionCore.Fuzz <target> | --list | --replay <target> <path>... | --write-seeds <corpus-folder>");
        return 2;
    }

    private static FuzzTarget Target(string name) =>
        FuzzTargets.Find(name) ?? throw new ArgumentException($"Unknown target '{name}'. Known: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}.", nameof(name));

    private static int Replay(FuzzTarget target, System.Collections.Generic.IEnumerable<string> paths)
    {
        int failures = 0, count = 0;
        foreach (string file in paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p) : [p]).Order(StringComparer.Ordinal))
        {
            count++;
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Report every failing input, then fail the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                Console.WriteLine($"FAIL {file}: {ex.Message}");
            }
        }

        Console.WriteLine($"{target.Name}: {count} inputs, {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}
