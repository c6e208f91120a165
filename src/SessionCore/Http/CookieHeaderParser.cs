using System;
using SessionCore.Internal;

namespace SessionCore.Http;

/// <summary>
/// Reads one cookie from a <c>Cookie</c> request header (RFC 6265 §5.4 / RFC 6265bis). Never throws on
/// the header, whatever it contains.
/// </summary>
/// <remarks>
/// <para>Rules, applied in order:</para>
/// <list type="bullet">
/// <item>An absent or empty header: <see cref="HeaderValueStatus.NotFound"/>.</item>
/// <item>A header over <see cref="MaxHeaderLength"/> characters, or with more than <see cref="MaxCookies"/> cookie pairs: <see cref="HeaderValueStatus.TooLarge"/>.</item>
/// <item>Pairs are split on <c>;</c>, white space around names and values is dropped, pairs without <c>=</c> are ignored, names are compared case-sensitively.</item>
/// <item>The requested name occurring twice or more: <see cref="HeaderValueStatus.Ambiguous"/>. Security: a cookie planted by a sibling
/// subdomain or an insecure origin ("cookie tossing") cannot shadow the real one, because the pair is refused rather than guessed.</item>
/// <item>A value that is empty, quoted or holds anything but cookie-octets: <see cref="HeaderValueStatus.Malformed"/>.</item>
/// </list>
/// <para>HTTP/2 may split cookies over several header fields; join them with <c>"; "</c> first.</para>
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class CookieHeaderParser
{
    /// <summary>The longest <c>Cookie</c> header read (8 KiB).</summary>
    public const int MaxHeaderLength = 8192;

    /// <summary>The most cookie pairs scanned.</summary>
    public const int MaxCookies = 300;

    /// <summary>Finds the value of the cookie called <paramref name="name"/>.</summary>
    /// <param name="header">The <c>Cookie</c> header value, or <see langword="null"/>.</param>
    /// <param name="name">The cookie name (for example <see cref="SessionCookieBuilder.Name"/>).</param>
    /// <returns>The value, or why there is none.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid cookie name.</exception>
    public static HeaderValueResult Find(string? header, string name)
    {
        if (name is null || name.Length > 256 || !HttpGrammar.IsToken(name))
        {
            throw new ArgumentException(Error.CookieNameInvalid, nameof(name));
        }

        if (string.IsNullOrEmpty(header))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        if (header.Length > MaxHeaderLength)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.TooLarge);
        }

        ReadOnlySpan<char> rest = header;
        ReadOnlySpan<char> found = default;
        bool seen = false;
        int pairs = 0;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf(';');
            ReadOnlySpan<char> pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            pair = HttpGrammar.TrimOws(pair);
            if (pair.IsEmpty)
            {
                continue;
            }

            if (++pairs > MaxCookies)
            {
                return HeaderValueResult.Failure(HeaderValueStatus.TooLarge);
            }

            int equals = pair.IndexOf('=');
            if (equals < 0 || !HttpGrammar.TrimOws(pair[..equals]).SequenceEqual(name))
            {
                continue;
            }

            if (seen)
            {
                return HeaderValueResult.Failure(HeaderValueStatus.Ambiguous);
            }

            seen = true;
            found = HttpGrammar.TrimOws(pair[(equals + 1)..]);
        }

        if (!seen)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        return found.IsEmpty || found.Length > SessionCookieBuilder.MaxValueLength || !HttpGrammar.IsCookieValue(found)
            ? HeaderValueResult.Failure(HeaderValueStatus.Malformed)
            : HeaderValueResult.Found(found.ToString());
    }
}
