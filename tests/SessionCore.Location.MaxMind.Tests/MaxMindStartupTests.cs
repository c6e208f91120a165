using System;
using System.IO;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

public sealed class MaxMindStartupTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Constructor_BrokenDoubleFormat_RefusesAsCorrupt()
    {
        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: TestFiles.BrokenDouble));

        Assert.Equal(MaxMindDatabaseProblem.Corrupt, ex.Problem);
        Assert.Equal(TestFiles.BrokenDouble, ex.Path);
        Assert.Contains(TestFiles.BrokenDouble, ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        Assert.IsType<global::MaxMind.Db.InvalidDatabaseException>(ex.InnerException);
    }

    [Fact]
    public void Constructor_InvalidNodeCount_RefusesAsCorrupt()
    {
        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: TestFiles.InvalidNodeCount));

        Assert.Equal(MaxMindDatabaseProblem.Corrupt, ex.Problem);
        Assert.Contains("city database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingFile_SaysSo()
    {
        string path = _files.File("GeoLite2-City.mmdb");
        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: path));

        Assert.Equal(MaxMindDatabaseProblem.Missing, ex.Problem);
        Assert.Equal($"The MaxMind city database '{path}' does not exist. Download it again (for example with geoipupdate) or fix the path.", ex.Message);
    }

    [Fact]
    public void Constructor_MissingFolder_SaysTheFileIsMissing() =>
        Assert.Equal(MaxMindDatabaseProblem.Missing, Assert.Throws<MaxMindDatabaseException>(() => Open(asn: _files.File("nowhere/GeoLite2-ASN.mmdb"))).Problem);

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.0)]
    public void Constructor_TruncatedFile_RefusesAsTruncated(double keep)
    {
        byte[] whole = File.ReadAllBytes(TestFiles.City);
        string path = _files.File("truncated.mmdb");
        File.WriteAllBytes(path, whole[..(int)(whole.Length * keep)]);

        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: path));

        Assert.Equal(MaxMindDatabaseProblem.Truncated, ex.Problem);
        Assert.Contains("empty, truncated or not a MaxMind DB file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NotADatabase_RefusesAsTruncated()
    {
        string path = _files.File("notes.mmdb");
        File.WriteAllText(path, "this is not a database");

        Assert.Equal(MaxMindDatabaseProblem.Truncated, Assert.Throws<MaxMindDatabaseException>(() => Open(city: path)).Problem);
    }

    [Fact]
    public void Constructor_AsnFileAsCity_RefusesAsWrongKind()
    {
        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: TestFiles.Asn));

        Assert.Equal(MaxMindDatabaseProblem.WrongKind, ex.Problem);
        Assert.Contains("another kind ('GeoLite2-ASN')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CityFileAsAsn_RefusesAsWrongKind() =>
        Assert.Equal(MaxMindDatabaseProblem.WrongKind, Assert.Throws<MaxMindDatabaseException>(() => Open(asn: TestFiles.City)).Problem);

    [Fact]
    public void Constructor_UnprintableDeclaredType_IsNotEchoed()
    {
        string path = _files.File("odd.mmdb");
        MmdbWriter.Write(path, "Odd\u0007Type", 6, [("192.0.2.0/24", MmdbWriter.City("FR", "Paris", 48.8566, 2.3522, 20))]);

        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => Open(city: path));

        Assert.Equal(MaxMindDatabaseProblem.WrongKind, ex.Problem);
        Assert.DoesNotContain("\u0007", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unreadable type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_GoodCityBrokenAsn_ThrowsAndLeavesNothingOpen()
    {
        string city = _files.File("city.mmdb");
        File.Copy(TestFiles.City, city);

        Assert.Throws<MaxMindDatabaseException>(() => Open(city: city, asn: TestFiles.InvalidNodeCount));

        if (OperatingSystem.IsLinux())
        {
            // The city file was mapped while it was verified; it must be unmapped again.
            Assert.DoesNotContain(city, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
        }
        else
        {
            // Elsewhere a mapped file cannot be deleted.
            File.Delete(city);
            Assert.False(File.Exists(city));
        }
    }

    [Fact]
    public void Constructor_Succeeds_MapsTheFileUntilDisposed()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/self/maps");
        string city = _files.File("mapped.mmdb");
        File.Copy(TestFiles.City, city);

        MaxMindLocationProvider provider = new(new MaxMindLocationOptions { CityDatabasePath = city });
        bool mappedWhileOpen = File.ReadAllText("/proc/self/maps").Contains(city, StringComparison.Ordinal);
        provider.Dispose();

        Assert.True(mappedWhileOpen);
        Assert.DoesNotContain(city, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new MaxMindLocationProvider(null!));
        Assert.Throws<ArgumentException>(() => new MaxMindLocationProvider(new MaxMindLocationOptions()));
        Assert.Throws<ArgumentException>(() => new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, ReloadCheckInterval = TimeSpan.FromMilliseconds(999) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, ReloadCheckInterval = TimeSpan.FromDays(2) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, ReloadCheckInterval = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void Constructor_ZeroInterval_IsAccepted()
    {
        using MaxMindLocationProvider provider = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, ReloadCheckInterval = TimeSpan.Zero });
        Assert.NotNull(provider.City);
    }

    private static void Open(string? city = null, string? asn = null)
    {
        using MaxMindLocationProvider provider = new(new MaxMindLocationOptions { CityDatabasePath = city, AsnDatabasePath = asn });
    }
}
