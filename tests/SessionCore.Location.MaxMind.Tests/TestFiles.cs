using System;
using System.IO;

namespace SessionCore.Location.MaxMind.Tests;

/// <summary>The copied MaxMind test databases, and a fresh temporary folder per test for files that change.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles() => Directory.CreateDirectory(Folder);

    public static string City => Vector("GeoIP2-City-Test.mmdb");

    public static string Asn => Vector("GeoLite2-ASN-Test.mmdb");

    public static string BrokenDouble => Vector("GeoIP2-City-Test-Broken-Double-Format.mmdb");

    public static string InvalidNodeCount => Vector("GeoIP2-City-Test-Invalid-Node-Count.mmdb");

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "sessioncore-maxmind-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));

    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Puts <paramref name="source"/> at <paramref name="target"/> the way geoipupdate does: a new file renamed over the old one.</summary>
    public static void Replace(string target, string source, int generation)
    {
        string temporary = target + ".tmp";
        System.IO.File.Copy(source, temporary, overwrite: true);

        // A distinct modification time, so the replacement is seen even within the file system's time resolution.
        System.IO.File.SetLastWriteTimeUtc(temporary, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(generation));
        System.IO.File.Move(temporary, target, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
