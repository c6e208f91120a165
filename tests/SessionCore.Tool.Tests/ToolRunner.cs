using System;
using System.IO;
using System.Threading.Tasks;

namespace SessionCore.Tool.Tests;

/// <summary>Runs the tool in process through <see cref="Program.RunAsync"/> with captured streams, in a scratch directory.</summary>
internal sealed class ToolRunner : IDisposable
{
    public ToolRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sessioncore-tool-tests", Path.GetRandomFileName());
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Called on the runner that owns the scratch directory the paths point into.")]
    public async Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string? stdin, params string[] args)
    {
        using StringReader input = new(stdin ?? string.Empty);
        using StringWriter output = new();
        using StringWriter error = new();
        int code = await Program.RunAsync(args, new ToolContext(input, output, error));
        return (code, output.ToString(), error.ToString());
    }

    public Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch directory is harmless.
        }
    }
}
