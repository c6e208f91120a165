using System;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace SessionCore.Http;

/// <summary>
/// Flags URLs that carry a credential in the query, the fragment or a path parameter, so a host can
/// reject the request and log it. SessionCore itself never reads a token from a URL.
/// </summary>
/// <remarks>
/// Security: URLs leak through logs, browser history, <c>Referer</c> headers and shared links (RFC 6750
/// §5.3). The check is heuristic and conservative: it never throws and never echoes what it found.
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class UrlTokenDetector
{
    /// <summary>The longest URL scanned.</summary>
    public const int MaxUrlLength = 16384;

    private static readonly FrozenSet<string> s_sensitiveNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "access_token", "refresh_token", "id_token", "token", "session", "session_id", "sessionid", "sid", "jsessionid", "phpsessid", "auth_token", "bearer");

    /// <summary>Inspects a URL given as text (absolute or relative).</summary>
    /// <param name="url">The URL, or <see langword="null"/>.</param>
    /// <returns>What was found.</returns>
    public static UrlTokenFinding Inspect(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return UrlTokenFinding.None;
        }

        if (url.Length > MaxUrlLength)
        {
            return UrlTokenFinding.TooLong;
        }

        ReadOnlySpan<char> text = url;
        int hash = text.IndexOf('#');
        ReadOnlySpan<char> fragment = hash < 0 ? default : text[(hash + 1)..];
        ReadOnlySpan<char> beforeFragment = hash < 0 ? text : text[..hash];
        int question = beforeFragment.IndexOf('?');
        ReadOnlySpan<char> query = question < 0 ? default : beforeFragment[(question + 1)..];
        ReadOnlySpan<char> path = question < 0 ? beforeFragment : beforeFragment[..question];

        UrlTokenFinding finding = InspectParameters(query);
        if (finding == UrlTokenFinding.None)
        {
            finding = InspectParameters(fragment);
        }

        return finding == UrlTokenFinding.None ? InspectPath(path) : finding;
    }

    /// <summary>Inspects a URL.</summary>
    /// <param name="url">The URL, or <see langword="null"/>.</param>
    /// <returns>What was found.</returns>
    public static UrlTokenFinding Inspect(Uri? url) =>
        url is null ? UrlTokenFinding.None : Inspect(url.IsAbsoluteUri ? url.OriginalString : url.ToString());

    /// <summary>Tells whether a URL seems to carry a credential (any finding other than <see cref="UrlTokenFinding.None"/>).</summary>
    /// <param name="url">The URL, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the host should reject the request.</returns>
    public static bool CarriesToken(string? url) => Inspect(url) != UrlTokenFinding.None;

    /// <summary>Tells whether a URL seems to carry a credential.</summary>
    /// <param name="url">The URL, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the host should reject the request.</returns>
    public static bool CarriesToken(Uri? url) => Inspect(url) != UrlTokenFinding.None;

    private static UrlTokenFinding InspectParameters(ReadOnlySpan<char> parameters)
    {
        while (!parameters.IsEmpty)
        {
            int end = parameters.IndexOfAny('&', ';');
            ReadOnlySpan<char> parameter = end < 0 ? parameters : parameters[..end];
            parameters = end < 0 ? default : parameters[(end + 1)..];
            int equals = parameter.IndexOf('=');
            string name = Decode(equals < 0 ? parameter : parameter[..equals]).Trim();
            if (s_sensitiveNames.Contains(name))
            {
                return UrlTokenFinding.SensitiveParameterName;
            }

            if (equals >= 0 && HasTokenLikePart(Decode(parameter[(equals + 1)..])))
            {
                return UrlTokenFinding.TokenLikeValue;
            }

            if (equals < 0 && HasTokenLikePart(name))
            {
                return UrlTokenFinding.TokenLikeValue;
            }
        }

        return UrlTokenFinding.None;
    }

    private static UrlTokenFinding InspectPath(ReadOnlySpan<char> path)
    {
        // Path parameters such as /app;jsessionid=... and tokens as path segments.
        while (!path.IsEmpty)
        {
            int end = path.IndexOf('/');
            ReadOnlySpan<char> segment = end < 0 ? path : path[..end];
            path = end < 0 ? default : path[(end + 1)..];
            int semicolon = segment.IndexOf(';');
            if (semicolon >= 0)
            {
                UrlTokenFinding finding = InspectParameters(segment[(semicolon + 1)..]);
                if (finding != UrlTokenFinding.None)
                {
                    return finding;
                }

                segment = segment[..semicolon];
            }

            if (HasTokenLikePart(Decode(segment)))
            {
                return UrlTokenFinding.TokenLikeValue;
            }
        }

        return UrlTokenFinding.None;
    }

    private static string Decode(ReadOnlySpan<char> value)
    {
        // Up to three rounds, so a token hidden behind double encoding (%2573c_...) or the non-standard %uXXXX form
        // some servers accept is still seen; each round is linear in the length, which MaxUrlLength bounds.
        string text = value.ToString().Replace('+', ' ');
        for (int round = 0; round < 3 && text.Contains('%', StringComparison.Ordinal); round++)
        {
            string decoded = UnescapeDataString(DecodeUnicodeEscapes(text));
            if (string.Equals(decoded, text, StringComparison.Ordinal))
            {
                break;
            }

            text = decoded;
        }

        return text;
    }

    private static string UnescapeDataString(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
#pragma warning disable CA1031 // Any decoding failure just means the raw text is inspected.
        catch (Exception)
#pragma warning restore CA1031
        {
            return text;
        }
    }

    private static string DecodeUnicodeEscapes(string text)
    {
        int first = text.IndexOf("%u", StringComparison.OrdinalIgnoreCase);
        if (first < 0)
        {
            return text;
        }

        StringBuilder decoded = new(text.Length);
        decoded.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 5 < text.Length && (text[i + 1] | 0x20) == 'u'
                && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
            {
                decoded.Append((char)code);
                i += 5;
            }
            else
            {
                decoded.Append(text[i]);
            }
        }

        return decoded.ToString();
    }

    private static bool HasTokenLikePart(string value)
    {
        // Split on everything that is neither base64url nor a dot, then test each run.
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            int start = 0;
            while (start < rest.Length && !IsRunChar(rest[start]))
            {
                start++;
            }

            int end = start;
            while (end < rest.Length && IsRunChar(rest[end]))
            {
                end++;
            }

            if (IsTokenLike(rest[start..end]))
            {
                return true;
            }

            rest = rest[end..];
        }

        return false;
    }

    private static bool IsTokenLike(ReadOnlySpan<char> run)
    {
        if ((run.StartsWith("sc_", StringComparison.Ordinal) && run.Length >= 3 + 20)
            || (run.StartsWith("scr_", StringComparison.Ordinal) && run.Length >= 4 + 20))
        {
            return true;
        }

        // A JWS/JWT: base64url of a JSON object ("eyJ" = '{"'), two dots.
        return run.StartsWith("eyJ", StringComparison.Ordinal) && run.Count('.') >= 2 && run.Length >= 20;
    }

    private static bool IsRunChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
}
