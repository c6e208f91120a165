using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using SessionCore.Http;
using SessionCore.Tokens;

namespace SessionCore.Fuzz;

/// <summary>
/// Every harness. Each calls only the result-returning public API of one parser of untrusted input (the
/// LiteDB target calls the store's internal document mapping) and lets anything outside the contract crash.
/// </summary>
public static partial class FuzzTargets
{
    /// <summary>The name of the session cookie the Cookie header target looks for (the default of <see cref="SessionCookieOptions.Name"/>).</summary>
    public const string CookieName = "__Host-session";

    /// <summary>The fixed session id the CSRF target verifies against.</summary>
    public const string CsrfSessionId = "q4XvJ8e0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7A";

    private static readonly Lazy<CsrfTokenService> s_csrf = new(() => new CsrfTokenService(CsrfKey));

    private static readonly IPAddress s_proxy = IPAddress.Parse("10.0.0.1");
    private static readonly ClientAddressResolver[] s_clientAddress = [ClientAddress(ForwardingHeader.XForwardedFor), ClientAddress(ForwardingHeader.Forwarded)];

    private static readonly FuzzTarget[] s_all =
    [
        new("session-token", "SessionToken.TryParse (span and string) and SessionId.TryParse", SessionTokens, Never),
        new("refresh-token", "RefreshToken.TryParse (span and string)", RefreshTokens, Never),
        new("cookie-header", "CookieHeaderParser.Find for the session cookie and a second name", CookieHeader, Never),
        new("authorization-header", "BearerTokenParser.Parse", AuthorizationHeader, Never),
        new("csrf-token", "CsrfTokenService.Verify against a fixed key and session id", CsrfToken, Never),
        new("url", "UrlTokenDetector.Inspect (string and Uri) and CarriesToken", Url, Never),
        new("forwarded-header", "ClientAddressResolver.Resolve with X-Forwarded-For and with Forwarded, behind a trusted proxy", ForwardedHeader, Never),
        .. JwtTargets(),
        .. DbscTargets(),
        .. DpopTargets(),
        .. StoreTargets(),
    ];

    /// <summary>Gets the fixed 32-byte key of the CSRF target (public so seeds can be made with it).</summary>
    public static ReadOnlySpan<byte> CsrfKey => "SessionCore fuzzing CSRF key 32B"u8;

    /// <summary>Gets every target.</summary>
    public static IReadOnlyList<FuzzTarget> All => s_all;

    /// <summary>Finds a target by name.</summary>
    public static FuzzTarget? Find(string name) => s_all.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    // Header values, URLs and tokens reach the library as .NET strings decoded from request bytes.
    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    private static bool Never(Exception ex) => false;

    private static void SessionTokens(byte[] input)
    {
        string text = Text(input);
        bool parsed = SessionToken.TryParse(text, out SessionToken? token);
        InvariantViolationException.Check(parsed == SessionToken.TryParse(text.AsSpan(), out _), "span and string overloads agree");
        if (parsed)
        {
            InvariantViolationException.Check(token!.Reveal() == text && text.Length == SessionToken.Length && text.StartsWith(SessionToken.Prefix, StringComparison.Ordinal), "a parsed token is the exact input");
            InvariantViolationException.Check(SessionId.TryParse(token.Id.ToString(), out SessionId derived) && derived == token.Id, "the derived id parses back");
            InvariantViolationException.Check(token.ToString() == "[redacted]", "ToString redacts");
        }

        if (SessionId.TryParse(text, out SessionId id))
        {
            InvariantViolationException.Check(id.ToString() == text && !id.IsEmpty && text.Length == SessionId.Length, "a parsed id is the exact input");
        }
    }

    private static void RefreshTokens(byte[] input)
    {
        string text = Text(input);
        bool parsed = RefreshToken.TryParse(text, out RefreshToken? token);
        InvariantViolationException.Check(parsed == RefreshToken.TryParse(text.AsSpan(), out _), "span and string overloads agree");
        if (parsed)
        {
            InvariantViolationException.Check(token!.Reveal() == text && text.Length == RefreshToken.Length && text.StartsWith(RefreshToken.Prefix, StringComparison.Ordinal), "a parsed token is the exact input");
            InvariantViolationException.Check(token.Hash.ToString().Length == RefreshTokenHash.Length && token.ToString() == "[redacted]", "hash and redaction");
        }
    }

    private static void CookieHeader(byte[] input)
    {
        string header = Text(input);
        foreach (string name in (string[])[CookieName, "sid"])
        {
            HeaderValueResult result = CookieHeaderParser.Find(header, name);
            InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
            if (result.TryGetValue(out string? value))
            {
                InvariantViolationException.Check(result.Status == HeaderValueStatus.Found && value.Length > 0 && header.Contains(value, StringComparison.Ordinal), "a found value is a non-empty part of the header");
            }
            else
            {
                InvariantViolationException.Check(result.Status != HeaderValueStatus.Found && !result.IsSuccess, "a failure has no value");
            }
        }
    }

    private static void AuthorizationHeader(byte[] input)
    {
        string header = Text(input);
        HeaderValueResult result = BearerTokenParser.Parse(header);
        InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
        if (result.TryGetValue(out string? value))
        {
            InvariantViolationException.Check(value.Length > 0 && header.Contains(value, StringComparison.Ordinal) && value.AsSpan().IndexOfAny(" \t,\"") < 0, "a found token is a non-empty b64token from the header");
        }
    }

    private static void CsrfToken(byte[] input)
    {
        CsrfTokenStatus status = s_csrf.Value.Verify(Text(input), SessionId.Parse(CsrfSessionId));
        InvariantViolationException.Check(Enum.IsDefined(status), "a defined status");
    }

    private static void Url(byte[] input)
    {
        string url = Text(input);
        UrlTokenFinding finding = UrlTokenDetector.Inspect(url);
        InvariantViolationException.Check(Enum.IsDefined(finding), "a defined finding");
        InvariantViolationException.Check(UrlTokenDetector.CarriesToken(url) == (finding != UrlTokenFinding.None), "CarriesToken agrees with Inspect");
        if (Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out Uri? uri))
        {
            InvariantViolationException.Check(Enum.IsDefined(UrlTokenDetector.Inspect(uri)), "a defined finding for a Uri");
        }
    }

    private static void ForwardedHeader(byte[] input)
    {
        string header = Text(input);
        foreach (ClientAddressResolver resolver in s_clientAddress)
        {
            ClientAddressResult result = resolver.Resolve(s_proxy, header, header);
            InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
            InvariantViolationException.Check(result.IsSuccess == result.Status is ClientAddressStatus.Connection or ClientAddressStatus.Forwarded, "an address exactly for the two resolved statuses");
            if (result.TryGetValue(out IPAddress? address))
            {
                InvariantViolationException.Check(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || (!address.IsIPv4MappedToIPv6 && address.ScopeId == 0), "a normalised address without a zone");
                InvariantViolationException.Check(result.Status == ClientAddressStatus.Forwarded || address.Equals(s_proxy), "a connection result is the peer");
            }
        }
    }

    private static ClientAddressResolver ClientAddress(ForwardingHeader header)
    {
        ClientAddressOptions options = new() { Header = header };
        options.TrustedProxies.Add("10.0.0.0/8");
        options.TrustedProxies.Add("2001:db8:ffff::/48");
        return new ClientAddressResolver(options);
    }
}
