using System;
using System.Text;
using System.Threading.Tasks;

namespace SessionCore.Samples.Quickstart;

/// <summary>
/// <c>dotnet run --project samples/Quickstart [-- --data DIR]</c>: the life of one user's sessions, on the
/// embedded LiteDB store, told step by step. Exit code 0 when every step behaved as expected, 1 when one did
/// not, 2 on a usage error.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!Console.IsOutputRedirected)
        {
            Console.OutputEncoding = Encoding.UTF8;
        }

        return await Walkthrough.RunAsync(args, Console.Out, Console.Error);
    }
}
