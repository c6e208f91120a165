namespace SessionCore.AspNetCore.Authentication;

/// <summary>Default names of the access-token (Bearer) authentication scheme.</summary>
public static class SessionCoreBearerDefaults
{
    /// <summary>The default scheme name: <c>Bearer</c>.</summary>
    public const string AuthenticationScheme = "Bearer";
}
