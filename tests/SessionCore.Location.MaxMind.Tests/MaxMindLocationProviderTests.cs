using System;
using System.Net;
using SessionCore.Risk;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

public sealed class MaxMindLocationProviderTests : IDisposable
{
    private readonly MaxMindLocationProvider _provider = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City, AsnDatabasePath = TestFiles.Asn });

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void Lookup_London_ReadsEveryCityField()
    {
        GeoLocation london = _provider.Lookup(IPAddress.Parse("81.2.69.142")).Value;

        Assert.Equal(
            new GeoLocation { CountryCode = "GB", SubdivisionCode = "ENG", City = "London", Latitude = 51.5142, Longitude = -0.0931, AccuracyRadiusKm = 10 },
            london);
    }

    [Fact]
    public void Lookup_Linkoping_CombinesCityAndAsn()
    {
        GeoLocation linkoping = _provider.Lookup(IPAddress.Parse("89.160.20.112")).Value;

        Assert.Equal("SE", linkoping.CountryCode);
        Assert.Equal("E", linkoping.SubdivisionCode);
        Assert.Equal("Linköping", linkoping.City);
        Assert.Equal(76, linkoping.AccuracyRadiusKm);
        Assert.Equal(29518, linkoping.AutonomousSystemNumber);
        Assert.Equal("Bredband2 AB", linkoping.AutonomousSystemOrganization);
    }

    [Fact]
    public void Lookup_SanDiegoOverIPv4AndIPv6_IsTheSameCity()
    {
        GeoLocation v4 = _provider.Lookup(IPAddress.Parse("214.78.120.1")).Value;
        GeoLocation v6 = _provider.Lookup(IPAddress.Parse("2001:480:10::1")).Value;

        Assert.Equal(("US", "CA", "San Diego", 100), (v4.CountryCode, v4.SubdivisionCode, v4.City, v4.AccuracyRadiusKm));
        Assert.Equal(("US", "CA", "San Diego", 20), (v6.CountryCode, v6.SubdivisionCode, v6.City, v6.AccuracyRadiusKm));
        Assert.Equal(721, v4.AutonomousSystemNumber);
        Assert.Null(v6.AutonomousSystemNumber);
    }

    [Fact]
    public void Lookup_MappedIPv4_IsTheIPv4Record() =>
        Assert.Equal(_provider.Lookup(IPAddress.Parse("81.2.69.142")).Value, _provider.Lookup(IPAddress.Parse("::ffff:81.2.69.142")).Value);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    public void Lookup_AddressTheDatabasesDoNotKnow_IsNotFound(string address)
    {
        LocationLookupResult result = _provider.Lookup(IPAddress.Parse(address));

        Assert.Equal(LocationLookupStatus.NotFound, result.Status);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void Lookup_OnlyTheAsnDatabaseKnowsIt_HasTheNetworkButNoPlace()
    {
        GeoLocation google = _provider.Lookup(IPAddress.Parse("1.0.0.1")).Value;

        Assert.Equal(new GeoLocation { AutonomousSystemNumber = 15169, AutonomousSystemOrganization = "Google Inc." }, google);
    }

    [Fact]
    public void Lookup_CityOnlyProvider_HasNoNetwork()
    {
        using MaxMindLocationProvider cityOnly = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City });

        Assert.Null(cityOnly.Lookup(IPAddress.Parse("89.160.20.112")).Value.AutonomousSystemNumber);
        Assert.Null(cityOnly.Asn);
        Assert.Equal(LocationLookupStatus.NotFound, cityOnly.Lookup(IPAddress.Parse("1.0.0.1")).Status);
    }

    [Fact]
    public void Lookup_IPv6InAnIPv4OnlyDatabase_IsNotFound()
    {
        using TestFiles files = new();
        string path = files.File("v4.mmdb");
        MmdbWriter.Write(path, "GeoLite2-City", 4, [("192.0.2.0/24", MmdbWriter.City("FR", "Paris", 48.8566, 2.3522, 20))]);
        using MaxMindLocationProvider provider = new(new MaxMindLocationOptions { CityDatabasePath = path });

        Assert.Equal("Paris", provider.Lookup(IPAddress.Parse("192.0.2.9")).Value.City);
        Assert.Equal(LocationLookupStatus.NotFound, provider.Lookup(IPAddress.Parse("2001:db8::1")).Status);
        Assert.Equal(4, provider.City!.IPVersion);
    }

    [Fact]
    public void City_DescribesTheOpenFile()
    {
        MaxMindDatabaseInfo city = _provider.City!;

        Assert.Equal(TestFiles.City, city.Path);
        Assert.Equal("GeoIP2-City", city.DatabaseType);
        Assert.Equal(6, city.IPVersion);
        Assert.Equal("GeoLite2-ASN", _provider.Asn!.DatabaseType);
        Assert.True(city.BuildDate.Year >= 2020);
    }

    [Fact]
    public void Lookup_Null_Throws() => Assert.Throws<ArgumentNullException>(() => _provider.Lookup(null!));

    [Fact]
    public void Lookup_AfterDispose_ThrowsObjectDisposed()
    {
        MaxMindLocationProvider provider = new(new MaxMindLocationOptions { CityDatabasePath = TestFiles.City });
        provider.Dispose();
        provider.Dispose();

        Assert.Throws<ObjectDisposedException>(() => provider.Lookup(IPAddress.Loopback));
        Assert.Throws<ObjectDisposedException>(() => provider.Reload());
    }
}
