/*
 * Normalisation of the DPoP "htu" claim and of the request's target URI before they are compared.
 *
 *   RFC 9449 §4.3      htu matches the target URI "ignoring any query and fragment parts"; servers SHOULD apply
 *                      syntax-based and scheme-based normalisation (RFC 3986 §6.2.2, §6.2.3) first.
 *   RFC 3986 §6.2.2.1  Case: scheme and host to lower case, the hex digits of percent-encodings to upper case.
 *   RFC 3986 §6.2.2.2  Percent-encoding: octets of unreserved characters (ALPHA DIGIT - . _ ~) are decoded.
 *   RFC 3986 §6.2.2.3  Path segments: remove_dot_segments (§5.2.4), after the decoding above.
 *   RFC 3986 §6.2.3    Scheme-based: the default port (http 80, https 443) and an empty port are dropped, and an
 *                      empty path is "/".
 *
 * Deliberately strict (refused rather than guessed): schemes other than http and https, user information, percent
 * signs or sub-delimiters in a host, IPv6 zone identifiers and IPvFuture, ports above 65535, any character outside
 * the RFC 3986 path grammar (space, backslash, quotes, braces, non-ASCII, controls), malformed percent-encodings,
 * and URIs longer than MaxLength. Every step is one pass over the input: linear time.
 */
using System;

namespace SessionCore.Dpop;

/// <summary>Normalises an absolute http(s) URI for the <c>htu</c> comparison; refuses what it cannot normalise safely.</summary>
internal static class HttpUriNormalizer
{
    /// <summary>The longest URI read, in characters.</summary>
    public const int MaxLength = 2048;

    /// <summary>A destination size that fits the normal form of any accepted URI: an empty path becomes "/", one character more.</summary>
    public const int BufferLength = MaxLength + 1;

    /// <summary>
    /// Writes the normal form of <paramref name="uri"/> without query and fragment into <paramref name="destination"/>
    /// (at least one character longer than <paramref name="uri"/>, or <see cref="BufferLength"/>); false when the URI is
    /// not an acceptable absolute http(s) URI.
    /// </summary>
    /// <remarks>
    /// The normal form is never longer than the input plus one character: every step keeps or shrinks the text, and only
    /// an empty path grows (to "/").
    /// </remarks>
    public static bool TryNormalize(ReadOnlySpan<char> uri, Span<char> destination, out int written)
    {
        written = 0;
        if (uri.Length > MaxLength || destination.Length <= uri.Length)
        {
            return false;
        }

        int end = uri.IndexOfAny('?', '#');
        if (end >= 0)
        {
            uri = uri[..end];
        }

        // Scheme.
        int colon = uri.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> scheme = uri[..colon];
        int defaultPort = scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? 80
            : scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443
            : -1;
        if (defaultPort < 0 || !uri[colon..].StartsWith("://", StringComparison.Ordinal))
        {
            return false;
        }

        int length = 0;
        foreach (char c in scheme)
        {
            destination[length++] = char.ToLowerInvariant(c);
        }

        "://".CopyTo(destination[length..]);
        length += 3;

        // Authority: host and optional port; no user information.
        ReadOnlySpan<char> rest = uri[(colon + 3)..];
        int slash = rest.IndexOf('/');
        ReadOnlySpan<char> authority = slash < 0 ? rest : rest[..slash];
        ReadOnlySpan<char> path = slash < 0 ? [] : rest[slash..];
        if (!TryWriteAuthority(authority, defaultPort, destination, ref length))
        {
            return false;
        }

        // Path: percent-encoding normalised first, then dot segments removed (RFC 3986 §6.2.2 order).
        Span<char> decoded = destination[length..];
        if (!TryNormalizePercentEncoding(path, decoded, out int decodedLength))
        {
            return false;
        }

        if (decodedLength == 0)
        {
            destination[length++] = '/';
            written = length;
            return true;
        }

        // remove_dot_segments reads from the start of the decoded path and writes at most as many characters, never
        // ahead of the reading position, so it can run in place.
        written = length + RemoveDotSegments(decoded[..decodedLength]);
        return true;
    }

    private static bool TryWriteAuthority(ReadOnlySpan<char> authority, int defaultPort, Span<char> destination, ref int length)
    {
        if (authority.IsEmpty || authority.Contains('@'))
        {
            return false;
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        if (authority[0] == '[')
        {
            int close = authority.IndexOf(']');
            if (close < 3 || (close + 1 < authority.Length && authority[close + 1] != ':'))
            {
                return false;
            }

            host = authority[..(close + 1)];
            port = close + 1 < authority.Length ? authority[(close + 2)..] : [];

            foreach (char c in host[1..^1])
            {
                if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
                {
                    return false;
                }
            }
        }
        else
        {
            int portColon = authority.IndexOf(':');
            host = portColon < 0 ? authority : authority[..portColon];
            port = portColon < 0 ? [] : authority[(portColon + 1)..];
            if (host.IsEmpty)
            {
                return false;
            }

            foreach (char c in host)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
                {
                    return false;
                }
            }
        }

        foreach (char c in host)
        {
            destination[length++] = char.ToLowerInvariant(c);
        }

        if (port.IsEmpty)
        {
            return true;
        }

        int value = 0;
        foreach (char c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            if (value > 65535)
            {
                return false;
            }
        }

        if (value == 0)
        {
            return false;
        }

        if (value != defaultPort)
        {
            destination[length++] = ':';
            value.TryFormat(destination[length..], out int digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            length += digits;
        }

        return true;
    }

    /// <summary>Validates the path grammar, decodes percent-encoded unreserved characters and upper-cases the rest.</summary>
    private static bool TryNormalizePercentEncoding(ReadOnlySpan<char> path, Span<char> destination, out int written)
    {
        written = 0;
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '%')
            {
                if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
                {
                    return false;
                }

                char octet = (char)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                if (IsUnreserved(octet))
                {
                    destination[written++] = octet;
                }
                else
                {
                    destination[written++] = '%';
                    destination[written++] = char.ToUpperInvariant(path[i + 1]);
                    destination[written++] = char.ToUpperInvariant(path[i + 2]);
                }

                i += 2;
            }
            else if (IsPathChar(c))
            {
                destination[written++] = c;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 3986 §5.2.4 on an absolute path, in place; returns the new length.</summary>
    private static int RemoveDotSegments(Span<char> path)
    {
        int read = 0;
        int write = 0;
        while (read < path.Length)
        {
            ReadOnlySpan<char> input = path[read..];
            if (input.StartsWith("/./") || input.SequenceEqual("/."))
            {
                // B: "/./" or a final "/." becomes "/".
                read += 2;
                if (read == path.Length)
                {
                    path[write++] = '/';
                }
            }
            else if (input.StartsWith("/../") || input.SequenceEqual("/.."))
            {
                // C: "/../" or a final "/.." becomes "/", and the last output segment goes.
                read += 3;
                while (write > 0 && path[write - 1] != '/')
                {
                    write--;
                }

                if (write > 0)
                {
                    write--;
                }

                if (read == path.Length)
                {
                    path[write++] = '/';
                }
            }
            else
            {
                // E: move "/segment" to the output.
                int next = input[1..].IndexOf('/');
                int segment = next < 0 ? input.Length : next + 1;
                input[..segment].CopyTo(path[write..]);
                write += segment;
                read += segment;
            }
        }

        return write;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    // pchar / "/" : unreserved, sub-delims, ":" and "@" (pct-encoded handled by the caller).
    private static bool IsPathChar(char c) =>
        IsUnreserved(c) || c is '/' or ':' or '@' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
