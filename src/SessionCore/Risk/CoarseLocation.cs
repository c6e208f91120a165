using System;
using System.Globalization;
using SessionCore.Internal;

namespace SessionCore.Risk;

/// <summary>
/// The coarse place a sign-in came from, in the form that is stored per known device and raised in events: country,
/// city, coordinates rounded to a tenth of a degree with an accuracy radius that covers the rounding, and the
/// autonomous system number. Never an address, a subdivision, a postal code or an organisation name.
/// </summary>
/// <remarks>
/// <para>
/// Security (privacy): a tenth of a degree is about 11 km, coarser than the finest accuracy a geolocation database
/// claims (1 km) and about the size of a town, so a stored place says no more than the city name beside it. Rounding
/// moves a point by at most 0.05° in each axis, at most 7.9 km on the ground; <see cref="RoundingAllowanceKm"/> is
/// added to the accuracy radius so the stored circle still contains every point the provider's circle did, and
/// rounding can never make a journey look faster than it was.
/// </para>
/// <para>
/// Values are sanitised on the way in: a country code must be two ASCII letters (stored upper case), a city name at
/// most <see cref="MaxCityLength"/> characters without control, format (bidirectional override) or lone surrogate
/// characters, coordinates finite and in range (both or neither), an accuracy radius 0 to
/// <see cref="MaxAccuracyRadiusKm"/>, an AS number 1 to 4,294,967,295. A value that fails is dropped (unknown), never
/// corrected into a guess.
/// </para>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed record CoarseLocation
{
    /// <summary>The grid coordinates are rounded to, in degrees.</summary>
    public const double CoordinateStepDegrees = 0.1;

    /// <summary>The kilometres added to the accuracy radius to cover the rounding of the coordinates (at most 7.9 km, rounded up).</summary>
    public const int RoundingAllowanceKm = 8;

    /// <summary>The largest accuracy radius kept, in kilometres: half the Earth's circumference, beyond which a radius says nothing more.</summary>
    public const int MaxAccuracyRadiusKm = 20_016;

    /// <summary>The longest city name kept, in UTF-16 code units.</summary>
    public const int MaxCityLength = 100;

    private CoarseLocation(string? countryCode, string? city, double? latitude, double? longitude, int? accuracyRadiusKm, long? autonomousSystemNumber)
    {
        CountryCode = countryCode;
        City = city;
        Latitude = latitude;
        Longitude = longitude;
        AccuracyRadiusKm = accuracyRadiusKm;
        AutonomousSystemNumber = autonomousSystemNumber;
    }

    /// <summary>Gets the ISO 3166-1 alpha-2 country code, upper case, or <see langword="null"/>.</summary>
    public string? CountryCode { get; }

    /// <summary>Gets the city name, or <see langword="null"/>.</summary>
    public string? City { get; }

    /// <summary>Gets the latitude rounded to <see cref="CoordinateStepDegrees"/>, or <see langword="null"/> (then <see cref="Longitude"/> is too).</summary>
    public double? Latitude { get; }

    /// <summary>Gets the longitude rounded to <see cref="CoordinateStepDegrees"/>, in (-180, 180], or <see langword="null"/>.</summary>
    public double? Longitude { get; }

    /// <summary>
    /// Gets the accuracy radius in kilometres, including <see cref="RoundingAllowanceKm"/>, or <see langword="null"/>
    /// when there are no coordinates or the provider gave no radius (the risk check then assumes
    /// <see cref="SignInRiskOptions.UnknownAccuracyRadiusKm"/>).
    /// </summary>
    public int? AccuracyRadiusKm { get; }

    /// <summary>Gets the autonomous system number, or <see langword="null"/>.</summary>
    public long? AutonomousSystemNumber { get; }

    /// <summary>Gets a value indicating whether the place has coordinates.</summary>
    public bool HasCoordinates => Latitude is not null;

    /// <summary>Reduces what a provider knows of an address to its coarse, storable form.</summary>
    /// <param name="location">The provider's answer.</param>
    /// <returns>The coarse place, or <see langword="null"/> when no field survives sanitising.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is <see langword="null"/>.</exception>
    public static CoarseLocation? FromLocation(GeoLocation location)
    {
        Throw.IfNull(location);
        (double? latitude, double? longitude) = Coordinates(location.Latitude, location.Longitude);
        int? radius = null;
        if (latitude is not null && location.AccuracyRadiusKm is int given && given >= 0)
        {
            radius = (int)Math.Min((long)given + RoundingAllowanceKm, MaxAccuracyRadiusKm);
        }

        return Create(Country(location.CountryCode), CityName(location.City), latitude, longitude, radius, Asn(location.AutonomousSystemNumber));
    }

    /// <summary>
    /// Rebuilds a place a store persisted. The same sanitising applies (so a damaged record yields unknown fields,
    /// never an exception); the rounding allowance is not added again.
    /// </summary>
    /// <param name="countryCode">The stored <see cref="CountryCode"/>.</param>
    /// <param name="city">The stored <see cref="City"/>.</param>
    /// <param name="latitude">The stored <see cref="Latitude"/>.</param>
    /// <param name="longitude">The stored <see cref="Longitude"/>.</param>
    /// <param name="accuracyRadiusKm">The stored <see cref="AccuracyRadiusKm"/>.</param>
    /// <param name="autonomousSystemNumber">The stored <see cref="AutonomousSystemNumber"/>.</param>
    /// <returns>The place, or <see langword="null"/> when no field survives.</returns>
    public static CoarseLocation? Restore(string? countryCode, string? city, double? latitude, double? longitude, int? accuracyRadiusKm, long? autonomousSystemNumber)
    {
        (double? lat, double? lon) = Coordinates(latitude, longitude);
        int? radius = lat is not null && accuracyRadiusKm is int r && r >= 0 && r <= MaxAccuracyRadiusKm ? r : null;
        return Create(Country(countryCode), CityName(city), lat, lon, radius, Asn(autonomousSystemNumber));
    }

    /// <summary>Returns the place as people read it: <c>"London, GB"</c>, <c>"GB"</c>, or <c>"unknown place"</c>.</summary>
    /// <returns>City and country, as far as known.</returns>
    public override string ToString() => (City, CountryCode) switch
    {
        (not null, not null) => City + ", " + CountryCode,
        (not null, null) => City,
        (null, not null) => CountryCode,
        _ => AutonomousSystemNumber is long asn ? "AS" + asn.ToString(CultureInfo.InvariantCulture) : "unknown place",
    };

    private static CoarseLocation? Create(string? country, string? city, double? latitude, double? longitude, int? radius, long? asn) =>
        country is null && city is null && latitude is null && asn is null
            ? null
            : new CoarseLocation(country, city, latitude, longitude, radius, asn);

    private static (double? Latitude, double? Longitude) Coordinates(double? latitude, double? longitude)
    {
        if (latitude is not double lat || longitude is not double lon
            || !double.IsFinite(lat) || !double.IsFinite(lon) || Math.Abs(lat) > 90 || Math.Abs(lon) > 180)
        {
            return (null, null);
        }

        double roundedLon = Round(lon);
        return (Round(lat), roundedLon == -180 ? 180 : roundedLon);
    }

    // "+ 0.0" turns a negative zero into a positive one, so equal places compare and store equally.
    private static double Round(double degrees) =>
        (Math.Round(degrees * 10, MidpointRounding.AwayFromZero) / 10) + 0.0;

    private static string? Country(string? code)
    {
        if (code is null || code.Length != 2 || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]))
        {
            return null;
        }

        return char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) ? code : code.ToUpperInvariant();
    }

    private static string? CityName(string? city)
    {
        if (city is null)
        {
            return null;
        }

        ReadOnlySpan<char> trimmed = city.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed.Length > MaxCityLength)
        {
            return null;
        }

        for (int i = 0; i < trimmed.Length; i++)
        {
            char c = trimmed[i];
            if (char.IsHighSurrogate(c) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1]))
            {
                i++;
                continue;
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (char.IsSurrogate(c) || category is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return null;
            }
        }

        return trimmed.Length == city.Length ? city : trimmed.ToString();
    }

    private static long? Asn(long? number) => number is long n && n >= 1 && n <= uint.MaxValue ? n : null;
}
