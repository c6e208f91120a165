using System;
using System.Collections.Generic;

namespace SessionCore.Jwt;

/// <summary>
/// Settings of the access-token issuer and validator. Every value has a safe default and bounds; they
/// are validated once when the issuer or validator is built, copied, and later changes do nothing.
/// </summary>
/// <threadsafety>Not thread-safe; configure before building.</threadsafety>
public sealed class AccessTokenOptions
{
    /// <summary>The shortest allowed <see cref="Lifetime"/>.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The longest allowed <see cref="Lifetime"/>.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(60);

    /// <summary>The largest allowed <see cref="ClockSkew"/>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The default forbidden fragments of custom claim names.</summary>
    public static readonly IReadOnlyList<string> DefaultForbiddenClaimNameFragments =
    [
        "password", "passwd", "pwd", "passphrase", "secret", "privatekey", "apikey", "creditcard", "cardnumber",
        "ccnumber", "cvv", "cvc", "iban", "ssn", "socialsecurity", "pin",
    ];

    /// <summary>Gets or sets the <c>iss</c> value written and required.</summary>
    /// <value><see langword="null"/>; required.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the <c>aud</c> value written by default and required on validation (as the string or inside the array).</summary>
    /// <value><see langword="null"/>; required.</value>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets or sets the <c>client_id</c> written when a request names none (<see cref="AccessTokenRequest.ClientId"/>):
    /// for a first-party host, its own client identifier. Required to issue tokens.
    /// </summary>
    /// <value><see langword="null"/>; required by <see cref="AccessTokenBuilder.BuildIssuer"/> and <c>AddAccessTokens</c>. 1 to 256 printable ASCII characters (RFC 6749 A.1).</value>
    /// <remarks>RFC 9068 §2.2 makes <c>client_id</c> required on every access token, and standard resource-server libraries refuse tokens without it.</remarks>
    public string? DefaultClientId { get; set; }

    /// <summary>
    /// Gets the <c>acr</c> (authentication context class reference, RFC 9068 §2.2.1) written for each
    /// authentication level (<see cref="AccessTokenRequest.AuthenticationLevel"/>, the session's
    /// <c>AuthenticationLevel</c>). A level without an entry writes no <c>acr</c>.
    /// </summary>
    /// <value>Empty. Values: 1 to 256 printable ASCII characters, for example <c>urn:example:loa:2</c> or <c>phr</c>.</value>
    public IDictionary<int, string> AuthenticationContextClassByLevel { get; } = new Dictionary<int, string>();

    /// <summary>
    /// Gets the <c>amr</c> values (authentication methods, RFC 8176) written for each authentication level when
    /// a request carries no <see cref="AccessTokenRequest.AuthenticationMethods"/> of its own.
    /// </summary>
    /// <value>Empty. Each list: 1 to 16 values of 1 to 256 printable ASCII characters, for example <c>["pwd", "otp"]</c>.</value>
    public IDictionary<int, IReadOnlyList<string>> AuthenticationMethodsByLevel { get; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>Gets or sets a value indicating whether validation requires a <c>client_id</c> claim (<see cref="AccessTokenValidationStatus.MissingClaim"/> without one).</summary>
    /// <value><see langword="false"/>: a token without <c>client_id</c> (one issued before RFC 9068 claims were written) still validates. Implied by a non-empty <see cref="AllowedClientIds"/>.</value>
    public bool RequireClientId { get; set; }

    /// <summary>Gets the clients whose tokens validation accepts, or an empty list for any client.</summary>
    /// <value>Empty. A token whose <c>client_id</c> is absent is <see cref="AccessTokenValidationStatus.MissingClaim"/>; one not listed is <see cref="AccessTokenValidationStatus.ClientNotAllowed"/>.</value>
    public IList<string> AllowedClientIds { get; } = [];

    /// <summary>Gets the scope values every accepted token must carry in its <c>scope</c> claim, or an empty list for none.</summary>
    /// <value>Empty. A token that lacks one is <see cref="AccessTokenValidationStatus.InsufficientScope"/>. For a scope one endpoint needs, check <see cref="AccessTokenClaims.HasScope"/> there instead.</value>
    public IList<string> RequiredScopes { get; } = [];

    /// <summary>Gets or sets the default token lifetime.</summary>
    /// <value>15 minutes; between <see cref="MinLifetime"/> and <see cref="MaxLifetime"/>.</value>
    /// <remarks>Security: access tokens are bearer credentials; offline validation cannot revoke them before they expire.</remarks>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the clock skew tolerated for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    /// <value>30 seconds; between 0 and <see cref="MaxClockSkew"/>.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest token accepted (and issued), in characters.</summary>
    /// <value>8192; between 512 and 65536.</value>
    public int MaxTokenLength { get; set; } = 8192;

    /// <summary>Gets or sets the validation mode.</summary>
    /// <value><see cref="AccessTokenValidationMode.Online"/>, which needs a session store.</value>
    public AccessTokenValidationMode ValidationMode { get; set; } = AccessTokenValidationMode.Online;

    /// <summary>Gets or sets a value that is no longer read: online validation always compares the token's epoch with the user's current security epoch, in the same store step that reads the session.</summary>
    /// <value><see langword="true"/>.</value>
    [Obsolete("Online validation always checks the user's current security epoch, in the same store step that reads the session; this value is ignored.")]
    public bool CheckUserSecurityEpoch { get; set; } = true;

    /// <summary>Gets or sets how many verified signatures to remember (keyed by the SHA-256 of the token), or 0 to verify every time.</summary>
    /// <value>0 (off); between 0 and 100000.</value>
    /// <remarks>Security: a cached token still has its times, issuer, audience and (online) session and epoch checked on every call; only the signature maths is skipped. Removing a key from the ring drops its entries.</remarks>
    public int SignatureCacheSize { get; set; }

    /// <summary>Gets the fragments that custom claim names may not contain (compared case-insensitively, ignoring <c>_</c>, <c>-</c>, <c>.</c> and spaces).</summary>
    /// <value><see cref="DefaultForbiddenClaimNameFragments"/>.</value>
    /// <remarks>Security: JWT payloads are readable by anyone holding the token; this catches the obvious mistakes.</remarks>
    public IList<string> ForbiddenClaimNameFragments { get; } = [.. DefaultForbiddenClaimNameFragments];
}
