namespace SessionCore.Internal;

/// <summary>Messages of the web helpers (cookies, CSRF, origin checks).</summary>
internal static partial class Error
{
    public const string CookieNameInvalid = "The cookie name must be a non-empty RFC 9110 token of at most 256 characters.";
    public const string CookieValueInvalid = "The cookie value must consist of RFC 6265 cookie-octets only (no quotes, spaces, commas, semicolons or backslashes) and be at most 4096 characters.";
    public const string CookieHostPrefix = "A __Host- cookie must be Secure, have Path=/ and no Domain.";
    public const string CookieSecurePrefix = "A __Secure- cookie must be Secure.";
    public const string CookieSameSiteNoneInsecure = "SameSite=None requires Secure.";
    public const string CookiePathInvalid = "The cookie path must start with '/' and contain no control characters or ';'.";
    public const string CookieDomainInvalid = "The cookie domain must be a host name of letters, digits, '-' and '.'.";
    public const string CookieMaxAgeOutOfRange = "Max-Age must be at least one second and not longer than the configured maximum.";
    public const string CookieSameSiteInvalid = "SameSite must be Strict, Lax or None.";
    public const string CookieSessionEnded = "The session has no remaining lifetime; send the deletion cookie instead.";
    public const string CsrfKeyLength = "The CSRF key must be 32 to 64 bytes long.";
    public const string SessionIdEmpty = "The session identifier must not be the default value.";
    public const string OriginInvalid = "The expected origin must be an absolute http or https origin (scheme, host and optional port only).";
}
