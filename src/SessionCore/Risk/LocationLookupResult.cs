using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;

namespace SessionCore.Risk;

/// <summary>The typed outcome of a location lookup: a <see cref="GeoLocation"/>, or why there is none.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class LocationLookupResult
{
    private static readonly LocationLookupResult s_noAddress = new(LocationLookupStatus.NoAddress, null);
    private static readonly LocationLookupResult s_notFound = new(LocationLookupStatus.NotFound, null);
    private static readonly LocationLookupResult s_unavailable = new(LocationLookupStatus.Unavailable, null);

    private readonly GeoLocation? _value;

    private LocationLookupResult(LocationLookupStatus status, GeoLocation? value)
    {
        Status = status;
        _value = value;
    }

    /// <summary>Gets the result for a sign-in without a usable client address.</summary>
    public static LocationLookupResult NoAddress => s_noAddress;

    /// <summary>Gets the result for an address the provider has no data for.</summary>
    public static LocationLookupResult NotFound => s_notFound;

    /// <summary>Gets the result for a provider that failed or is not configured.</summary>
    public static LocationLookupResult Unavailable => s_unavailable;

    /// <summary>Gets the outcome.</summary>
    public LocationLookupStatus Status { get; }

    /// <summary>Gets a value indicating whether the provider knew something of the address.</summary>
    public bool IsSuccess => _value is not null;

    /// <summary>Gets what the provider knows of the address.</summary>
    /// <exception cref="InvalidOperationException">The lookup found nothing.</exception>
    public GeoLocation Value => _value ?? Throw.InvalidOperation<GeoLocation>(Error.FailedResultHasNoValue);

    /// <summary>Creates the result for an address the provider knows something of.</summary>
    /// <param name="location">What is known.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is <see langword="null"/>.</exception>
    public static LocationLookupResult Found(GeoLocation location) => new(LocationLookupStatus.Found, Throw.IfNull(location));

    /// <summary>Gets the location when one was found.</summary>
    /// <param name="location">The location.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetValue([NotNullWhen(true)] out GeoLocation? location)
    {
        location = _value;
        return location is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
