using System;

namespace SessionCore.Devices;

/// <summary>What was not seen before when a user signed in from a device fingerprint unknown for that user.</summary>
/// <remarks>
/// Each part is compared with every device remembered for the user, so <see cref="NewNetwork"/> means
/// "no remembered device used this network", not "the last device used another one".
/// </remarks>
[Flags]
public enum DeviceChange
{
    /// <summary>Nothing is new (a known device), or the sign-in carried no client information.</summary>
    None = 0,

    /// <summary>The device-id cookie was absent or not seen before for this user.</summary>
    NewDeviceId = 1,

    /// <summary>The user-agent family (browser and operating system) was not seen before for this user.</summary>
    NewUserAgentFamily = 2,

    /// <summary>The coarse network (IPv4 /24, IPv6 /48) was not seen before for this user.</summary>
    NewNetwork = 4,

    /// <summary>The user had no remembered device at all: this is their first recorded sign-in.</summary>
    FirstDevice = 8,
}
