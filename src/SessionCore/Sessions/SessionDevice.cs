namespace SessionCore.Sessions;

/// <summary>What a host knows about the client of a session. None of it is secret.</summary>
/// <param name="UserAgent">The user agent, trimmed by the host to a sensible length, or <see langword="null"/>.</param>
/// <param name="Network">A coarse network (IPv4 /24 or IPv6 /48), never a full address, or <see langword="null"/>.</param>
/// <param name="DeviceId">A hash of the long-lived device-id cookie, or <see langword="null"/>.</param>
public sealed record SessionDevice(string? UserAgent, string? Network, string? DeviceId);
