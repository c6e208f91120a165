using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Net;
using System.Threading;
using MaxMind.Db;
using SessionCore.Location.MaxMind.Internal;
using SessionCore.Risk;

namespace SessionCore.Location.MaxMind;

/// <summary>
/// Tells where a client address is from MaxMind DB files (GeoLite2 / GeoIP2 City and ASN), for the sign-in risk check.
/// The files are memory-mapped; lookups are thread-safe and lock-free; a replaced file is verified and swapped in
/// while lookups go on.
/// </summary>
/// <remarks>
/// <para>
/// Security: the constructor opens and verifies every configured file and throws a
/// <see cref="MaxMindDatabaseException"/> for a missing, unreadable, truncated, corrupt or wrong kind of file, so the
/// host fails at start-up instead of running with no data or made-up data. At run time nothing throws: a record that
/// cannot be decoded makes the lookup <see cref="LocationLookupStatus.Unavailable"/> (the sign-in goes on with the
/// place unknown), and a broken replacement file is refused while the previous one stays in service.
/// </para>
/// <para>
/// Only country and subdivision ISO codes, the English city name, coordinates with their accuracy radius, and the
/// autonomous system number and organisation are read. Addresses are never logged or kept.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share; every member may be called concurrently.</threadsafety>
public sealed class MaxMindLocationProvider : ILocationProvider, IDisposable
{
    /// <summary>The name of the meter the provider reports to.</summary>
    public const string MeterName = "SessionCore.Location.MaxMind";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_lookupFailures = s_meter.CreateCounter<long>(
        "sessioncore.location.lookup_failures", "{lookup}", "Lookups answered as unavailable because a database record could not be decoded.");

    private static readonly Counter<long> s_reloads = s_meter.CreateCounter<long>(
        "sessioncore.location.reloads", "{reload}", "Replaced database files, tagged by outcome (reloaded or refused).");

    private readonly DatabaseSlot<CityRecord>? _city;
    private readonly DatabaseSlot<AsnRecord>? _asn;
    private readonly ITimer? _timer;
    private MaxMindDatabaseException? _lastReloadFailure;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="MaxMindLocationProvider"/> class and opens the databases.</summary>
    /// <param name="options">The files and the reload interval. Validated and copied now.</param>
    /// <param name="timeProvider">The clock of the periodic reload check, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No path is set, a path is blank, or the interval is out of bounds.</exception>
    /// <exception cref="MaxMindDatabaseException">A file is missing, unreadable, truncated, corrupt or of the wrong kind.</exception>
    public MaxMindLocationProvider(MaxMindLocationOptions options, TimeProvider? timeProvider = null)
    {
        MaxMindSettings settings = MaxMindSettings.Create(options);
        try
        {
            _city = settings.CityPath is null ? null : DatabaseSlot<CityRecord>.Open(settings.CityPath, "city", IsCityType);
            _asn = settings.AsnPath is null ? null : DatabaseSlot<AsnRecord>.Open(settings.AsnPath, "ASN", IsAsnType);
        }
        catch
        {
            _city?.Dispose();
            throw;
        }

        if (settings.ReloadCheckInterval > TimeSpan.Zero)
        {
            _timer = (timeProvider ?? TimeProvider.System).CreateTimer(
                static state => ((MaxMindLocationProvider)state!).CheckForReplacedFiles(),
                this,
                settings.ReloadCheckInterval,
                settings.ReloadCheckInterval);
        }
    }

    /// <summary>Gets the city database in service, or <see langword="null"/> when none is configured.</summary>
    /// <exception cref="ObjectDisposedException">The provider is disposed.</exception>
    public MaxMindDatabaseInfo? City => _city?.Info;

    /// <summary>Gets the ASN database in service, or <see langword="null"/> when none is configured.</summary>
    /// <exception cref="ObjectDisposedException">The provider is disposed.</exception>
    public MaxMindDatabaseInfo? Asn => _asn?.Info;

    /// <summary>
    /// Gets why the last automatic reload refused a replaced file, or <see langword="null"/> when the last replacement
    /// was taken (or none was seen). The previous file stays in service meanwhile.
    /// </summary>
    public MaxMindDatabaseException? LastReloadFailure => Volatile.Read(ref _lastReloadFailure);

    /// <summary>Looks up an address in the city and ASN databases. Never throws on the address or the data.</summary>
    /// <param name="address">The client address.</param>
    /// <returns>
    /// <see cref="LocationLookupStatus.Found"/> with what either database knows, <see cref="LocationLookupStatus.NotFound"/>
    /// when neither has the address, <see cref="LocationLookupStatus.Unavailable"/> when a record cannot be decoded.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The provider is disposed.</exception>
    public LocationLookupResult Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        CityRecord? city;
        AsnRecord? asn;
        try
        {
            city = _city?.Find(address);
            asn = _asn?.Find(address);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException or InvalidCastException or IndexOutOfRangeException)
        {
            s_lookupFailures.Add(1);
            return LocationLookupResult.Unavailable;
        }

        if (city is null && asn is null)
        {
            return LocationLookupResult.NotFound;
        }

        IsoCodeRecord? subdivision = city?.Subdivisions is { Count: > 0 } subdivisions ? subdivisions[0] : null;
        return LocationLookupResult.Found(new GeoLocation
        {
            CountryCode = city?.Country?.IsoCode,
            SubdivisionCode = subdivision?.IsoCode,
            City = city?.City?.Names?.En,
            Latitude = city?.Location?.Latitude,
            Longitude = city?.Location?.Longitude,
            AccuracyRadiusKm = city?.Location?.AccuracyRadius,
            AutonomousSystemNumber = asn?.Number,
            AutonomousSystemOrganization = asn?.Organization,
        });
    }

    /// <summary>
    /// Checks now whether a database file was replaced and, if so, verifies the new file and swaps it in. Lookups go on
    /// meanwhile; those already running finish on the old file, which is closed after them.
    /// </summary>
    /// <returns><see langword="true"/> when at least one file was swapped in.</returns>
    /// <exception cref="MaxMindDatabaseException">A replaced file is broken. It is not used (and not tried again until it changes); the previous file stays in service.</exception>
    /// <exception cref="ObjectDisposedException">The provider is disposed.</exception>
    public bool Reload()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MaxMindDatabaseException? failure = null;
        bool reloaded = TryReload(_city, ref failure) | TryReload(_asn, ref failure);
        Volatile.Write(ref _lastReloadFailure, failure ?? (reloaded ? null : _lastReloadFailure));
        return failure is null ? reloaded : throw failure;
    }

    /// <summary>Stops the reload check and closes the files once running lookups have finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _timer?.Dispose();
        _city?.Dispose();
        _asn?.Dispose();
    }

    private static bool IsCityType(string type) =>
        type.Contains("City", StringComparison.OrdinalIgnoreCase) || type.Contains("Enterprise", StringComparison.OrdinalIgnoreCase);

    private static bool IsAsnType(string type) =>
        type.Contains("ASN", StringComparison.OrdinalIgnoreCase) || type.Contains("ISP", StringComparison.OrdinalIgnoreCase);

    private static bool TryReload<TRecord>(DatabaseSlot<TRecord>? slot, ref MaxMindDatabaseException? failure)
        where TRecord : class
    {
        try
        {
            if (slot?.ReloadIfChanged() ?? false)
            {
                s_reloads.Add(1, new KeyValuePair<string, object?>("outcome", "reloaded"));
                return true;
            }
        }
        catch (MaxMindDatabaseException ex)
        {
            s_reloads.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));
            failure ??= ex;
        }

        return false;
    }

    private void CheckForReplacedFiles()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            Reload();
        }
        catch (MaxMindDatabaseException)
        {
            // Recorded in LastReloadFailure and the reloads counter; the previous file stays in service.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the check ran.
        }
        catch (IOException)
        {
            // A file system hiccup: the next check tries again.
        }
    }
}
