using System;
using SessionCore.Devices;
using SessionCore.Tokens;

namespace SessionCore.Diagnostics;

/// <summary>
/// A user signed in from a device fingerprint not remembered for them. The host decides whether to
/// alert (for example by e-mail); a user's very first sign-in carries <see cref="DeviceChange.FirstDevice"/>
/// and is usually not worth an alert.
/// </summary>
/// <remarks>Security: carries the user-agent family and the coarse network only, never an address or the device-id cookie.</remarks>
public sealed record NewDeviceSignIn : SessionEvent
{
    internal NewDeviceSignIn(string userId, SessionId sessionId, DateTimeOffset occurredAt, DeviceChange changes, string userAgentFamily, string? network)
        : base(userId, sessionId, occurredAt)
    {
        Changes = changes;
        UserAgentFamily = userAgentFamily;
        Network = network;
    }

    /// <summary>Gets what was not seen before for this user.</summary>
    public DeviceChange Changes { get; }

    /// <summary>Gets a value indicating whether this is the user's first remembered device.</summary>
    public bool IsFirstDevice => (Changes & DeviceChange.FirstDevice) != 0;

    /// <summary>Gets the user-agent family of the new device, for example <c>"Firefox on Linux"</c>.</summary>
    public string UserAgentFamily { get; }

    /// <summary>Gets the coarse network of the new device, or <see langword="null"/>.</summary>
    public string? Network { get; }
}
