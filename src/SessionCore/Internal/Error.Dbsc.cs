namespace SessionCore.Internal;

/// <summary>Messages of the browser-binding (DBSC) area. None carries a challenge, a cookie value or a key.</summary>
internal static partial class Error
{
    public const string DbscAlgorithmsInvalid = "Offer at least one DBSC algorithm (ES256, RS256) and no undefined flag.";
    public const string DbscPathInvalid = "The DBSC endpoint must be an origin-relative path starting with a single '/' or an absolute https URL, of printable ASCII without '\\', at most 2048 characters.";
    public const string DbscChallengeInvalid = "The challenge must be 1 to 1024 printable ASCII characters.";
    public const string DbscAuthorizationInvalid = "The authorization value must be 1 to 4096 printable ASCII characters.";
    public const string DbscSessionIdentifierInvalid = "The DBSC session identifier must be 1 to 256 characters: a letter, then letters, digits and -._~ (an RFC 9651 token that is also a valid sf-string).";
    public const string DbscKeyLength = "The DBSC key must be exactly 32 bytes long.";
    public const string DbscLifetimeOutOfRange = "The DBSC challenge lifetime must be between 10 seconds and 10 minutes.";
    public const string DbscPurposeInvalid = "The challenge purpose must be Registration or Refresh.";
    public const string DbscThumbprintInvalid = "The key thumbprint must be an RFC 7638 SHA-256 thumbprint: 43 characters of canonical base64url.";
    public const string DbscCookieNameInvalid = "The bound cookie name must start with __Host- and be an RFC 9110 token of at most 256 characters.";
    public const string DbscCookieMaxAgeOutOfRange = "The bound cookie Max-Age must be between 30 seconds and one hour.";
    public const string DbscCookieNotAfterPassed = "The session ends in less than a second; no bound cookie can be issued for it.";
    public const string DbscCredentialNameInvalid = "The credential name must be an RFC 9110 token of at most 256 characters.";
    public const string DbscCredentialAttributesInvalid = "The credential attributes must be printable ASCII cookie attributes (at most 1024 characters) without Max-Age, Expires or Partitioned.";
    public const string DbscRefreshUrlInvalid = "The refresh URL must be an origin-relative path starting with a single '/' or an absolute https URL, of printable ASCII without '\\', at most 2048 characters.";
    public const string DbscOriginInvalid = "The scope origin must be an https origin, or http on localhost, written scheme://host[:port] in lower case.";
    public const string DbscCredentialsEmpty = "A DBSC session needs at least one credential and at most 16.";
    public const string DbscScopeDomainInvalid = "A scope rule domain must be '*', '*.' followed by a host, or a host: lower-case letters, digits, '-' and '.', at most 253 characters.";
    public const string DbscScopePathInvalid = "A scope rule path must start with '/' and consist of printable ASCII, at most 1024 characters.";
    public const string DbscTooManyEntries = "A DBSC list holds at most 64 entries.";
    public const string DbscRuleTypeInvalid = "The scope rule type must be Include or Exclude.";
    public const string DbscHeaderValueInvalid = "The header value must be a non-empty Secure-Session-Challenge value written by DbscHeaderWriter.";
    public const string DbscSetCookieInvalid = "The Set-Cookie value must be non-empty and contain no line break.";
    public const string DbscSessionNotBound = "The session is not bound to a device key.";
    public const string DbscStatusInvalid = "A refusal must use a 4xx status other than 403, 407 and 429, which a browser treats as 'try again'.";
}
