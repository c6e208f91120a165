using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SessionCore.Devices;

/// <summary>
/// Reduces a client address to a coarse network: IPv4 /24 (<c>203.0.113.0/24</c>) and IPv6 /48
/// (<c>2001:db8:1::/48</c>). IPv4-mapped IPv6 addresses (<c>::ffff:203.0.113.7</c>) count as IPv4.
/// </summary>
/// <remarks>Security (privacy): only the prefix is ever stored; the full address is dropped.</remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class NetworkPrefix
{
    /// <summary>The longest address text that is parsed; longer text is treated as unknown.</summary>
    public const int MaxAddressTextLength = 64;

    /// <summary>Gets the coarse network of an address.</summary>
    /// <param name="address">The address, or <see langword="null"/>.</param>
    /// <returns>The network in CIDR notation, or <see langword="null"/> for a missing address or an unsupported family.</returns>
    public static string? FromAddress(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && written == 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24");
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && written == 16)
        {
            bytes[6..].Clear();
            return new IPAddress(bytes).ToString() + "/48";
        }

        return null;
    }

    /// <summary>Gets the coarse network of an address given as text. Never throws.</summary>
    /// <param name="address">The address text (IPv4, IPv6, optionally bracketed), or <see langword="null"/>.</param>
    /// <returns>The network in CIDR notation, or <see langword="null"/> when the text is not an address.</returns>
    public static string? FromString(string? address) => FromAddress(TryParseAddress(address));

    internal static IPAddress? TryParseAddress(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxAddressTextLength)
        {
            return null;
        }

        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        return IPAddress.TryParse(trimmed, out IPAddress? parsed) ? parsed : null;
    }
}
