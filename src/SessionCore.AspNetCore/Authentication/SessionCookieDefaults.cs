namespace SessionCore.AspNetCore.Authentication;

/// <summary>Default names of the session-cookie authentication scheme.</summary>
public static class SessionCookieDefaults
{
    /// <summary>The default scheme name: <c>SessionCookie</c>.</summary>
    public const string AuthenticationScheme = "SessionCookie";
}
