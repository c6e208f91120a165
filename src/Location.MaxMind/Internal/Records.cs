using System.Collections.Generic;
using MaxMind.Db;

namespace SessionCore.Location.MaxMind.Internal;

// Only the fields the risk check uses are mapped: the decoder skips every other key without allocating, so a lookup
// costs a handful of small objects rather than a full GeoIP2 response with every language's names.

/// <summary>The fields of a GeoIP2/GeoLite2 City record that are read.</summary>
internal sealed class CityRecord
{
    [MapKey("country")]
    public IsoCodeRecord? Country { get; init; }

    [MapKey("subdivisions")]
    public IReadOnlyList<IsoCodeRecord>? Subdivisions { get; init; }

    [MapKey("city")]
    public NamedRecord? City { get; init; }

    [MapKey("location")]
    public LocationRecord? Location { get; init; }
}

/// <summary>A record with an ISO code (country, subdivision).</summary>
internal sealed class IsoCodeRecord
{
    [MapKey("iso_code")]
    public string? IsoCode { get; init; }
}

/// <summary>A record with localised names, of which only English is read.</summary>
internal sealed class NamedRecord
{
    [MapKey("names")]
    public EnglishName? Names { get; init; }
}

/// <summary>The English entry of a names map.</summary>
internal sealed class EnglishName
{
    [MapKey("en")]
    public string? En { get; init; }
}

/// <summary>Coordinates and their accuracy.</summary>
internal sealed class LocationRecord
{
    [MapKey("latitude")]
    public double? Latitude { get; init; }

    [MapKey("longitude")]
    public double? Longitude { get; init; }

    [MapKey("accuracy_radius")]
    public int? AccuracyRadius { get; init; }
}

/// <summary>The fields of a GeoLite2 ASN (or GeoIP2 ISP) record that are read.</summary>
internal sealed class AsnRecord
{
    [MapKey("autonomous_system_number")]
    public long? Number { get; init; }

    [MapKey("autonomous_system_organization")]
    public string? Organization { get; init; }
}
