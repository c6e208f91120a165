using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Samples.DemoHost.OAuth;

/// <summary>
/// API tokens in OAuth 2.0 shapes for public clients: the token endpoint (RFC 6749 §4.3 password and §6 refresh
/// grants, errors per §5.2), revocation (RFC 7009), a bearer-protected resource (RFC 6750) and the JWKS.
/// </summary>
internal sealed class OAuthEndpoints
{
    private const string Realm = "DemoHost";
    private static readonly Dictionary<string, string> s_apiGrant = new(StringComparer.Ordinal) { ["grant"] = "password" };
    private readonly DemoServices _services;

    public OAuthEndpoints(DemoServices services) => _services = services;

    public void Map(Router router) =>
        router.Post("/oauth/token", TokenAsync)
            .Post("/oauth/revoke", RevokeAsync)
            .Get("/api/me", MeAsync)
            .Get("/.well-known/jwks.json", JwksAsync);

    private static Task OAuthErrorAsync(RequestContext context, string error, int status = 400) =>
        context.WriteJsonAsync(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteEndObject();
        });

    private static Task ChallengeAsync(RequestContext context, int status, string? error)
    {
        // RFC 6750 §3: no error code when the request carried no credentials at all.
        context.SetHeader("WWW-Authenticate", error is null ? $"Bearer realm=\"{Realm}\"" : $"Bearer realm=\"{Realm}\", error=\"{error}\"");
        return OAuthErrorAsync(context, error ?? "not_authenticated", status);
    }

    private async Task TokenAsync(RequestContext context)
    {
        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return;
        }

        switch (form["grant_type"])
        {
            case null or "":
                await OAuthErrorAsync(context, "invalid_request");
                return;
            case "password":
                await PasswordGrantAsync(context, form);
                return;
            case "refresh_token":
                await RefreshGrantAsync(context, form);
                return;
            default:
                await OAuthErrorAsync(context, "unsupported_grant_type");
                return;
        }
    }

    private async Task PasswordGrantAsync(RequestContext context, FormData form)
    {
        string? userName = form["username"];
        string? password = form["password"];
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        CredentialCheck check = _services.Users.Check(userName, password);
        if (check == CredentialCheck.LockedOut)
        {
            await context.WriteLockedOutAsync(SignInThrottle.Window);
            return;
        }

        if (check != CredentialCheck.Valid)
        {
            Log.Write($"failed password grant from {context.RemoteAddress}");
            await OAuthErrorAsync(context, "invalid_grant");
            return;
        }

        // The grant is a server-side session like a browser's; its token is never handed out, the refresh
        // token family is bound to it, and the access tokens name it in "sid".
        SignInResult signIn = await _services.Sessions.SignInAsync(
            new SignInRequest(userName) { Client = new ClientInfo(context.Header("User-Agent"), _services.ClientAddressOf(context), null), Data = s_apiGrant },
            context.CancellationToken);
        if (!signIn.IsSuccess)
        {
            bool refused = signIn.Status is SignInStatus.LimitReached or SignInStatus.RefusedByRisk;
            await OAuthErrorAsync(context, refused ? "invalid_grant" : "temporarily_unavailable", refused ? 400 : 503);
            return;
        }

        RefreshTokenResult issued = await _services.RefreshTokens.IssueAsync(signIn.Token, cancellationToken: context.CancellationToken);
        await WriteTokensAsync(context, issued);
    }

    private async Task RefreshGrantAsync(RequestContext context, FormData form)
    {
        string? presented = form["refresh_token"];
        if (string.IsNullOrEmpty(presented))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        RefreshTokenResult result = await _services.RefreshTokens.RedeemAsync(presented, cancellationToken: context.CancellationToken);
        if (result.Status == RefreshTokenStatus.Reused)
        {
            // Reuse of a spent token, or a token of a revoked grant: the event line just written says which.
            Log.Write($"spent or revoked refresh token from {context.RemoteAddress}: the family and its session are revoked");
        }

        await WriteTokensAsync(context, result);
    }

    private Task WriteTokensAsync(RequestContext context, RefreshTokenResult result)
    {
        if (!result.IsSuccess || result.AccessToken is null)
        {
            // Reuse, expiry, an unknown or malformed token and a dead session all look the same to the client.
            return result.Status is RefreshTokenStatus.StoreUnavailable or RefreshTokenStatus.RetryConflict
                ? OAuthErrorAsync(context, "temporarily_unavailable", 503)
                : OAuthErrorAsync(context, "invalid_grant");
        }

        // RFC 6749 §5.1: Cache-Control: no-store and Pragma: no-cache (set on every response by the server).
        string accessToken = result.AccessToken;
        string refreshToken = result.Token.Reveal();
        long expiresIn = (long)_services.AccessTokens.Lifetime.TotalSeconds;
        return context.WriteJsonAsync(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", accessToken);
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", expiresIn);
            w.WriteString("refresh_token", refreshToken);
            w.WriteEndObject();
        });
    }

    private async Task RevokeAsync(RequestContext context)
    {
        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return;
        }

        string? token = form["token"];
        if (string.IsNullOrEmpty(token))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        // RFC 7009 §2.2: an invalid, unknown or already revoked token is answered 200 like any other; the hint
        // (token_type_hint) is optional and the token's shape tells the two kinds apart anyway.
        bool storeFailed = RefreshToken.TryParse(token, out RefreshToken? refresh)
            ? await RevokeRefreshAsync(refresh, context)
            : await RevokeAccessAsync(token, context);
        if (storeFailed)
        {
            await OAuthErrorAsync(context, "temporarily_unavailable", 503);
            return;
        }

        await context.WriteStatusAsync(200);
    }

    private async Task<bool> RevokeRefreshAsync(RefreshToken refresh, RequestContext context)
    {
        // Revoking a refresh token ends the grant: its family, and the session, so that the access tokens
        // minted from it stop passing online validation too (RFC 7009 §2.1 "SHOULD also invalidate").
        RefreshFamily? family;
        try
        {
            family = await _services.Store.FindRefreshFamilyByTokenAsync(refresh.Hash, context.CancellationToken);
        }
        catch (SessionStoreException)
        {
            return true;
        }

        SessionOperationStatus status = await _services.RefreshTokens.RevokeAsync(refresh.Reveal(), context.CancellationToken);
        if (status == SessionOperationStatus.StoreUnavailable)
        {
            return true;
        }

        if (family is not null && family.Contains(refresh.Hash))
        {
            return await _services.Sessions.RevokeAsync(family.SessionId, RevocationReason.Logout, context.CancellationToken) == SessionOperationStatus.StoreUnavailable;
        }

        return false;
    }

    private async Task<bool> RevokeAccessAsync(string token, RequestContext context)
    {
        AccessTokenValidationResult validation = await _services.AccessTokenValidator.ValidateAsync(token, context.CancellationToken);
        if (validation.Status == AccessTokenValidationStatus.StoreUnavailable)
        {
            return true;
        }

        if (validation.TryGetValue(out AccessTokenClaims? claims) && !claims.SessionId.IsEmpty)
        {
            return await _services.Sessions.RevokeAsync(claims.SessionId, RevocationReason.Logout, context.CancellationToken) == SessionOperationStatus.StoreUnavailable;
        }

        return false;
    }

    private async Task MeAsync(RequestContext context)
    {
        HeaderValueResult bearer = BearerTokenParser.Parse(context.Header("Authorization"));
        switch (bearer.Status)
        {
            case HeaderValueStatus.Found:
                break;
            case HeaderValueStatus.NotFound or HeaderValueStatus.OtherScheme:
                await ChallengeAsync(context, 401, null);
                return;
            default:
                await ChallengeAsync(context, 400, "invalid_request");
                return;
        }

        AccessTokenValidationResult result = await _services.AccessTokenValidator.ValidateAsync(bearer.Value, context.CancellationToken);
        if (result.Status == AccessTokenValidationStatus.StoreUnavailable)
        {
            await OAuthErrorAsync(context, "temporarily_unavailable", 503);
            return;
        }

        if (!result.TryGetValue(out AccessTokenClaims? claims))
        {
            Log.Write($"refused bearer token ({result.Status}) from {context.RemoteAddress}");
            await ChallengeAsync(context, 401, "invalid_token");
            return;
        }

        // The validated claims set, as signed (sub, sid, sc_epoch, iss, aud, exp, iat, nbf, jti).
        await context.WriteJsonAsync(200, w => w.WriteRawValue(claims.Payload.Span));
    }

    private Task JwksAsync(RequestContext context)
    {
        // Public key material only; cacheable and readable from any origin, like any published JWKS.
        context.SetHeader("Cache-Control", "public, max-age=300");
        context.RemoveHeader("Pragma");
        context.SetHeader("Access-Control-Allow-Origin", "*");
        context.SetHeader("Cross-Origin-Resource-Policy", "cross-origin");
        return context.WriteTextAsync(200, "application/json; charset=utf-8", _services.KeyRing.ExportJwks());
    }
}
