namespace SessionCore.AspNetCore.Csrf;

/// <summary>
/// Endpoint metadata: unsafe requests must come from the application's origin, but need no CSRF token (sign-in
/// forms, which have no session yet). Added by <c>RequireSameOrigin()</c>.
/// </summary>
public sealed class SameOriginOnlyMetadata
{
    /// <summary>The one instance.</summary>
    public static readonly SameOriginOnlyMetadata Instance = new();

    private SameOriginOnlyMetadata()
    {
    }
}
