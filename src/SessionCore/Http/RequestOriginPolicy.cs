using System;
using SessionCore.Internal;

namespace SessionCore.Http;

/// <summary>
/// Cross-site request forgery defence from request metadata, for hosts that prefer it to (or add it to)
/// synchronizer tokens: <c>Sec-Fetch-Site</c> (Fetch Metadata) first, then <c>Origin</c>, for unsafe methods.
/// </summary>
/// <remarks>
/// Security: unsafe methods are allowed only with <c>Sec-Fetch-Site: same-origin</c> or <c>none</c>, or,
/// from browsers that do not send Fetch Metadata, an <c>Origin</c> equal to the expected origin. When
/// both headers are present they must agree. <c>same-site</c> is denied, because a sibling subdomain is
/// another origin. A request with neither header is denied unless
/// <see cref="AllowRequestsWithoutBrowserHeaders"/> is set, which suits APIs whose non-browser clients
/// authenticate with a bearer header rather than a cookie. Methods are compared case-sensitively (RFC 9110),
/// so <c>get</c> is treated as unsafe.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class RequestOriginPolicy
{
    private const int MaxOriginLength = 2048;

    /// <summary>Initializes a new instance of the <see cref="RequestOriginPolicy"/> class.</summary>
    /// <param name="expectedOrigin">The application's origin, for example <c>https://app.example.com</c>.</param>
    /// <param name="allowRequestsWithoutBrowserHeaders">Whether a request with neither <c>Sec-Fetch-Site</c> nor <c>Origin</c> is allowed.</param>
    /// <exception cref="ArgumentException"><paramref name="expectedOrigin"/> is not an http(s) origin.</exception>
    public RequestOriginPolicy(string expectedOrigin, bool allowRequestsWithoutBrowserHeaders = false)
    {
        if (expectedOrigin is null
            || !Uri.TryCreate(expectedOrigin, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/" || uri.Query.Length != 0 || uri.Fragment.Length != 0 || uri.UserInfo.Length != 0)
        {
            throw new ArgumentException(Error.OriginInvalid, nameof(expectedOrigin));
        }

        // Browsers serialise Origin with the ASCII (punycode) host, so an internationalised host is compared in that form.
        // An IPv6 zone (fe80::1%eth0) is local to this machine and never part of an Origin a browser sends.
        string host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Split('%')[0] + "]" : uri.IdnHost;
        ExpectedOrigin = uri.IsDefaultPort
            ? uri.Scheme + "://" + host
            : uri.Scheme + "://" + host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AllowRequestsWithoutBrowserHeaders = allowRequestsWithoutBrowserHeaders;
    }

    /// <summary>Gets the expected origin, normalised (<c>scheme://host[:port]</c>, default port omitted).</summary>
    public string ExpectedOrigin { get; }

    /// <summary>Gets a value indicating whether a request with neither header is allowed.</summary>
    public bool AllowRequestsWithoutBrowserHeaders { get; }

    /// <summary>Decides whether a request may proceed. Never throws on header values.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="secFetchSite">The <c>Sec-Fetch-Site</c> header, or <see langword="null"/>.</param>
    /// <param name="origin">The <c>Origin</c> header, or <see langword="null"/>.</param>
    /// <returns>Allow or deny, with a coarse reason.</returns>
    public OriginCheckResult Evaluate(string? method, string? secFetchSite, string? origin)
    {
        if (method is "GET" or "HEAD" or "OPTIONS" or "TRACE")
        {
            return new(true, OriginCheckReason.SafeMethod);
        }

        bool hasOrigin = !string.IsNullOrWhiteSpace(origin);
        bool originMatches = hasOrigin && OriginEquals(origin!);
        if (!string.IsNullOrWhiteSpace(secFetchSite))
        {
            ReadOnlySpan<char> site = secFetchSite.AsSpan().Trim();
            if (site.SequenceEqual("same-origin") || site.SequenceEqual("none"))
            {
                if (hasOrigin && !originMatches)
                {
                    return new(false, OriginCheckReason.OriginMismatch);
                }

                return new(true, site.SequenceEqual("none") ? OriginCheckReason.UserInitiated : OriginCheckReason.SameOrigin);
            }

            return site.SequenceEqual("cross-site") ? new(false, OriginCheckReason.CrossSite)
                : site.SequenceEqual("same-site") ? new(false, OriginCheckReason.SameSite)
                : new(false, OriginCheckReason.InvalidHeader);
        }

        if (hasOrigin)
        {
            return originMatches ? new(true, OriginCheckReason.SameOrigin) : new(false, OriginCheckReason.OriginMismatch);
        }

        return AllowRequestsWithoutBrowserHeaders
            ? new(true, OriginCheckReason.NoBrowserHeaders)
            : new(false, OriginCheckReason.MissingHeaders);
    }

    private bool OriginEquals(string origin)
    {
        ReadOnlySpan<char> trimmed = origin.AsSpan().Trim();
        return trimmed.Length <= MaxOriginLength && trimmed.Equals(ExpectedOrigin, StringComparison.OrdinalIgnoreCase);
    }
}
