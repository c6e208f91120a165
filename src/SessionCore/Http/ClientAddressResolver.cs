using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SessionCore.Internal;

namespace SessionCore.Http;

/// <summary>
/// Finds the client address of a request: the connection's peer, or, when that peer is a trusted proxy, the
/// rightmost hop of the forwarding header that is not a trusted proxy.
/// </summary>
/// <remarks>
/// <para>
/// Security: a forwarding header is believed only when the connection comes from a configured trusted proxy, and
/// only the configured header (<see cref="ClientAddressOptions.Header"/>) is read. The header is read from the
/// right, because each proxy appends its peer's address: everything left of the first untrusted hop was written by
/// the client and is never parsed, so junk, fake trusted addresses or a huge header there change nothing. Header
/// values are never thrown on; a hop that decides the answer but is not an address yields a typed unknown
/// (<see cref="ClientAddressStatus.Malformed"/>, <see cref="ClientAddressStatus.Obfuscated"/>), never a guess such as
/// the proxy's own address.
/// </para>
/// <para>
/// Addresses are parsed strictly: dotted-quad IPv4 without leading zeros, IPv6 without a zone, an optional port;
/// host names and the <c>inet_aton</c> shorthands (<c>10.1</c>, <c>0x7f.1</c>) are malformed. Cost is linear in the
/// examined part of the header, at most <see cref="ClientAddressOptions.MaxHeaderLength"/> characters and
/// <see cref="ClientAddressOptions.MaxHops"/> hops.
/// </para>
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class ClientAddressResolver
{
    private readonly IPNetwork[] _trusted;
    private readonly ForwardingHeader _header;
    private readonly int _maxHops;
    private readonly int _maxHeaderLength;

    /// <summary>Initializes a new instance of the <see cref="ClientAddressResolver"/> class.</summary>
    /// <param name="options">The trusted proxies and the header they write. Validated and copied now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A trusted proxy entry is not an address or CIDR range, or the header is not a defined value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ClientAddressOptions.MaxHops"/> or <see cref="ClientAddressOptions.MaxHeaderLength"/> is out of bounds.</exception>
    public ClientAddressResolver(ClientAddressOptions options)
    {
        Throw.IfNull(options);
        if (!Enum.IsDefined(options.Header))
        {
            throw new ArgumentException(Error.ForwardingHeaderInvalid, nameof(options));
        }

        _maxHops = Throw.IfOutOfRange(options.MaxHops, 1, ClientAddressOptions.MaxHopsLimit, "options.MaxHops");
        _maxHeaderLength = Throw.IfOutOfRange(options.MaxHeaderLength, 256, ClientAddressOptions.MaxHeaderLengthLimit, "options.MaxHeaderLength");
        _header = options.Header;
        List<IPNetwork> trusted = new(options.TrustedProxies.Count);
        foreach (string? entry in options.TrustedProxies)
        {
            trusted.Add(ParseNetwork(entry) ?? throw new ArgumentException(Error.TrustedProxyInvalid, nameof(options)));
        }

        _trusted = [.. trusted];
    }

    /// <summary>Gets the name of the header that is read: <c>X-Forwarded-For</c> or <c>Forwarded</c>.</summary>
    public string HeaderName => _header == ForwardingHeader.Forwarded ? "Forwarded" : "X-Forwarded-For";

    /// <summary>Resolves the client address of a request. Never throws on header values.</summary>
    /// <param name="connectionAddress">The address of the connection's peer, or <see langword="null"/>.</param>
    /// <param name="forwarded">The <c>Forwarded</c> header (all its field lines joined with commas, in order), or <see langword="null"/>. Read only when configured.</param>
    /// <param name="xForwardedFor">The <c>X-Forwarded-For</c> header (all its field lines joined with commas, in order), or <see langword="null"/>. Read only when configured.</param>
    /// <returns>The client address and where it came from, or why it is unknown.</returns>
    public ClientAddressResult Resolve(IPAddress? connectionAddress, string? forwarded, string? xForwardedFor)
    {
        if (connectionAddress is null)
        {
            return ClientAddressResult.Failure(ClientAddressStatus.NoConnectionAddress);
        }

        IPAddress peer = StrictIPAddress.Normalize(connectionAddress);
        string? header = _header == ForwardingHeader.Forwarded ? forwarded : xForwardedFor;
        if (!IsTrusted(peer) || string.IsNullOrWhiteSpace(header))
        {
            return ClientAddressResult.Resolved(ClientAddressStatus.Connection, peer);
        }

        ForwardingHop hops = new(header, _maxHeaderLength, _header == ForwardingHeader.Forwarded);
        IPAddress? leftmost = null;
        for (int read = 0; ; read++)
        {
            ForwardingHop.Kind kind = hops.Next(out IPAddress? hop);
            if (kind == ForwardingHop.Kind.None)
            {
                // Every hop is a trusted proxy: the leftmost is as close to the client as anyone can tell.
                return leftmost is null
                    ? ClientAddressResult.Resolved(ClientAddressStatus.Connection, peer)
                    : ClientAddressResult.Resolved(ClientAddressStatus.Forwarded, leftmost);
            }

            if (read == _maxHops)
            {
                return ClientAddressResult.Failure(ClientAddressStatus.TooManyHops);
            }

            switch (kind)
            {
                case ForwardingHop.Kind.Malformed:
                    return ClientAddressResult.Failure(ClientAddressStatus.Malformed);
                case ForwardingHop.Kind.Obfuscated:
                    return ClientAddressResult.Failure(ClientAddressStatus.Obfuscated);
                case ForwardingHop.Kind.Truncated:
                    return ClientAddressResult.Failure(ClientAddressStatus.TooLong);
            }

            IPAddress address = StrictIPAddress.Normalize(hop!);
            if (!IsTrusted(address))
            {
                return ClientAddressResult.Resolved(ClientAddressStatus.Forwarded, address);
            }

            leftmost = address;
        }
    }

    /// <summary>Tells whether an address is one of the trusted proxies.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when it is in a trusted range.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public bool IsTrustedProxy(IPAddress address) => IsTrusted(StrictIPAddress.Normalize(Throw.IfNull(address)));

    private static IPNetwork? ParseNetwork(string? entry)
    {
        if (entry is null)
        {
            return null;
        }

        ReadOnlySpan<char> text = entry.AsSpan().Trim();
        int slash = text.IndexOf('/');
        ReadOnlySpan<char> addressText = slash < 0 ? text : text[..slash];
        if (!StrictIPAddress.TryParse(addressText, out IPAddress? address) || address!.IsIPv4MappedToIPv6)
        {
            return null;
        }

        int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = bits;
        if (slash >= 0)
        {
            ReadOnlySpan<char> prefixText = text[(slash + 1)..];
            if (prefixText.IsEmpty || prefixText.Length > 3 || (prefixText.Length > 1 && prefixText[0] == '0')
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                return null;
            }
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        for (int bit = prefix; bit < written * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                // Host bits set: "10.0.0.1/8" is more likely a typo than a wish to trust 10.0.0.0/8.
                return null;
            }
        }

        return new IPNetwork(address, prefix);
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (IPNetwork network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
