using System;

namespace SessionCore.Location.MaxMind;

/// <summary>
/// Configures a <see cref="MaxMindLocationProvider"/>: which MaxMind DB files to read and how often to look for a
/// replaced file. Validated once, when the provider is created or registered.
/// </summary>
/// <threadsafety>Not thread-safe; configure it during start-up only. The provider keeps its own copy.</threadsafety>
public sealed class MaxMindLocationOptions
{
    /// <summary>The shortest accepted <see cref="ReloadCheckInterval"/> other than zero.</summary>
    public static readonly TimeSpan MinReloadCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest accepted <see cref="ReloadCheckInterval"/>.</summary>
    public static readonly TimeSpan MaxReloadCheckInterval = TimeSpan.FromDays(1);

    /// <summary>Gets or sets the path of a city database (GeoLite2-City, GeoIP2-City or GeoIP2-Enterprise <c>.mmdb</c>).</summary>
    /// <value><see langword="null"/>: no country, city or coordinates. Set this, <see cref="AsnDatabasePath"/> or both.</value>
    public string? CityDatabasePath { get; set; }

    /// <summary>Gets or sets the path of an autonomous-system database (GeoLite2-ASN or GeoIP2-ISP <c>.mmdb</c>).</summary>
    /// <value><see langword="null"/>: no network operator. Set this, <see cref="CityDatabasePath"/> or both.</value>
    public string? AsnDatabasePath { get; set; }

    /// <summary>
    /// Gets or sets how often the provider checks whether a database file was replaced (its length or modification
    /// time changed) and, if so, opens the new file and swaps it in.
    /// </summary>
    /// <value>5 minutes; <see cref="TimeSpan.Zero"/> to check only when <see cref="MaxMindLocationProvider.Reload"/> is called, otherwise between 1 second and 1 day.</value>
    /// <remarks>
    /// Replace a file by writing a new one beside it and renaming it over the old one (as <c>geoipupdate</c> does), never
    /// by rewriting it in place: the file is memory-mapped, and truncating a mapped file under a running process can
    /// crash it. A replacement that fails verification is not used; the previous data stays in service.
    /// </remarks>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
