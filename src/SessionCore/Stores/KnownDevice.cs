using System;
using SessionCore.Devices;
using SessionCore.Risk;

namespace SessionCore.Stores;

/// <summary>A device a user has signed in from before. Holds no raw address and no secret.</summary>
/// <param name="Key">A stable fingerprint of the other fields, unique per user.</param>
/// <param name="DeviceIdHash">A hash of the device-id cookie, or <see langword="null"/>.</param>
/// <param name="UserAgentFamily">The user-agent family (for example "Firefox on Linux"), or <see langword="null"/>.</param>
/// <param name="Network">The coarse network (IPv4 /24, IPv6 /48), or <see langword="null"/>.</param>
/// <param name="FirstSeenAt">When it was first seen.</param>
/// <param name="LastSeenAt">When it was last seen.</param>
public sealed record KnownDevice(
    string Key,
    string? DeviceIdHash,
    string? UserAgentFamily,
    string? Network,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt)
{
    /// <summary>
    /// Gets the coarse place the device was last seen at (country, city, coordinates rounded to a tenth of a degree with
    /// their accuracy radius, autonomous system), or <see langword="null"/> when no sighting had a known place.
    /// </summary>
    /// <remarks>
    /// Security (privacy): only the coarse form is stored, never the address it was looked up for; it is kept as long as
    /// the device is (until <see cref="Sessions.SessionOptions.MaxKnownDevicesPerUser"/> more recently seen devices push it
    /// out). A sighting with an unknown place leaves the last known one in place, with its own time
    /// (<see cref="LastLocatedAt"/>).
    /// </remarks>
    public CoarseLocation? LastLocation { get; init; }

    /// <summary>
    /// Gets when the device was seen at <see cref="LastLocation"/>, or <see langword="null"/> when there is no place.
    /// A store that has a place but no time reads it as <see cref="LastSeenAt"/>.
    /// </summary>
    public DateTimeOffset? LastLocatedAt { get; init; }

    /// <summary>Gets when the device was at <see cref="LastLocation"/>: <see cref="LastLocatedAt"/>, else <see cref="LastSeenAt"/>.</summary>
    internal DateTimeOffset LocatedAt => LastLocatedAt ?? LastSeenAt;
}
