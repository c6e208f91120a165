using System.Net;
using SessionCore.Sessions;

namespace SessionCore.Devices;

/// <summary>
/// What the host passes about the client at sign-in, raw: the user agent, the remote address and the
/// value of the long-lived device-id cookie. The library derives the stored <see cref="SessionDevice"/>
/// from it and keeps none of the raw values.
/// </summary>
/// <remarks>
/// Security: the raw address is reduced to its coarse network (IPv4 /24, IPv6 /48) and the device-id
/// cookie value to a SHA-256 hash before anything is stored or raised in an event. <see cref="ToString"/>
/// shows neither the address nor the cookie value.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ClientInfo
{
    /// <summary>Initializes a new instance of the <see cref="ClientInfo"/> class.</summary>
    /// <param name="userAgent">The <c>User-Agent</c> request header, or <see langword="null"/>. Any length and content is accepted; only a bounded prefix is read.</param>
    /// <param name="address">The client address as the host determined it, or <see langword="null"/>.</param>
    /// <param name="deviceIdCookie">The device-id cookie value the client sent (see <see cref="SessionManager.MintDeviceId"/>), or <see langword="null"/>. A value that is not a well-formed device id is ignored.</param>
    public ClientInfo(string? userAgent, IPAddress? address, string? deviceIdCookie)
    {
        UserAgent = userAgent;
        Address = address;
        DeviceIdCookie = deviceIdCookie;
    }

    /// <summary>Initializes a new instance of the <see cref="ClientInfo"/> class from a textual address.</summary>
    /// <param name="userAgent">The <c>User-Agent</c> request header, or <see langword="null"/>.</param>
    /// <param name="address">The client address as text (for example from a trusted proxy header); unparsable text is treated as unknown, never thrown on.</param>
    /// <param name="deviceIdCookie">The device-id cookie value the client sent, or <see langword="null"/>.</param>
    public ClientInfo(string? userAgent, string? address, string? deviceIdCookie)
        : this(userAgent, NetworkPrefix.TryParseAddress(address), deviceIdCookie)
    {
    }

    /// <summary>Gets the raw user agent, or <see langword="null"/>.</summary>
    public string? UserAgent { get; }

    /// <summary>Gets the client address, or <see langword="null"/>.</summary>
    public IPAddress? Address { get; }

    /// <summary>Gets the device-id cookie value, or <see langword="null"/>.</summary>
    public string? DeviceIdCookie { get; }

    /// <summary>Returns a description without the address or the cookie value.</summary>
    /// <returns>The user-agent family.</returns>
    public override string ToString() => UserAgentFamily.Parse(UserAgent);
}
