using System;
using System.Net;
using SessionCore.Internal;

namespace SessionCore.Http;

/// <summary>Reads the hops of <c>X-Forwarded-For</c> and <c>Forwarded</c> from the right, one at a time. Never throws.</summary>
/// <remarks>
/// The right end of the header is what the trusted proxies wrote, the left end what the client sent; so the scan
/// starts at the right and stops at the first hop that is not a trusted proxy, and nothing the client wrote further
/// left is ever parsed. Each character is visited a bounded number of times: cost is linear in the window.
/// </remarks>
internal ref struct ForwardingHop
{
    private const int MaxNodeLength = 64;

    private readonly ReadOnlySpan<char> _window;
    private readonly bool _truncated;
    private readonly bool _rfc7239;
    private int _end;

    public ForwardingHop(string header, int maxLength, bool rfc7239)
    {
        _truncated = header.Length > maxLength;
        _window = _truncated ? header.AsSpan(header.Length - maxLength) : header.AsSpan();
        _rfc7239 = rfc7239;
        _end = _window.Length;
    }

    public enum Kind
    {
        None,
        Address,
        Malformed,
        Obfuscated,
        Truncated,
    }

    /// <summary>Reads the next hop to the left.</summary>
    public Kind Next(out IPAddress? address)
    {
        address = null;
        while (_end > 0)
        {
            int start = _rfc7239 ? ElementStart(_window[.._end]) : _window[.._end].LastIndexOf(',') + 1;
            if (start < 0)
            {
                // An opening quote lies beyond the left edge (cut by the window) or is missing.
                _end = 0;
                return _truncated ? Kind.Truncated : Kind.Malformed;
            }

            ReadOnlySpan<char> element = Trim(_window[start.._end]);
            bool touchesEdge = start == 0;
            _end = Math.Max(start - 1, 0);
            if (touchesEdge && _truncated)
            {
                return Kind.Truncated;
            }

            if (element.IsEmpty)
            {
                // RFC 9110 §5.6.1: recipients accept and ignore empty list elements.
                continue;
            }

            return _rfc7239 ? ParseElement(element, out address) : ParseNode(element, false, out address);
        }

        return _truncated ? Kind.Truncated : Kind.None;
    }

    /// <summary>Gets where the last element of <paramref name="s"/> starts (after its comma), or -1 for an unbalanced quote.</summary>
    private static int ElementStart(ReadOnlySpan<char> s)
    {
        for (int j = s.Length - 1; j >= 0; j--)
        {
            char c = s[j];
            if (c == ',')
            {
                return j + 1;
            }

            if (c == '"')
            {
                // The closing quote of a quoted-string: find its opening quote, one not preceded by an odd number of
                // backslashes. Each backslash run precedes one quote only, so the whole scan stays linear.
                int k = j - 1;
                while (k >= 0 && !(s[k] == '"' && !IsEscaped(s, k)))
                {
                    k--;
                }

                if (k < 0)
                {
                    return -1;
                }

                j = k;
            }
        }

        return 0;
    }

    private static bool IsEscaped(ReadOnlySpan<char> s, int quote)
    {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && s[i] == '\\'; i--)
        {
            backslashes++;
        }

        return (backslashes & 1) == 1;
    }

    /// <summary>Parses one RFC 7239 forwarded-element and returns its <c>for=</c> node.</summary>
    private static Kind ParseElement(ReadOnlySpan<char> element, out IPAddress? address)
    {
        address = null;
        Span<char> node = stackalloc char[MaxNodeLength];
        int nodeLength = -1;
        int i = 0;
        while (true)
        {
            i = SkipWhiteSpace(element, i);
            if (i == element.Length)
            {
                break;
            }

            int nameStart = i;
            while (i < element.Length && HttpGrammar.IsTokenChar(element[i]))
            {
                i++;
            }

            ReadOnlySpan<char> name = element[nameStart..i];
            if (name.IsEmpty || i == element.Length || element[i] != '=')
            {
                return Kind.Malformed;
            }

            i++;
            bool isFor = name.Equals("for", StringComparison.OrdinalIgnoreCase);
            if (isFor && nodeLength >= 0)
            {
                // RFC 7239 §4: a parameter occurs at most once per element.
                return Kind.Malformed;
            }

            int length = 0;
            if (i < element.Length && element[i] == '"')
            {
                i++;
                bool closed = false;
                while (i < element.Length)
                {
                    char c = element[i++];
                    if (c == '"')
                    {
                        closed = true;
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i == element.Length)
                        {
                            return Kind.Malformed;
                        }

                        c = element[i++];
                    }

                    if (char.IsControl(c) && c != '\t')
                    {
                        return Kind.Malformed;
                    }

                    if (isFor)
                    {
                        if (length == MaxNodeLength)
                        {
                            return Kind.Malformed;
                        }

                        node[length] = c;
                    }

                    length++;
                }

                if (!closed)
                {
                    return Kind.Malformed;
                }
            }
            else
            {
                int valueStart = i;
                while (i < element.Length && HttpGrammar.IsTokenChar(element[i]))
                {
                    i++;
                }

                length = i - valueStart;
                if (length == 0)
                {
                    return Kind.Malformed;
                }

                if (isFor)
                {
                    if (length > MaxNodeLength)
                    {
                        return Kind.Malformed;
                    }

                    element.Slice(valueStart, length).CopyTo(node);
                }
            }

            if (isFor)
            {
                nodeLength = length;
            }

            i = SkipWhiteSpace(element, i);
            if (i < element.Length)
            {
                if (element[i] != ';')
                {
                    return Kind.Malformed;
                }

                i++;
            }
        }

        return nodeLength < 0 ? Kind.Malformed : ParseNode(node[..nodeLength], true, out address);
    }

    /// <summary>Parses a node: an address with an optional port, <c>unknown</c> or an obfuscated identifier.</summary>
    private static Kind ParseNode(ReadOnlySpan<char> node, bool rfc7239, out IPAddress? address)
    {
        address = null;
        if (node.Equals("unknown", StringComparison.OrdinalIgnoreCase))
        {
            return Kind.Obfuscated;
        }

        if (node.Length > 0 && node[0] == '_')
        {
            return IsObfuscatedIdentifier(node) ? Kind.Obfuscated : Kind.Malformed;
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        bool hasPort = false;
        if (node.Length > 0 && node[0] == '[')
        {
            int close = node.IndexOf(']');
            if (close < 0)
            {
                return Kind.Malformed;
            }

            host = node[1..close];
            if (!host.Contains(':'))
            {
                return Kind.Malformed;
            }

            ReadOnlySpan<char> rest = node[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    return Kind.Malformed;
                }

                port = rest[1..];
                hasPort = true;
            }
        }
        else
        {
            int colon = node.IndexOf(':');
            if (colon < 0)
            {
                host = node;
            }
            else if (node[(colon + 1)..].Contains(':'))
            {
                // A bare IPv6 address: X-Forwarded-For writes them so; RFC 7239 requires brackets.
                if (rfc7239)
                {
                    return Kind.Malformed;
                }

                host = node;
            }
            else
            {
                host = node[..colon];
                port = node[(colon + 1)..];
                hasPort = true;
            }
        }

        if (hasPort && !IsPort(port, rfc7239))
        {
            return Kind.Malformed;
        }

        if (!StrictIPAddress.TryParse(host, out IPAddress? parsed))
        {
            return Kind.Malformed;
        }

        address = parsed;
        return Kind.Address;
    }

    private static bool IsPort(ReadOnlySpan<char> port, bool rfc7239)
    {
        if (rfc7239 && port.Length > 0 && port[0] == '_')
        {
            return IsObfuscatedIdentifier(port);
        }

        if (port.IsEmpty || port.Length > 5)
        {
            return false;
        }

        int value = 0;
        foreach (char c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= 65_535;
    }

    // RFC 7239 §6.3: obfnode = "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ).
    private static bool IsObfuscatedIdentifier(ReadOnlySpan<char> value)
    {
        if (value.Length < 2)
        {
            return false;
        }

        foreach (char c in value[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s) => s.Trim(" \t");
}
