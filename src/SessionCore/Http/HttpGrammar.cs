using System;

namespace SessionCore.Http;

/// <summary>Character classes of RFC 9110 and RFC 6265 used by the cookie and header helpers.</summary>
internal static class HttpGrammar
{
    /// <summary>tchar: <c>!#$%&amp;'*+-.^_`|~</c>, digits and letters.</summary>
    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.</summary>
    public static bool IsCookieOctet(char c) =>
        c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);

    /// <summary>b64token character (RFC 6750): letters, digits, <c>-._~+/</c>.</summary>
    public static bool IsB64TokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or '+' or '/';

    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsCookieValue(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (!IsCookieOctet(c))
            {
                return false;
            }
        }

        return true;
    }

    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> value) => value.Trim(" \t");
}
