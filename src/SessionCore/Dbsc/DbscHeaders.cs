using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>
/// The header names and media types of Device Bound Session Credentials (W3C DBSC, Editor's Draft,
/// §9 "DBSC Formats"). The <c>Sec-Session-*</c> names of the first origin trial are obsolete; browsers
/// that implement the current draft neither send nor read them.
/// </summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public static class DbscHeaders
{
    /// <summary>The response header that starts a session (§9.1): an RFC 9651 List of inner lists of algorithm tokens, with <c>path</c>, <c>challenge</c> and <c>authorization</c> parameters.</summary>
    public const string Registration = "Secure-Session-Registration";

    /// <summary>The response header that hands the browser its next challenge (§9.2): a List of sf-strings, each with an <c>id</c> parameter naming the session.</summary>
    public const string Challenge = "Secure-Session-Challenge";

    /// <summary>The request header that carries the signed proof (§9.3): an sf-string holding the compact JWS.</summary>
    public const string Response = "Secure-Session-Response";

    /// <summary>The request header that names the session being refreshed (§9.4): an sf-string.</summary>
    public const string SessionId = "Sec-Secure-Session-Id";

    /// <summary>The request header a browser adds when it deliberately sends a request without the bound cookie (§9.5): a List of reason tokens with a <c>session_identifier</c> parameter.</summary>
    public const string Skipped = "Secure-Session-Skipped";

    /// <summary>The <c>typ</c> of a DBSC proof (§9.10).</summary>
    public const string ProofType = "dbsc+jwt";

    /// <summary>The media type of registration and refresh answers (§9.6).</summary>
    public const string InstructionsMediaType = "application/json";
}
