namespace SessionCore.Http;

/// <summary>Where the client address came from, or why it is unknown. The reason never echoes header content.</summary>
public enum ClientAddressStatus
{
    /// <summary>The connection's peer: it is not a trusted proxy (headers are then ignored), or it is one and sent no forwarding header.</summary>
    Connection = 0,

    /// <summary>
    /// The forwarding header: the rightmost hop that is not a trusted proxy, or the leftmost hop when every hop is
    /// trusted.
    /// </summary>
    Forwarded = 1,

    /// <summary>The host passed no connection address.</summary>
    NoConnectionAddress = 2,

    /// <summary>The hop that decides is not an address (bad syntax, a host name, a missing <c>for=</c>, a duplicate parameter).</summary>
    Malformed = 3,

    /// <summary>The hop that decides is hidden by a proxy (<c>unknown</c> or an RFC 7239 obfuscated identifier such as <c>_hidden</c>).</summary>
    Obfuscated = 4,

    /// <summary>More than <see cref="ClientAddressOptions.MaxHops"/> hops would have to be read.</summary>
    TooManyHops = 5,

    /// <summary>The hop that decides lies beyond the last <see cref="ClientAddressOptions.MaxHeaderLength"/> characters of the header.</summary>
    TooLong = 6,
}
