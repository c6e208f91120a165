namespace SessionCore.Http;

/// <summary>The request header through which the trusted proxies pass on the client address.</summary>
/// <remarks>
/// Security: read only the header your proxies write (and overwrite or append to). The other one reaches the
/// application exactly as the client sent it, so reading it would let any client choose its own address.
/// </remarks>
public enum ForwardingHeader
{
    /// <summary><c>X-Forwarded-For</c>: a comma-separated list of addresses, each proxy appending its peer's (nginx, HAProxy, most load balancers).</summary>
    XForwardedFor = 0,

    /// <summary><c>Forwarded</c> (RFC 7239): comma-separated elements whose <c>for=</c> parameter names each proxy's peer.</summary>
    Forwarded = 1,
}
