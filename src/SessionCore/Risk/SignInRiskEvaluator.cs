using System;
using System.Collections.Generic;
using System.Net;
using SessionCore.Devices;
using SessionCore.Internal;
using SessionCore.Stores;

namespace SessionCore.Risk;

/// <summary>
/// The sign-in risk check: compares a new sign-in's device and place with the devices remembered for the user and
/// the coarse place each was last seen at, and explains the verdict with reasons (new device, new country, new
/// autonomous system, impossible travel, location unknown) that the host maps to actions.
/// </summary>
/// <remarks>
/// <para>
/// The evaluation is pure and deterministic: the same inputs give the same assessment, whatever the order of
/// the remembered devices. <see cref="Locate"/> asks the location provider and never throws; the assessment does
/// both.
/// </para>
/// <para>
/// Security: the check explains, it does not authenticate. An attacker who controls their route to the server can
/// choose the place the database reports (a VPN exit near the victim), and one whose address is unknown to the
/// database lands in <see cref="SignInRiskReason.LocationUnknown"/>; map that reason to an action with this in mind.
/// Impossible travel is measured between accuracy circles, not points, so an inaccurate database errs towards
/// "plausible". Cost is linear in the number of remembered devices, which the store bounds per user.
/// </para>
/// </remarks>
/// <threadsafety>Immutable and safe to share, if the location provider is.</threadsafety>
public sealed class SignInRiskEvaluator
{
    private static readonly Func<KnownDevice, CoarseLocation?> s_lastLocation = static d => d.LastLocation;

    private readonly SignInRiskSettings _settings;
    private readonly ILocationProvider? _provider;

    /// <summary>Initializes a new instance of the <see cref="SignInRiskEvaluator"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults. Validated and copied now.</param>
    /// <param name="locationProvider">Where addresses are looked up, or <see langword="null"/> to treat every place as unknown.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of its bounds.</exception>
    /// <exception cref="ArgumentException">An entry of <see cref="SignInRiskOptions.Actions"/> is not a single reason or a defined action.</exception>
    public SignInRiskEvaluator(SignInRiskOptions? options = null, ILocationProvider? locationProvider = null)
    {
        _settings = SignInRiskSettings.Create(options ?? new SignInRiskOptions());
        _provider = locationProvider;
    }

    private SignInRiskEvaluator(SignInRiskSettings settings, ILocationProvider? locationProvider)
    {
        _settings = settings;
        _provider = locationProvider;
    }

    /// <summary>Gets the fastest plausible journey, in kilometres per hour (see <see cref="SignInRiskOptions.MaxTravelSpeedKmh"/>).</summary>
    public double MaxTravelSpeedKmh => _settings.MaxTravelSpeedKmh;

    /// <summary>Gets the action a reason maps to, or the strictest one of several.</summary>
    /// <param name="reasons">One reason or a combination.</param>
    /// <returns>The action; <see cref="SignInRiskAction.Allow"/> for <see cref="SignInRiskReason.None"/>.</returns>
    public SignInRiskAction ActionFor(SignInRiskReason reasons) => _settings.ActionFor(reasons);

    /// <summary>The same settings with another location provider.</summary>
    internal SignInRiskEvaluator WithProvider(ILocationProvider? locationProvider) => new(_settings, locationProvider);

    /// <summary>Looks up a client address with the location provider. Never throws.</summary>
    /// <param name="address">The client address, or <see langword="null"/>.</param>
    /// <returns>
    /// The provider's answer; <see cref="LocationLookupStatus.NoAddress"/> without an address,
    /// <see cref="LocationLookupStatus.Unavailable"/> without a provider or when it throws.
    /// </returns>
    /// <remarks>Security: a failing provider never blocks sign-in and never yields a place; the failure shows as an unknown location.</remarks>
    public LocationLookupResult Locate(IPAddress? address)
    {
        if (address is null)
        {
            return LocationLookupResult.NoAddress;
        }

        if (_provider is null)
        {
            return LocationLookupResult.Unavailable;
        }

        try
        {
            return _provider.Lookup(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) ?? LocationLookupResult.Unavailable;
        }
#pragma warning disable CA1031 // Any provider failure, whatever its type, must only make the place unknown.
        catch (Exception)
#pragma warning restore CA1031
        {
            return LocationLookupResult.Unavailable;
        }
    }

    /// <summary>
    /// Looks up the client address, then evaluates the sign-in against the remembered devices and the place each was
    /// last seen at (<see cref="KnownDevice.LastLocation"/>).
    /// </summary>
    /// <param name="device">The new sign-in's device fingerprint.</param>
    /// <param name="address">The client address, or <see langword="null"/>.</param>
    /// <param name="at">When the sign-in happens.</param>
    /// <param name="knownDevices">The devices remembered for the user.</param>
    /// <returns>The assessment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> or <paramref name="knownDevices"/> is <see langword="null"/>.</exception>
    public SignInRiskAssessment Assess(DeviceFingerprint device, IPAddress? address, DateTimeOffset at, IReadOnlyList<KnownDevice> knownDevices) =>
        Assess(device, address, at, knownDevices, s_lastLocation);

    /// <summary>
    /// Evaluates a sign-in against the remembered devices and the place each was last seen at
    /// (<see cref="KnownDevice.LastLocation"/>, at <see cref="KnownDevice.LastLocatedAt"/>). Pure and deterministic.
    /// </summary>
    /// <param name="device">The new sign-in's device fingerprint.</param>
    /// <param name="location">Where the new sign-in comes from, as looked up (<see cref="Locate"/>).</param>
    /// <param name="at">When the sign-in happens.</param>
    /// <param name="knownDevices">The devices remembered for the user, in any order.</param>
    /// <returns>The reasons, the action they map to and the coarse places involved.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SignInRiskAssessment Evaluate(DeviceFingerprint device, LocationLookupResult location, DateTimeOffset at, IReadOnlyList<KnownDevice> knownDevices) =>
        Evaluate(device, location, at, knownDevices, s_lastLocation);

    /// <summary>Looks up the client address, then evaluates the sign-in (<see cref="Locate"/>, then the evaluation).</summary>
    /// <param name="device">The new sign-in's device fingerprint.</param>
    /// <param name="address">The client address, or <see langword="null"/>.</param>
    /// <param name="at">When the sign-in happens.</param>
    /// <param name="knownDevices">The devices remembered for the user.</param>
    /// <param name="lastLocationOf">Gives the coarse place a remembered device was last seen at, or <see langword="null"/> when unknown.</param>
    /// <returns>The assessment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/>, <paramref name="knownDevices"/> or <paramref name="lastLocationOf"/> is <see langword="null"/>.</exception>
    public SignInRiskAssessment Assess(
        DeviceFingerprint device, IPAddress? address, DateTimeOffset at, IReadOnlyList<KnownDevice> knownDevices, Func<KnownDevice, CoarseLocation?> lastLocationOf)
    {
        Throw.IfNull(device);
        return Evaluate(device, Locate(address), at, knownDevices, lastLocationOf);
    }

    /// <summary>Evaluates a sign-in against what is remembered of the user. Pure and deterministic.</summary>
    /// <param name="device">The new sign-in's device fingerprint.</param>
    /// <param name="location">Where the new sign-in comes from, as looked up (<see cref="Locate"/>).</param>
    /// <param name="at">When the sign-in happens.</param>
    /// <param name="knownDevices">The devices remembered for the user, in any order.</param>
    /// <param name="lastLocationOf">Gives the coarse place a remembered device was last seen at, or <see langword="null"/> when unknown.</param>
    /// <returns>The reasons, the action they map to and the coarse places involved.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>
    /// A remembered device whose last activity is later than <paramref name="at"/> (clocks of several nodes disagree)
    /// counts as seen just now: any distance beyond both accuracy radii is then impossible travel. The time since a device
    /// was at its place is measured from <see cref="KnownDevice.LastLocatedAt"/> when set, else from
    /// <see cref="KnownDevice.LastSeenAt"/>.
    /// </remarks>
    public SignInRiskAssessment Evaluate(
        DeviceFingerprint device, LocationLookupResult location, DateTimeOffset at, IReadOnlyList<KnownDevice> knownDevices, Func<KnownDevice, CoarseLocation?> lastLocationOf)
    {
        Throw.IfNull(device);
        Throw.IfNull(location);
        Throw.IfNull(knownDevices);
        Throw.IfNull(lastLocationOf);

        CoarseLocation? here = location.TryGetValue(out GeoLocation? found) ? CoarseLocation.FromLocation(found) : null;
        SignInRiskReason reasons = here?.CountryCode is null ? SignInRiskReason.LocationUnknown : SignInRiskReason.None;
        if (knownDevices.Count == 0)
        {
            return Build(reasons | SignInRiskReason.FirstSignIn, here, location.Status, null);
        }

        bool deviceSeen = false, anyCountry = false, countrySeen = false, anyAsn = false, asnSeen = false;
        Journey worst = default;
        for (int i = 0; i < knownDevices.Count; i++)
        {
            KnownDevice known = Throw.IfNull(knownDevices[i], nameof(knownDevices));
            deviceSeen |= IsSameDevice(device, known);
            if (lastLocationOf(known) is not CoarseLocation before)
            {
                continue;
            }

            if (before.CountryCode is not null)
            {
                anyCountry = true;
                countrySeen |= string.Equals(before.CountryCode, here?.CountryCode, StringComparison.Ordinal);
            }

            if (before.AutonomousSystemNumber is not null)
            {
                anyAsn = true;
                asnSeen |= before.AutonomousSystemNumber == here?.AutonomousSystemNumber;
            }

            if (here is not null && Travel(here, before, known, at) is { IsImpossible: true } journey && journey.IsWorseThan(worst))
            {
                worst = journey;
            }
        }

        reasons |= deviceSeen ? SignInRiskReason.None : SignInRiskReason.NewDevice;
        reasons |= here?.CountryCode is not null && anyCountry && !countrySeen ? SignInRiskReason.NewCountry : SignInRiskReason.None;
        reasons |= here?.AutonomousSystemNumber is not null && anyAsn && !asnSeen ? SignInRiskReason.NewAutonomousSystem : SignInRiskReason.None;
        TravelEvidence? evidence = null;
        if (worst.IsImpossible)
        {
            reasons |= SignInRiskReason.ImpossibleTravel;
            evidence = new TravelEvidence(worst.From!, worst.LastSeenAt, worst.DistanceKm, worst.NetDistanceKm, worst.Elapsed);
        }

        return Build(reasons, here, location.Status, evidence);
    }

    // A device-id cookie identifies a browser profile, so with one the device is known when some remembered device has
    // the same cookie and user-agent family, whatever network it used. Without one, only the full fingerprint (family
    // and coarse network) can recognise it.
    private static bool IsSameDevice(DeviceFingerprint device, KnownDevice known) =>
        device.DeviceIdHash is not null
            ? string.Equals(known.DeviceIdHash, device.DeviceIdHash, StringComparison.Ordinal)
                && string.Equals(known.UserAgentFamily, device.UserAgentFamily, StringComparison.Ordinal)
            : string.Equals(known.Key, device.Key, StringComparison.Ordinal);

    private SignInRiskAssessment Build(SignInRiskReason reasons, CoarseLocation? here, LocationLookupStatus status, TravelEvidence? evidence) =>
        new(reasons, _settings.ActionFor(reasons), here, status, evidence);

    private Journey Travel(CoarseLocation here, CoarseLocation before, KnownDevice known, DateTimeOffset at)
    {
        if (here.Latitude is not double lat1 || here.Longitude is not double lon1
            || before.Latitude is not double lat2 || before.Longitude is not double lon2)
        {
            return default;
        }

        double distance = GreatCircle.DistanceKm(lat1, lon1, lat2, lon2);
        double net = Math.Max(0, distance - Radius(here) - Radius(before));
        DateTimeOffset locatedAt = known.LocatedAt;
        TimeSpan elapsed = at > locatedAt ? at - locatedAt : TimeSpan.Zero;

        // Compared as a product, so a zero elapsed time needs no division and no infinity.
        bool impossible = net > _settings.MaxTravelSpeedKmh * elapsed.TotalHours;
        return new Journey(impossible, before, known.Key, locatedAt, distance, net, elapsed);
    }

    private double Radius(CoarseLocation place) =>
        place.AccuracyRadiusKm ?? (_settings.UnknownAccuracyRadiusKm + CoarseLocation.RoundingAllowanceKm);

    private readonly record struct Journey(
        bool IsImpossible, CoarseLocation? From, string Key, DateTimeOffset LastSeenAt, double DistanceKm, double NetDistanceKm, TimeSpan Elapsed)
    {
        private double Speed => Elapsed > TimeSpan.Zero ? NetDistanceKm / Elapsed.TotalHours : double.PositiveInfinity;

        // A total order over everything that can differ, so the chosen journey does not depend on the devices' order.
        public bool IsWorseThan(Journey other)
        {
            if (!other.IsImpossible)
            {
                return true;
            }

            int order = Speed.CompareTo(other.Speed);
            order = order != 0 ? order : NetDistanceKm.CompareTo(other.NetDistanceKm);
            order = order != 0 ? order : LastSeenAt.CompareTo(other.LastSeenAt);
            order = order != 0 ? order : string.CompareOrdinal(other.Key, Key);
            order = order != 0 ? order : Compare(From!, other.From!);
            return order > 0;
        }

        private static int Compare(CoarseLocation a, CoarseLocation b)
        {
            int order = Nullable.Compare(a.Latitude, b.Latitude);
            order = order != 0 ? order : Nullable.Compare(a.Longitude, b.Longitude);
            order = order != 0 ? order : Nullable.Compare(b.AccuracyRadiusKm, a.AccuracyRadiusKm);
            order = order != 0 ? order : string.CompareOrdinal(a.CountryCode, b.CountryCode);
            order = order != 0 ? order : string.CompareOrdinal(a.City, b.City);
            return order != 0 ? order : Nullable.Compare(a.AutonomousSystemNumber, b.AutonomousSystemNumber);
        }
    }
}
