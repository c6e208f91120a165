namespace SessionCore.Risk;

/// <summary>
/// What a location provider knows of one client address: where it is (country, subdivision, city, coordinates with
/// their accuracy) and which network owns it (autonomous system). Every field may be unknown.
/// </summary>
/// <remarks>
/// <para>
/// This is the provider's answer, not what is stored: the sign-in risk check reduces it to a
/// <see cref="CoarseLocation"/> (rounded coordinates, no subdivision, no organisation name) before anything is kept
/// or raised in an event. It never holds the address it was looked up for.
/// </para>
/// <para>
/// Values a provider cannot vouch for stay <see langword="null"/>: an unknown field is never filled with a guess.
/// Out-of-range values (a latitude of 200, a three-letter country) are dropped by <see cref="CoarseLocation.FromLocation"/>.
/// </para>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed record GeoLocation
{
    /// <summary>Gets the ISO 3166-1 alpha-2 country code (for example <c>"GB"</c>), or <see langword="null"/>.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Gets the ISO 3166-2 code of the first-level subdivision without the country part (for example <c>"ENG"</c>), or <see langword="null"/>.</summary>
    public string? SubdivisionCode { get; init; }

    /// <summary>Gets the English name of the city (for example <c>"London"</c>), or <see langword="null"/>.</summary>
    public string? City { get; init; }

    /// <summary>Gets the latitude in degrees (WGS 84, north positive), or <see langword="null"/>.</summary>
    public double? Latitude { get; init; }

    /// <summary>Gets the longitude in degrees (WGS 84, east positive), or <see langword="null"/>.</summary>
    public double? Longitude { get; init; }

    /// <summary>
    /// Gets the radius in kilometres around <see cref="Latitude"/>/<see cref="Longitude"/> within which the address
    /// most likely is, or <see langword="null"/> when the provider does not say.
    /// </summary>
    public int? AccuracyRadiusKm { get; init; }

    /// <summary>Gets the autonomous system number of the network that announces the address, or <see langword="null"/>.</summary>
    public long? AutonomousSystemNumber { get; init; }

    /// <summary>Gets the name of the organisation that operates that autonomous system, or <see langword="null"/>.</summary>
    public string? AutonomousSystemOrganization { get; init; }
}
