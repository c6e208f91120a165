using Microsoft.AspNetCore.Authentication;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>Options of the access-token authentication handler: RFC 6750 Bearer tokens and, when enabled, RFC 9449 DPoP-bound tokens.</summary>
/// <remarks>
/// The tokens are validated by the registered <see cref="Jwt.AccessTokenValidator"/>; its options (issuer,
/// audience, offline or online mode, required client and scopes) are set by <c>AddAccessTokens</c>. DPoP proofs are
/// validated by the <see cref="Dpop.DpopProofValidator"/> that <c>AddDpop</c> registers; its options decide nonces
/// (<see cref="Dpop.DpopOptions.RequireNonce"/>) and whether bearer tokens are refused altogether
/// (<see cref="Dpop.DpopOptions.RequireBoundTokens"/>).
/// </remarks>
public sealed class SessionCoreBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the <c>realm</c> of the <c>WWW-Authenticate</c> challenge, or <see langword="null"/> for none.</summary>
    /// <value><see langword="null"/> by default.</value>
    public string? Realm { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>Authorization: DPoP</c> requests with a proof of the token's key are
    /// accepted (RFC 9449 §7), besides <c>Bearer</c> tokens unless <see cref="Dpop.DpopOptions.RequireBoundTokens"/> is on.
    /// </summary>
    /// <value><see langword="false"/>: Bearer only, and a bound token is always refused. Needs <c>AddDpop</c> on the SessionCore builder.</value>
    /// <remarks>
    /// Security: a bound token (<c>cnf.jkt</c>) is never accepted without a fresh, single-use proof by its key for this
    /// method and URL; presented as <c>Bearer</c> it is refused as a downgrade (§7.2). Challenges name both schemes with
    /// the accepted <c>algs</c> (§7.1), and <c>DPoP-Nonce</c> is sent when nonces are required (§9).
    /// </remarks>
    public bool AcceptDpop { get; set; }

    /// <summary>
    /// Gets or sets the origin clients use to reach this application (<c>https://api.example</c>), the base of the
    /// <c>htu</c> a proof must name; <see langword="null"/> takes the request's scheme and <c>Host</c>.
    /// </summary>
    /// <value><see langword="null"/>. Otherwise <c>scheme://host[:port]</c> (http or https) without a trailing slash.</value>
    /// <remarks>
    /// Security: the <c>htu</c> is this origin, the request's <c>PathBase</c> and path (the query is ignored, RFC 9449 §4.3).
    /// Without it the origin comes from <c>Request.Scheme</c> and <c>Request.Host</c>, which the client chooses unless
    /// host filtering (<c>AllowedHosts</c>) or a trusted forwarded-headers middleware pins them: behind a proxy or
    /// with several host names, set it, so a proof made for another server never matches.
    /// </remarks>
    public string? PublicOrigin { get; set; }
}
