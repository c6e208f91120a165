namespace SessionCore.AspNetCore.Csrf;

/// <summary>
/// Endpoint metadata that exempts an endpoint from <c>UseSessionCoreCsrf()</c>: for the DBSC endpoints, which browsers
/// call without a CSRF token and which act only on a request header a cross-site page cannot send without a CORS
/// preflight, carrying a proof it cannot make.
/// </summary>
internal sealed class CsrfExemptMetadata
{
    public static readonly CsrfExemptMetadata Instance = new();

    private CsrfExemptMetadata()
    {
    }
}
