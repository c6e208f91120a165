namespace SessionCore.AspNetCore.Internal;

/// <summary>Message texts of the ASP.NET Core integration. None carries a token, a claim value or a header value.</summary>
internal static class Error
{
    public const string EmptyString = "The value must not be empty or white space.";
    public const string NoUserId = "The principal to sign in has no 'sub', NameIdentifier or name claim.";
    public const string NotSessionCookieScheme = "The scheme is not a SessionCore session-cookie scheme.";
    public const string ManagerMissing = "No SessionManager is registered: call services.AddSessionCore(...) and add a store.";
    public const string ValidatorMissing = "No AccessTokenValidator is registered: call AddAccessTokens(...) on the SessionCore builder.";
    public const string RefreshMissing = "No RefreshTokenService is registered: call AddRefreshTokens() on the SessionCore builder.";
    public const string CsrfMissing = "CSRF protection is not registered: call AddCsrfProtection(...) on the SessionCore builder.";
    public const string DbscMissing = "DBSC is not registered: call AddDbsc(...) on the SessionCore builder.";
    public const string OriginMissing = "Set the expected origin (scheme://host[:port]) of the application's pages.";
    public const string IssuerMissing = "Set the issuer (the https origin of the authorization server, used as the base of the metadata document).";
    public const string LevelOutOfRange = "The authentication level must be at least 1.";
    public const string GrantTypeInvalid = "A grant type is a non-empty run of visible ASCII characters and may not be 'refresh_token'.";
    public const string GrantTypeTwice = "A handler for this grant type is registered already.";
    public const string PrefixInvalid = "An endpoint prefix starts with '/' and does not end with '/'.";
    public const string DpopMissing = "DPoP is not registered: call AddDpop(...) on the SessionCore builder.";
    public const string PublicOriginInvalid = "The public origin is scheme://host[:port] (http or https) without path, trailing slash, query, fragment or user info.";
    public const string RealmInvalid = "The realm must be visible ASCII without quotes or backslashes.";
}
