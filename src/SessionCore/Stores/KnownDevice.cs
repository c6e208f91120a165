using System;
using SessionCore.Devices;

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
    DateTimeOffset LastSeenAt);
