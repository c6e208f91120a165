using System;
using System.Globalization;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>One line per event on standard error. Callers pass no secrets: no tokens, cookies, passwords or URLs with queries.</summary>
internal static class Log
{
    private static readonly object s_gate = new();

    public static void Write(string message)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {message}");
        lock (s_gate)
        {
            Console.Error.WriteLine(line);
        }
    }
}
