using System.Collections.Generic;

namespace SessionCore.Stores;

/// <summary>Per-user security state: the epoch that invalidation bumps, and the devices seen before.</summary>
/// <param name="UserId">The user.</param>
/// <param name="SecurityEpoch">Starts at 0 and grows by one with every invalidation.</param>
/// <param name="KnownDevices">The devices seen before, most recent last.</param>
public sealed record UserSecurityState(string UserId, long SecurityEpoch, IReadOnlyList<KnownDevice> KnownDevices);
