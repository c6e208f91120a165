using System.Collections.Generic;

namespace SessionCore.Http;

/// <summary>
/// Settings of <see cref="ClientAddressResolver"/>: which proxies are trusted to report the client address, and through
/// which header. Validated once, when the resolver is created, and copied.
/// </summary>
/// <threadsafety>Not thread-safe; configure before creating the resolver.</threadsafety>
public sealed class ClientAddressOptions
{
    /// <summary>The most hops <see cref="MaxHops"/> may be set to.</summary>
    public const int MaxHopsLimit = 64;

    /// <summary>The longest <see cref="MaxHeaderLength"/> may be set to.</summary>
    public const int MaxHeaderLengthLimit = 65_536;

    /// <summary>
    /// Gets the proxies whose forwarding header is believed: IPv4 or IPv6 addresses (<c>10.0.0.5</c>, <c>2001:db8::5</c>)
    /// or CIDR ranges (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>, no host bits set).
    /// </summary>
    /// <value>Empty: no proxy is trusted, every forwarding header is ignored and the connection address is the client's.</value>
    /// <remarks>
    /// Security: list exactly the proxies in front of the application, and make sure clients cannot reach it except
    /// through them. A trusted proxy must append its peer's address to the header (not pass on a client's header
    /// unchanged). Listing a range that clients share (a cloud provider's whole network) lets those clients choose
    /// their address.
    /// </remarks>
    public IList<string> TrustedProxies { get; } = new List<string>();

    /// <summary>Gets or sets the header the trusted proxies write.</summary>
    /// <value><see cref="ForwardingHeader.XForwardedFor"/>. The other header is never read.</value>
    public ForwardingHeader Header { get; set; } = ForwardingHeader.XForwardedFor;

    /// <summary>Gets or sets the most hops read from the right of the header (the trusted proxies plus the client).</summary>
    /// <value>16; between 1 and <see cref="MaxHopsLimit"/>.</value>
    public int MaxHops { get; set; } = 16;

    /// <summary>
    /// Gets or sets how many characters at the right end of the header are examined. The proxies append on the right,
    /// so a client that sends a long header only pads the part that is never read.
    /// </summary>
    /// <value>4,096; between 256 and <see cref="MaxHeaderLengthLimit"/>.</value>
    public int MaxHeaderLength { get; set; } = 4_096;
}
