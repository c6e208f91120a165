using System;
using System.Collections.Generic;
using SessionCore.Internal;
using SessionCore.Keys;

namespace SessionCore.Jwt;

/// <summary>
/// Builds the RFC 8414 authorization-server metadata document a host publishes at
/// <c>/.well-known/oauth-authorization-server</c>, so that standard OAuth clients and resource servers find
/// the token, revocation and key endpoints and the signing algorithms from the issuer alone.
/// </summary>
/// <example>
/// <code>
/// AuthorizationServerMetadata metadata = new AuthorizationServerMetadataBuilder
/// {
///     Issuer = "https://login.example",
///     TokenEndpoint = new Uri("https://login.example/oauth/token"),
///     RevocationEndpoint = new Uri("https://login.example/oauth/revoke"),
///     JwksUri = new Uri("https://login.example/.well-known/jwks.json"),
///     KeyRing = ring,
///     GrantTypesSupported = { "refresh_token" },
///     TokenEndpointAuthMethodsSupported = { "none" },
///     RevocationEndpointAuthMethodsSupported = { "none" },
/// }.Build();
/// string json = metadata.ToJson();   // serve with Content-Type: application/json
/// </code>
/// </example>
/// <remarks>
/// Security: every URL must be https, or http on a loopback host (for development and tests), and carry no
/// fragment; the issuer also no query (RFC 8414 §2). The document is public: it names endpoints and algorithms,
/// never keys.
/// </remarks>
/// <threadsafety>Not thread-safe. <see cref="Build"/> validates and copies; the builder cannot be used again.</threadsafety>
public sealed class AuthorizationServerMetadataBuilder
{
    private bool _built;

    /// <summary>Gets or sets the <c>issuer</c>: exactly the <c>iss</c> of the access tokens (<see cref="AccessTokenOptions.Issuer"/>). Required.</summary>
    /// <value><see langword="null"/>.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the <c>token_endpoint</c>. Required.</summary>
    /// <value><see langword="null"/>.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Gets or sets the <c>jwks_uri</c>, where the ring's public keys are published (<see cref="SigningKeyRing.ExportJwks"/>). Required.</summary>
    /// <value><see langword="null"/>.</value>
    public Uri? JwksUri { get; set; }

    /// <summary>Gets or sets the <c>revocation_endpoint</c> (RFC 7009), or <see langword="null"/> when there is none.</summary>
    /// <value><see langword="null"/>.</value>
    public Uri? RevocationEndpoint { get; set; }

    /// <summary>Gets or sets the <c>authorization_endpoint</c>, or <see langword="null"/> when no grant type uses one.</summary>
    /// <value><see langword="null"/>.</value>
    public Uri? AuthorizationEndpoint { get; set; }

    /// <summary>Gets or sets the key ring whose keys sign the access tokens; their algorithms are published. Required.</summary>
    /// <value><see langword="null"/>.</value>
    public SigningKeyRing? KeyRing { get; set; }

    /// <summary>Gets the <c>grant_types_supported</c>, for example <c>refresh_token</c>. At least one is required: RFC 8414 reads an absent list as authorization code and implicit.</summary>
    /// <value>Empty.</value>
    public IList<string> GrantTypesSupported { get; } = [];

    /// <summary>Gets the <c>token_endpoint_auth_methods_supported</c>, for example <c>none</c> for public clients. At least one is required: RFC 8414 reads an absent list as <c>client_secret_basic</c>.</summary>
    /// <value>Empty.</value>
    public IList<string> TokenEndpointAuthMethodsSupported { get; } = [];

    /// <summary>Gets the <c>revocation_endpoint_auth_methods_supported</c>; at least one is required with a <see cref="RevocationEndpoint"/>.</summary>
    /// <value>Empty.</value>
    public IList<string> RevocationEndpointAuthMethodsSupported { get; } = [];

    /// <summary>Gets the <c>response_types_supported</c> (RFC 8414 requires the member; it stays an empty array without an authorization endpoint).</summary>
    /// <value>Empty.</value>
    public IList<string> ResponseTypesSupported { get; } = [];

    /// <summary>Gets the <c>scopes_supported</c>, or an empty list to leave the member out.</summary>
    /// <value>Empty.</value>
    public IList<string> ScopesSupported { get; } = [];

    /// <summary>
    /// Gets or sets the DPoP proof algorithms the token endpoint accepts, written as <c>dpop_signing_alg_values_supported</c>
    /// (RFC 9449 §5.1), usually <see cref="Dpop.DpopProofValidator.AllowedAlgorithms"/>; <see cref="Dpop.DpopSigningAlgorithms.None"/> leaves the member out.
    /// </summary>
    /// <value><see cref="Dpop.DpopSigningAlgorithms.None"/>.</value>
    public Dpop.DpopSigningAlgorithms DpopSigningAlgorithms { get; set; }

    /// <summary>Validates the values and builds the document.</summary>
    /// <returns>The metadata; it reads the ring's algorithms whenever it is written.</returns>
    /// <exception cref="InvalidOperationException">The builder has built already, or no key ring is set.</exception>
    /// <exception cref="ArgumentException">A required value is missing, a URL is not https (or loopback http) or has a fragment, the issuer has a query, or a list is empty where required, holds an empty, non-ASCII or duplicate value, or the DPoP algorithms name an undefined one.</exception>
    public AuthorizationServerMetadata Build()
    {
        if (_built)
        {
            Throw.InvalidOperation(Error.BuilderUsed);
        }

        SigningKeyRing ring = KeyRing ?? Throw.InvalidOperation<SigningKeyRing>(Error.KeyRingMissing);
        if (string.IsNullOrWhiteSpace(Issuer) || !Uri.TryCreate(Issuer, UriKind.Absolute, out Uri? issuer) || !IsSecureUrl(issuer) || issuer.Query.Length > 0)
        {
            throw new ArgumentException(Error.MetadataUrlInvalid, nameof(Issuer));
        }

        Uri tokenEndpoint = CheckUrl(TokenEndpoint, required: true, nameof(TokenEndpoint))!;
        Uri jwksUri = CheckUrl(JwksUri, required: true, nameof(JwksUri))!;
        Uri? revocationEndpoint = CheckUrl(RevocationEndpoint, required: false, nameof(RevocationEndpoint));
        Uri? authorizationEndpoint = CheckUrl(AuthorizationEndpoint, required: false, nameof(AuthorizationEndpoint));
        string[] grantTypes = CheckList(GrantTypesSupported, required: true, nameof(GrantTypesSupported));
        string[] tokenAuth = CheckList(TokenEndpointAuthMethodsSupported, required: true, nameof(TokenEndpointAuthMethodsSupported));
        string[] revocationAuth = CheckList(RevocationEndpointAuthMethodsSupported, required: revocationEndpoint is not null, nameof(RevocationEndpointAuthMethodsSupported));
        string[] responseTypes = CheckList(ResponseTypesSupported, required: false, nameof(ResponseTypesSupported));
        string[] scopes = CheckList(ScopesSupported, required: false, nameof(ScopesSupported));
        string[] dpopAlgorithms = DpopSigningAlgorithms == Dpop.DpopSigningAlgorithms.None ? [] : [.. Dpop.DpopChallenge.AlgorithmNames(DpopSigningAlgorithms)];
        if (revocationEndpoint is null && revocationAuth.Length > 0)
        {
            throw new ArgumentException(Error.MetadataListInvalid, nameof(RevocationEndpointAuthMethodsSupported));
        }

        _built = true;
        return new AuthorizationServerMetadata(
            Issuer, tokenEndpoint, jwksUri, revocationEndpoint, authorizationEndpoint, ring, grantTypes, tokenAuth, revocationAuth, responseTypes, scopes, dpopAlgorithms);
    }

    private static bool IsSecureUrl(Uri url) =>
        (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        && url.Fragment.Length == 0 && url.UserInfo.Length == 0;

    private static Uri? CheckUrl(Uri? url, bool required, string name)
    {
        if (url is null)
        {
            return required ? throw new ArgumentException(Error.MetadataUrlInvalid, name) : null;
        }

        return url.IsAbsoluteUri && IsSecureUrl(url) ? url : throw new ArgumentException(Error.MetadataUrlInvalid, name);
    }

    private static string[] CheckList(IList<string> values, bool required, string name)
    {
        if (required && values.Count == 0)
        {
            throw new ArgumentException(Error.MetadataListInvalid, name);
        }

        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (string value in values)
        {
            if (!OAuthSyntax.IsScopeToken(value) || !seen.Add(value))
            {
                throw new ArgumentException(Error.MetadataListInvalid, name);
            }
        }

        return [.. values];
    }
}
