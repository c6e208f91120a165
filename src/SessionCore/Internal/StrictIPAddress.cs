using System;
using System.Net;
using System.Net.Sockets;

namespace SessionCore.Internal;

/// <summary>
/// Parses an IP address in its canonical text forms only. <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>
/// also accepts the historic shorthand of <c>inet_aton</c> (<c>"10.1"</c> is 10.0.0.1, <c>"0x7f.1"</c> is 127.0.0.1,
/// <c>"010.0.0.1"</c> may be octal), scope ids and surrounding junk; none of that belongs in a header or a proxy list.
/// </summary>
internal static class StrictIPAddress
{
    /// <summary>The longest IPv6 text accepted (<c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255</c>).</summary>
    public const int MaxLength = 45;

    /// <summary>Parses dotted-quad IPv4 (no leading zeros) or RFC 4291 IPv6 text without a zone.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.Length > MaxLength)
        {
            return false;
        }

        if (text.Contains(':'))
        {
            return TryParseIPv6(text, out address);
        }

        Span<byte> bytes = stackalloc byte[4];
        if (!TryParseIPv4(text, bytes))
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Maps an IPv4-mapped IPv6 address to IPv4, so both forms of one address compare equal.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        // An embedded IPv4 part (::ffff:192.0.2.1) must itself be a canonical dotted quad.
        int lastColon = text.LastIndexOf(':');
        ReadOnlySpan<char> tail = text[(lastColon + 1)..];
        if (tail.Contains('.') && (text[..lastColon].Contains('.') || !TryParseIPv4(tail, stackalloc byte[4])))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || part > 3)
                {
                    return false;
                }

                bytes[part++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }

            char c = text[i];
            if (!char.IsAsciiDigit(c) || (digits == 1 && value == 0))
            {
                // A leading zero ("010") is refused: some parsers read it as octal.
                return false;
            }

            value = (value * 10) + (c - '0');
            if (++digits > 3 || value > 255)
            {
                return false;
            }
        }

        return part == 4;
    }
}
