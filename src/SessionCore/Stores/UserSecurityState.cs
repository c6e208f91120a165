using System;
using System.Collections.Generic;
using System.Linq;

namespace SessionCore.Stores;

/// <summary>Per-user security state: the epoch that invalidation bumps, and the devices seen before.</summary>
/// <param name="UserId">The user.</param>
/// <param name="SecurityEpoch">Starts at 0 and grows by one with every invalidation.</param>
/// <param name="KnownDevices">The devices seen before, most recent last.</param>
public sealed record UserSecurityState(string UserId, long SecurityEpoch, IReadOnlyList<KnownDevice> KnownDevices)
{
    /// <summary>
    /// The state after <see cref="ISessionStore.RememberDeviceAsync"/>, as every store must write it: a
    /// device with the same <see cref="KnownDevice.Key"/> gets the new last-seen time (and the new
    /// <see cref="KnownDevice.LastLocation"/> with its time, when the new sighting has one; otherwise the last known place
    /// stays), an unknown one is added, and only the <paramref name="maxDevices"/> most recently seen are kept, least
    /// recent first.
    /// </summary>
    /// <param name="device">The device seen now.</param>
    /// <param name="maxDevices">How many devices to keep (at least 1).</param>
    /// <param name="isNew">Set to <see langword="true"/> when the device was not known.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDevices"/> is less than 1.</exception>
    public UserSecurityState WithDevice(KnownDevice device, int maxDevices, out bool isNew)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        List<KnownDevice> devices = [.. KnownDevices];
        int index = devices.FindIndex(d => string.Equals(d.Key, device.Key, StringComparison.Ordinal));
        isNew = index < 0;
        if (isNew)
        {
            devices.Add(device);
        }
        else
        {
            KnownDevice known = devices[index] with { LastSeenAt = device.LastSeenAt };
            devices[index] = device.LastLocation is null
                ? known
                : known with { LastLocation = device.LastLocation, LastLocatedAt = device.LastLocatedAt ?? device.LastSeenAt };
        }

        // A stable sort: devices seen at the same instant keep their order.
        devices = [.. devices.OrderBy(d => d.LastSeenAt)];
        if (devices.Count > maxDevices)
        {
            devices.RemoveRange(0, devices.Count - maxDevices);
        }

        return this with { KnownDevices = devices };
    }
}
