using System;
using System.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Endpoints;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the SessionCore endpoints: OAuth tokens and "my sessions".</summary>
public static partial class SessionCoreEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the token endpoint (<c>POST</c>, form: the <c>refresh_token</c> grant and every grant in
    /// <see cref="SessionCoreOAuthOptions.Grants"/>), revocation (RFC 7009: <c>200</c> for an unknown token), the JWKS
    /// and the RFC 8414 metadata. Needs <c>AddAccessTokens</c> and <c>AddRefreshTokens</c>. The options are validated now.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="configure">Sets at least <see cref="SessionCoreOAuthOptions.Issuer"/>.</param>
    /// <returns>A builder for conventions on all four endpoints.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or malformed.</exception>
    /// <exception cref="InvalidOperationException">Access tokens or refresh tokens are not registered.</exception>
    /// <remarks>
    /// Security: tokens are taken from the form body only; a request with a query string, a repeated parameter or
    /// another content type is refused with <c>invalid_request</c>. Every failed grant answers the same
    /// <c>invalid_grant</c>; a reused refresh token revokes its family and session. Responses are never cached.
    /// With <c>AddDpop</c> registered, a token request may carry a DPoP proof for the published token endpoint (RFC 9449
    /// §5): a new family and its access tokens are then bound to the proof's key (<c>token_type</c> <c>DPoP</c>), a bound
    /// family is redeemed only with a proof by its key, a refused proof answers 400 <c>invalid_dpop_proof</c> or
    /// <c>use_dpop_nonce</c> with <c>DPoP-Nonce</c> (§8), and the metadata lists <c>dpop_signing_alg_values_supported</c>.
    /// With <see cref="DpopOptions.RequireBoundTokens"/> a token request without a proof is refused.
    /// </remarks>
    public static IEndpointConventionBuilder MapSessionCoreOAuth(this IEndpointRouteBuilder endpoints, Action<SessionCoreOAuthOptions> configure)
    {
        Throw.IfNull(endpoints);
        Throw.IfNull(configure);
        SessionCoreOAuthOptions options = new();
        configure(options);
        Validate(options);
        IServiceProvider services = endpoints.ServiceProvider;
        OAuthEndpoints oauth = new(
            options,
            services.GetService<SessionManager>() ?? Throw.InvalidOperation<SessionManager>(Error.ManagerMissing),
            services.GetService<RefreshTokenService>() ?? Throw.InvalidOperation<RefreshTokenService>(Error.RefreshMissing),
            services.GetService<AccessTokenIssuer>() ?? Throw.InvalidOperation<AccessTokenIssuer>(Error.ValidatorMissing),
            services.GetService<AccessTokenValidator>() ?? Throw.InvalidOperation<AccessTokenValidator>(Error.ValidatorMissing),
            services.GetService<SigningKeyRing>() ?? Throw.InvalidOperation<SigningKeyRing>(Error.ValidatorMissing),
            services.GetService<DpopProofValidator>());
        return new Conventions(
            endpoints.MapPost(options.TokenPath, oauth.TokenAsync),
            endpoints.MapPost(options.RevocationPath, oauth.RevokeAsync),
            endpoints.MapGet(options.JwksPath, oauth.JwksAsync),
            endpoints.MapGet(options.MetadataPath, oauth.MetadataAsync));
    }

    /// <summary>
    /// Maps "where you are signed in" under <paramref name="prefix"/>: <c>GET</c> lists the user's sessions (the current
    /// one marked), <c>DELETE {prefix}/{id}</c> ends one of them, <c>POST {prefix}/revoke-others</c> ends every other.
    /// All three need the session cookie; the unsafe two need the CSRF token and a same-origin request
    /// (<c>AddCsrfProtection</c>).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="prefix">The path prefix.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with '/' or ends with '/'.</exception>
    /// <exception cref="InvalidOperationException">CSRF protection or SessionCore is not registered.</exception>
    public static RouteGroupBuilder MapSessionCoreSessions(this IEndpointRouteBuilder endpoints, string prefix = "/sessions")
    {
        Throw.IfNull(endpoints);
        if (!IsPath(prefix))
        {
            throw new ArgumentException(Error.PrefixInvalid, nameof(prefix));
        }

        _ = endpoints.ServiceProvider.GetService<CsrfProtection>() ?? Throw.InvalidOperation<CsrfProtection>(Error.CsrfMissing);
        _ = endpoints.ServiceProvider.GetService<SessionManager>() ?? Throw.InvalidOperation<SessionManager>(Error.ManagerMissing);
        RouteGroupBuilder group = endpoints.MapGroup(prefix);
        group.MapGet("/", SessionEndpoints.ListAsync);
        group.MapDelete("/{id}", SessionEndpoints.RevokeOneAsync);
        group.MapPost("/revoke-others", SessionEndpoints.RevokeOthersAsync);
        return group;
    }

    private static void Validate(SessionCoreOAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer) || !Uri.TryCreate(options.Issuer, UriKind.Absolute, out _))
        {
            throw new ArgumentException(Error.IssuerMissing, nameof(options));
        }

        foreach (string path in new[] { options.TokenPath, options.RevocationPath, options.JwksPath, options.MetadataPath })
        {
            if (!IsPath(path))
            {
                throw new ArgumentException(Error.PrefixInvalid, nameof(options));
            }
        }

        for (int i = 0; i < options.Grants.Count; i++)
        {
            string? type = options.Grants[i]?.GrantType;
            if (string.IsNullOrEmpty(type) || type == "refresh_token" || !type.All(c => c is > ' ' and <= '~'))
            {
                throw new ArgumentException(Error.GrantTypeInvalid, nameof(options));
            }

            for (int j = 0; j < i; j++)
            {
                if (string.Equals(options.Grants[j].GrantType, type, StringComparison.Ordinal))
                {
                    throw new ArgumentException(Error.GrantTypeTwice, nameof(options));
                }
            }
        }
    }

    private static bool IsPath(string? path) => path is { Length: > 1 } && path[0] == '/' && path[^1] != '/';

    private sealed class Conventions(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (IEndpointConventionBuilder builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (IEndpointConventionBuilder builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
