namespace SessionCore.AspNetCore.Internal;

/// <summary>The <c>[Experimental]</c> ids of the package, shared with the core (see docs/diagnostics.md).</summary>
internal static class Preview
{
    /// <summary>Device Bound Session Credentials: the protocol follows a W3C Working Draft and may still change.</summary>
    public const string Dbsc = "SCEXP0001";
}
