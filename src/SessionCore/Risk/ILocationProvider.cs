using System.Net;

namespace SessionCore.Risk;

/// <summary>
/// Tells where a client address is. The host plugs one in (for example the MaxMind adapter,
/// <c>SessionCore.Location.MaxMind</c>); the core has no geolocation data of its own.
/// </summary>
/// <remarks>
/// <para>
/// Implementations are called at every sign-in, so they answer from local data in microseconds and must be safe to
/// call from many threads at once. A provider that would need the network should answer from a cache and refresh
/// it in the background.
/// </para>
/// <para>
/// Security: a lookup failure must never block sign-in nor invent a place. Return
/// <see cref="LocationLookupResult.Unavailable"/> for any failure, and leave unknown fields <see langword="null"/>.
/// The core also catches any exception a provider throws and treats it as <see cref="LocationLookupStatus.Unavailable"/>.
/// </para>
/// </remarks>
public interface ILocationProvider
{
    /// <summary>Looks up an address.</summary>
    /// <param name="address">The client address (IPv4, IPv6 or IPv4-mapped IPv6).</param>
    /// <returns>What is known of the address, or why nothing is.</returns>
    LocationLookupResult Lookup(IPAddress address);
}
