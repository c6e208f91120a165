using System;
using System.Collections.Generic;

namespace SessionCore.Tests.Http;

/// <summary>
/// A checker for the server-side Set-Cookie grammar of RFC 6265bis §4.1.1 (the subset a conforming
/// server produces), plus the cookie-prefix requirements of §4.1.3.
/// </summary>
internal static class SetCookieGrammar
{
    // set-cookie-string = BWS cookie-pair *( BWS ";" OWS cookie-av )
    // cookie-pair       = cookie-name BWS "=" BWS cookie-value
    // cookie-name       = token
    // cookie-value      = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
    // cookie-av         = expires-av / max-age-av / domain-av / path-av / secure-av / httponly-av / samesite-av / extension-av
    // max-age-av        = "Max-Age" BWS "=" BWS max-age-value ; max-age-value = ["-"] 1*DIGIT
    // domain-av / path-av: value = *av-octet ; av-octet = %x20-3A / %x3C-7E
    // samesite-value    = "Strict" / "Lax" / "None"
    public static bool IsValid(string setCookie, out string? error)
    {
        error = null;
        string[] parts = setCookie.Split(';');
        string pair = parts[0];
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = "cookie-pair without '=' or name";
            return false;
        }

        string name = pair[..equals];
        string value = pair[(equals + 1)..];
        if (!IsToken(name))
        {
            error = "cookie-name is not a token";
            return false;
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        foreach (char c in value)
        {
            if (!IsCookieOctet(c))
            {
                error = "cookie-value has a non cookie-octet";
                return false;
            }
        }

        HashSet<string> seen = new(StringComparer.OrdinalIgnoreCase);
        bool secure = false;
        string? path = null;
        bool domain = false;
        for (int i = 1; i < parts.Length; i++)
        {
            string av = parts[i];
            if (!av.StartsWith(' '))
            {
                error = "attributes must be separated by '; '";
                return false;
            }

            av = av[1..];
            foreach (char c in av)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    error = "cookie-av has a non av-octet";
                    return false;
                }
            }

            int eq = av.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? av : av[..eq];
            string? val = eq < 0 ? null : av[(eq + 1)..];
            if (!seen.Add(key))
            {
                error = "attribute repeated";
                return false;
            }

            switch (key)
            {
                case "Max-Age":
                    if (val is null || !IsMaxAge(val))
                    {
                        error = "bad Max-Age";
                        return false;
                    }

                    break;
                case "Path":
                    if (val is null || !val.StartsWith('/'))
                    {
                        error = "bad Path";
                        return false;
                    }

                    path = val;
                    break;
                case "Domain":
                    if (string.IsNullOrEmpty(val))
                    {
                        error = "bad Domain";
                        return false;
                    }

                    domain = true;
                    break;
                case "Secure":
                case "HttpOnly":
                    if (val is not null)
                    {
                        error = "flag attribute with a value";
                        return false;
                    }

                    secure |= key == "Secure";
                    break;
                case "SameSite":
                    if (val is not ("Strict" or "Lax" or "None"))
                    {
                        error = "bad SameSite";
                        return false;
                    }

                    if (val == "None" && !secure && !setCookie.Contains("; Secure", StringComparison.Ordinal))
                    {
                        error = "SameSite=None without Secure";
                        return false;
                    }

                    break;
                default:
                    error = "unexpected attribute";
                    return false;
            }
        }

        if (name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase) && !secure)
        {
            error = "__Secure- without Secure";
            return false;
        }

        if (name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) && (!secure || domain || path != "/"))
        {
            error = "__Host- requirements";
            return false;
        }

        return true;
    }

    private static bool IsMaxAge(string value)
    {
        string digits = value.StartsWith('-') ? value[1..] : value;
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsToken(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCookieOctet(char c) =>
        c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}
