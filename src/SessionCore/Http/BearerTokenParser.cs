using System;

namespace SessionCore.Http;

/// <summary>
/// Reads a bearer token from an <c>Authorization</c> request header (RFC 6750 §2.1:
/// <c>"Bearer" 1*SP b64token</c>). Never throws on the header, whatever it contains.
/// </summary>
/// <remarks>
/// The scheme is matched case-insensitively; surrounding white space is dropped. Another scheme
/// (<c>Basic</c>, <c>Digest</c>, ...) is <see cref="HeaderValueStatus.OtherScheme"/>; a bearer credential with
/// no token, several tokens, a comma-separated list, characters outside b64token or padding followed by
/// anything is <see cref="HeaderValueStatus.Malformed"/>; a header over <see cref="MaxHeaderLength"/> is
/// <see cref="HeaderValueStatus.TooLarge"/>. There is deliberately no way to read a token from a URL.
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class BearerTokenParser
{
    /// <summary>The longest <c>Authorization</c> header read (8 KiB).</summary>
    public const int MaxHeaderLength = 8192;

    private const string Scheme = "Bearer";

    /// <summary>Reads the bearer token.</summary>
    /// <param name="authorization">The <c>Authorization</c> header value, or <see langword="null"/>.</param>
    /// <returns>The token, or why there is none.</returns>
    public static HeaderValueResult Parse(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        if (authorization.Length > MaxHeaderLength)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.TooLarge);
        }

        ReadOnlySpan<char> value = HttpGrammar.TrimOws(authorization);
        if (value.IsEmpty)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        int space = value.IndexOf(' ');
        ReadOnlySpan<char> scheme = space < 0 ? value : value[..space];
        if (!scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return HeaderValueResult.Failure(HttpGrammar.IsToken(scheme) ? HeaderValueStatus.OtherScheme : HeaderValueStatus.Malformed);
        }

        if (space < 0)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.Malformed);
        }

        ReadOnlySpan<char> token = value[space..].TrimStart(' ');
        return IsB64Token(token)
            ? HeaderValueResult.Found(token.ToString())
            : HeaderValueResult.Failure(HeaderValueStatus.Malformed);
    }

    private static bool IsB64Token(ReadOnlySpan<char> token)
    {
        // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        int i = 0;
        while (i < token.Length && HttpGrammar.IsB64TokenChar(token[i]))
        {
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        while (i < token.Length && token[i] == '=')
        {
            i++;
        }

        return i == token.Length;
    }
}
