using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Stores;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    /// <summary>
    /// Mints a new device-id cookie value: <c>scd_</c> followed by 32 random bytes in base64url. Send it
    /// once in a long-lived cookie (for example <c>__Host-device</c>, a year) when the client has none, and
    /// pass it back through <see cref="ClientInfo"/> at every sign-in.
    /// </summary>
    /// <returns>The cookie value.</returns>
    /// <remarks>
    /// Security: the value only recognises a browser; it authenticates nothing. Only its SHA-256 hash is
    /// stored (<see cref="DeviceFingerprint.DeviceIdHash"/>).
    /// </remarks>
    public string MintDeviceId() => _tokens.NewSecret(DeviceFingerprint.DeviceIdPrefix);

    private static DeviceChange Compare(DeviceFingerprint fingerprint, IReadOnlyList<KnownDevice> known)
    {
        if (known.Count == 0)
        {
            return DeviceChange.FirstDevice | DeviceChange.NewDeviceId | DeviceChange.NewUserAgentFamily | DeviceChange.NewNetwork;
        }

        bool deviceIdSeen = false, familySeen = false, networkSeen = false;
        foreach (KnownDevice device in known)
        {
            deviceIdSeen |= fingerprint.DeviceIdHash is not null && string.Equals(device.DeviceIdHash, fingerprint.DeviceIdHash, StringComparison.Ordinal);
            familySeen |= string.Equals(device.UserAgentFamily, fingerprint.UserAgentFamily, StringComparison.Ordinal);
            networkSeen |= fingerprint.Network is not null && string.Equals(device.Network, fingerprint.Network, StringComparison.Ordinal);
        }

        DeviceChange changes = DeviceChange.None;
        changes |= deviceIdSeen ? DeviceChange.None : DeviceChange.NewDeviceId;
        changes |= familySeen ? DeviceChange.None : DeviceChange.NewUserAgentFamily;
        changes |= networkSeen ? DeviceChange.None : DeviceChange.NewNetwork;
        return changes;
    }
}
