using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>
/// The token endpoint (RFC 6749 §6 refresh grant and registered extension grants, answers per §5.1 and §5.2),
/// revocation (RFC 7009), the JWKS and the authorization-server metadata (RFC 8414). With a registered
/// <see cref="DpopProofValidator"/> the token endpoint takes DPoP proofs (RFC 9449 §5) and binds what it issues.
/// </summary>
internal sealed partial class OAuthEndpoints
{
    private const string RefreshGrant = "refresh_token";

    // RFC 6749 parameters are short; a form beyond these bounds is refused before any work is done on it.
    private static readonly FormOptions s_form = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 8192,
        BufferBody = false,
    };

    private readonly SessionManager _sessions;
    private readonly RefreshTokenService _refresh;
    private readonly AccessTokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;
    private readonly SigningKeyRing _keys;
    private readonly Dictionary<string, IOAuthGrantHandler> _grants;
    private readonly Func<AuthorizationServerMetadata> _metadata;
    private readonly DpopProofValidator? _proofs;
    private readonly string _tokenEndpoint;

    public OAuthEndpoints(SessionCoreOAuthOptions options, SessionManager sessions, RefreshTokenService refresh, AccessTokenIssuer issuer, AccessTokenValidator validator, SigningKeyRing keys, DpopProofValidator? proofs)
    {
        _sessions = sessions;
        _refresh = refresh;
        _issuer = issuer;
        _validator = validator;
        _keys = keys;
        _grants = options.Grants.ToDictionary(g => g.GrantType, StringComparer.Ordinal);
        Uri issuerUri = new(options.Issuer!, UriKind.Absolute);
        _proofs = proofs;

        // The published token endpoint is the htu a proof names (RFC 9449 §4.3): the configured issuer, never the Host header.
        _tokenEndpoint = new Uri(issuerUri, options.TokenPath).AbsoluteUri;
        string[] grantTypes = [RefreshGrant, .. _grants.Keys];
        _metadata = () =>
        {
            AuthorizationServerMetadataBuilder builder = new()
            {
                Issuer = options.Issuer,
                TokenEndpoint = new Uri(issuerUri, options.TokenPath),
                JwksUri = new Uri(issuerUri, options.JwksPath),
                RevocationEndpoint = new Uri(issuerUri, options.RevocationPath),
                KeyRing = keys,
                DpopSigningAlgorithms = proofs?.AllowedAlgorithms ?? DpopSigningAlgorithms.None,
            };
            foreach (string grant in grantTypes)
            {
                builder.GrantTypesSupported.Add(grant);
            }

            // Public clients: the grant itself authenticates, there is no client secret.
            builder.TokenEndpointAuthMethodsSupported.Add("none");
            builder.RevocationEndpointAuthMethodsSupported.Add("none");
            return builder.Build();
        };

        // Built once now, so a bad issuer or path fails at start-up.
        _ = _metadata();
    }

    public async Task TokenAsync(HttpContext context)
    {
        Responses.NoStore(context.Response);
        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        (bool refused, string? keyThumbprint) = await CheckProofAsync(context).ConfigureAwait(false);
        if (refused)
        {
            return;
        }

        string? grantType = form["grant_type"];
        if (string.IsNullOrEmpty(grantType))
        {
            await Responses.ErrorAsync(context.Response, "invalid_request").ConfigureAwait(false);
            return;
        }

        if (string.Equals(grantType, RefreshGrant, StringComparison.Ordinal))
        {
            string? presented = form["refresh_token"];
            if (string.IsNullOrEmpty(presented))
            {
                await Responses.ErrorAsync(context.Response, "invalid_request").ConfigureAwait(false);
                return;
            }

            // A reused token revokes its whole family and session; the answer is the same invalid_grant as for
            // any other bad token, so a thief learns nothing from it. A family bound to a key is redeemed only with a
            // proof by that key; without it nothing changes, and the answer is invalid_grant too.
            RefreshTokenResult redeemed = await _refresh.RedeemAsync(presented, new RefreshTokenBinding(KeyThumbprint: keyThumbprint), context.RequestAborted).ConfigureAwait(false);
            await WriteTokensAsync(context, redeemed, keyThumbprint).ConfigureAwait(false);
            return;
        }

        if (!_grants.TryGetValue(grantType, out IOAuthGrantHandler? handler))
        {
            await Responses.ErrorAsync(context.Response, "unsupported_grant_type").ConfigureAwait(false);
            return;
        }

        OAuthGrantResult granted = await handler.ExchangeAsync(context, form, context.RequestAborted).ConfigureAwait(false);
        if (!granted.IsSuccess)
        {
            await Responses.ErrorAsync(context.Response, granted.Error!, granted.IsUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        // With a proof, the new family is bound to its key for its whole life (RFC 9449 §5).
        RefreshTokenResult issued = await _refresh.IssueAsync(granted.Token, new RefreshTokenBinding(KeyThumbprint: keyThumbprint), context.RequestAborted).ConfigureAwait(false);
        await WriteTokensAsync(context, issued, keyThumbprint).ConfigureAwait(false);
    }

    public async Task RevokeAsync(HttpContext context)
    {
        Responses.NoStore(context.Response);
        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        string? token = form["token"];
        if (string.IsNullOrEmpty(token))
        {
            await Responses.ErrorAsync(context.Response, "invalid_request").ConfigureAwait(false);
            return;
        }

        // RFC 7009 §2.2: an invalid, unknown, expired or already revoked token is answered 200 like any other; the
        // token's shape tells the two kinds apart, so token_type_hint is not needed.
        bool done = RefreshToken.TryParse(token, out RefreshToken? refresh)
            ? await RevokeRefreshAsync(refresh, context).ConfigureAwait(false)
            : await RevokeAccessAsync(token, context).ConfigureAwait(false);
        if (!done)
        {
            await Responses.ErrorAsync(context.Response, "temporarily_unavailable", StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public Task JwksAsync(HttpContext context) => PublicJsonAsync(context, _keys.ExportJwks());

    public Task MetadataAsync(HttpContext context) => PublicJsonAsync(context, _metadata().ToJson());

    /// <summary>Public documents: cacheable and readable from any origin, like any published JWKS.</summary>
    private static async Task PublicJsonAsync(HttpContext context, string json)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The form of a token or revocation request (RFC 6749 §3.2, RFC 7009 §2.1); answers 400 itself when there is none.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        IFormCollection? form = null;
        if (HttpMethods.IsPost(context.Request.Method)
            && context.Request.ContentType is { } type
            && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                form = await context.Request.ReadFormAsync(s_form, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException or FormatException)
            {
                form = null;
            }
        }

        // §3.2: parameters sent without a value are treated as omitted; a parameter must not appear twice.
        if (form is null || form.Any(p => p.Value.Count > 1) || (context.Request.QueryString.HasValue))
        {
            await Responses.ErrorAsync(context.Response, "invalid_request").ConfigureAwait(false);
            return null;
        }

        return form;
    }

    private async Task WriteTokensAsync(HttpContext context, RefreshTokenResult result, string? keyThumbprint)
    {
        if (!result.IsSuccess || result.Session is null)
        {
            // Reuse, expiry, an unknown or malformed token and a dead session all look the same to the client.
            bool unavailable = result.Status is RefreshTokenStatus.StoreUnavailable or RefreshTokenStatus.RetryConflict;
            await Responses.ErrorAsync(context.Response, unavailable ? "temporarily_unavailable" : "invalid_grant", unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        // RFC 9449 §5: with a valid proof the access token is bound to its key (cnf.jkt) and of type DPoP. A bound
        // family was redeemed only with a proof by its own key, and the service already minted its token bound to it;
        // an unbound family stays unbound (a binding is made at issue), so the token it yields to a DPoP client is
        // minted here, bound all the same.
        string accessToken = keyThumbprint is not null && !string.Equals(result.KeyThumbprint, keyThumbprint, StringComparison.Ordinal)
            ? _issuer.Issue(AccessTokenRequest.ForSession(result.Session, clientId: null, scope: null, keyThumbprint))
            : result.AccessToken ?? _issuer.Issue(AccessTokenRequest.ForSession(result.Session, clientId: null, scope: null, keyThumbprint));
        string refreshToken = result.Token.Reveal();
        long expiresIn = (long)_issuer.Lifetime.TotalSeconds;
        await Responses.JsonAsync(context.Response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", accessToken);
            w.WriteString("token_type", keyThumbprint is null ? "Bearer" : "DPoP");
            w.WriteNumber("expires_in", expiresIn);
            w.WriteString("refresh_token", refreshToken);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Ends the grant of a refresh token: its family, and its session, so the access tokens minted from it fail online validation too (RFC 7009 §2.1).</summary>
    private async Task<bool> RevokeRefreshAsync(RefreshToken refresh, HttpContext context)
    {
        RefreshFamily? family;
        try
        {
            family = await _sessions.Store.FindRefreshFamilyByTokenAsync(refresh.Hash, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreException)
        {
            return false;
        }

        if (await _refresh.RevokeAsync(refresh.Reveal(), context.RequestAborted).ConfigureAwait(false) == SessionOperationStatus.StoreUnavailable)
        {
            return false;
        }

        return family is null || !family.Contains(refresh.Hash)
            || await _sessions.RevokeAsync(family.SessionId, RevocationReason.Logout, context.RequestAborted).ConfigureAwait(false) != SessionOperationStatus.StoreUnavailable;
    }

    private async Task<bool> RevokeAccessAsync(string token, HttpContext context)
    {
        // Bound (DPoP) tokens are read too: revoking one ends its session without asking for the key.
        AccessTokenValidationResult validation = _validator.ReadForRevocation(token);
        return !validation.TryGetValue(out AccessTokenClaims? claims) || claims.SessionId.IsEmpty
            || await _sessions.RevokeAsync(claims.SessionId, RevocationReason.Logout, context.RequestAborted).ConfigureAwait(false) != SessionOperationStatus.StoreUnavailable;
    }
}
