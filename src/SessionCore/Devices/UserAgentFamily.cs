using System;

namespace SessionCore.Devices;

/// <summary>
/// A small, deliberately coarse user-agent parser: browser family and operating-system family, for
/// example <c>"Firefox on Linux"</c>. It recognises the common families and answers <c>Other</c>
/// for the rest; it never throws and reads at most <see cref="MaxInputLength"/> characters.
/// </summary>
/// <remarks>
/// The family is not a security boundary (a client can send any user agent); it only makes new-device
/// notices and session lists readable and adds a weak signal to the device fingerprint.
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class UserAgentFamily
{
    /// <summary>The most characters of a user agent that are examined.</summary>
    public const int MaxInputLength = 512;

    /// <summary>The family reported when no user agent was given.</summary>
    public const string Unknown = "Unknown";

    /// <summary>Gets the family of a user agent.</summary>
    /// <param name="userAgent">The <c>User-Agent</c> header value, or <see langword="null"/>.</param>
    /// <returns><c>"{browser} on {os}"</c>, or <see cref="Unknown"/> for a missing or blank value.</returns>
    public static string Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown;
        }

        ReadOnlySpan<char> ua = userAgent.AsSpan();
        if (ua.Length > MaxInputLength)
        {
            ua = ua[..MaxInputLength];
        }

        return string.Concat(Browser(ua), " on ", OperatingSystem(ua));
    }

    private static string Browser(ReadOnlySpan<char> ua)
    {
        // Order matters: Edge and Opera also announce Chrome and Safari; Chrome announces Safari.
        if (Has(ua, "Edg/") || Has(ua, "Edge/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/"))
        {
            return "Edge";
        }

        if (Has(ua, "OPR/") || Has(ua, "Opera"))
        {
            return "Opera";
        }

        if (Has(ua, "SamsungBrowser/"))
        {
            return "Samsung Internet";
        }

        if (Has(ua, "Firefox/") || Has(ua, "FxiOS/"))
        {
            return "Firefox";
        }

        if (Has(ua, "CriOS/") || Has(ua, "Chrome/") || Has(ua, "Chromium/"))
        {
            return "Chrome";
        }

        if (Has(ua, "Safari/") && Has(ua, "Version/"))
        {
            return "Safari";
        }

        return "Other";
    }

    private static string OperatingSystem(ReadOnlySpan<char> ua)
    {
        if (Has(ua, "Windows"))
        {
            return "Windows";
        }

        if (Has(ua, "Android"))
        {
            return "Android";
        }

        if (Has(ua, "iPhone") || Has(ua, "iPad") || Has(ua, "iPod"))
        {
            return "iOS";
        }

        if (Has(ua, "Mac OS X") || Has(ua, "Macintosh"))
        {
            return "macOS";
        }

        if (Has(ua, "CrOS"))
        {
            return "ChromeOS";
        }

        return Has(ua, "Linux") ? "Linux" : "Other";
    }

    private static bool Has(ReadOnlySpan<char> ua, string marker) => ua.Contains(marker, StringComparison.OrdinalIgnoreCase);
}
