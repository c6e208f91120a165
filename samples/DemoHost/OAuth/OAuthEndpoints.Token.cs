using System;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Samples.DemoHost.OAuth;

// The token endpoint: the password grant (RFC 6749 §4.3) and the refresh grant (§6), each optionally with a DPoP
// proof (RFC 9449 §5) that binds the grant's refresh family and its access tokens to the client's key.
internal sealed partial class OAuthEndpoints
{
    private async Task TokenAsync(RequestContext context)
    {
        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return;
        }

        (bool refused, string? keyThumbprint) = await CheckTokenRequestProofAsync(context);
        if (refused)
        {
            return;
        }

        switch (form["grant_type"])
        {
            case null or "":
                await OAuthErrorAsync(context, "invalid_request");
                return;
            case "password":
                await PasswordGrantAsync(context, form, keyThumbprint);
                return;
            case "refresh_token":
                await RefreshGrantAsync(context, form, keyThumbprint);
                return;
            default:
                await OAuthErrorAsync(context, "unsupported_grant_type");
                return;
        }
    }

    /// <summary>
    /// Validates the token request's DPoP proof, if any (RFC 9449 §5): its key's thumbprint, or the error already written
    /// (400 <c>invalid_dpop_proof</c>, or <c>use_dpop_nonce</c> with the nonce to retry with, §8). A request without a
    /// proof is a bearer client, refused when the host requires DPoP.
    /// </summary>
    private async Task<(bool Refused, string? KeyThumbprint)> CheckTokenRequestProofAsync(RequestContext context)
    {
        HeaderValueResult header = DpopHeaderParser.Parse(context.HeaderValues(DpopHeaderNames.Dpop));
        if (header.Status == HeaderValueStatus.NotFound && !_services.Settings.RequireDpop)
        {
            return (false, null);
        }

        DpopProofStatus status = header.Status switch
        {
            HeaderValueStatus.Found => DpopProofStatus.Valid,
            HeaderValueStatus.NotFound => DpopProofStatus.Missing,
            _ => DpopProofStatus.Malformed,
        };
        string? nonce = null;
        if (header.TryGetValue(out string? proofText))
        {
            DpopProofValidationResult result = await _services.Dpop.ValidateAsync(
                new DpopProofRequest { Proof = proofText, Method = context.Method, TargetUri = new Uri(_services.Settings.BaseUri, "/oauth/token").AbsoluteUri },
                context.CancellationToken);
            nonce = result.NextNonce;
            status = result.Status;
            if (result.TryGetValue(out DpopProof? proof))
            {
                context.SetHeader(DpopHeaderNames.DpopNonce, nonce ?? _services.Dpop.CreateNonce());
                return (false, proof.KeyThumbprint);
            }
        }

        context.SetHeader(DpopHeaderNames.DpopNonce, nonce ?? _services.Dpop.CreateNonce());
        Log.Write($"refused DPoP proof at the token endpoint ({status}) from {context.RemoteAddress}");
        if (status == DpopProofStatus.StoreUnavailable)
        {
            await OAuthErrorAsync(context, "temporarily_unavailable", 503);
        }
        else
        {
            // A key that is not the family's shows at the redemption (invalid_grant); here only nonce or proof errors.
            DpopChallengeError error = DpopChallenge.ErrorFor(status) == DpopChallengeError.UseDpopNonce ? DpopChallengeError.UseDpopNonce : DpopChallengeError.InvalidDpopProof;
            await OAuthErrorAsync(context, DpopChallenge.ErrorCode(error));
        }

        return (true, null);
    }

    private async Task PasswordGrantAsync(RequestContext context, FormData form, string? keyThumbprint)
    {
        string? userName = form["username"];
        string? password = form["password"];
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || !OAuthGrant.TryReadClientId(form["client_id"], out string clientId))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        if (!OAuthGrant.TryReadScope(form["scope"], granted: null, out string scope))
        {
            await OAuthErrorAsync(context, "invalid_scope");
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
        OAuthGrant grant = new(clientId, scope);
        SignInResult signIn = await _services.Sessions.SignInAsync(
            new SignInRequest(userName) { Client = new ClientInfo(context.Header("User-Agent"), _services.ClientAddressOf(context), null), Data = grant.ToData("password") },
            context.CancellationToken);
        if (!signIn.IsSuccess)
        {
            bool refused = signIn.Status is SignInStatus.LimitReached or SignInStatus.RefusedByRisk;
            await OAuthErrorAsync(context, refused ? "invalid_grant" : "temporarily_unavailable", refused ? 400 : 503);
            return;
        }

        RefreshTokenResult issued = await _services.RefreshTokens.IssueAsync(signIn.Token, new RefreshTokenBinding(KeyThumbprint: keyThumbprint), context.CancellationToken);
        await WriteTokensAsync(context, issued, grant, grant.Scope, keyThumbprint);
    }

    private async Task RefreshGrantAsync(RequestContext context, FormData form, string? keyThumbprint)
    {
        string? presented = form["refresh_token"];
        if (string.IsNullOrEmpty(presented) || !OAuthGrant.TryReadClientId(form["client_id"], out string clientId))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        // RFC 6749 §6: the refresh token must have been issued to this client, and the scope may only narrow.
        // Both are checked before the redemption, so a refused request spends nothing.
        OAuthGrant? grant = null;
        if (RefreshToken.TryParse(presented, out RefreshToken? refresh))
        {
            (bool storeFailed, grant) = await FindGrantAsync(refresh, context);
            if (storeFailed)
            {
                await OAuthErrorAsync(context, "temporarily_unavailable", 503);
                return;
            }

            if (grant is not null && form["client_id"] is not null && !string.Equals(grant.ClientId, clientId, StringComparison.Ordinal))
            {
                Log.Write($"refresh token presented for another client from {context.RemoteAddress}");
                await OAuthErrorAsync(context, "invalid_grant");
                return;
            }
        }

        if (!OAuthGrant.TryReadScope(form["scope"], grant?.Scope ?? OAuthGrant.ProfileScope, out string scope))
        {
            await OAuthErrorAsync(context, "invalid_scope");
            return;
        }

        // A family bound to a key is redeemed only with a proof by that key; without it nothing changes (not even
        // a reuse revocation), and the client sees invalid_grant like any other refusal.
        RefreshTokenResult result = await _services.RefreshTokens.RedeemAsync(presented, new RefreshTokenBinding(KeyThumbprint: keyThumbprint), context.CancellationToken);
        if (result.Status == RefreshTokenStatus.Reused)
        {
            // Reuse of a spent token, or a token of a revoked grant: the event line just written says which.
            Log.Write($"spent or revoked refresh token from {context.RemoteAddress}: the family and its session are revoked");
        }
        else if (result.Status == RefreshTokenStatus.BindingMismatch)
        {
            Log.Write($"refresh token of a DPoP-bound grant without a proof by its key from {context.RemoteAddress}: refused, nothing changed");
        }

        await WriteTokensAsync(context, result, grant, scope, keyThumbprint);
    }

    /// <summary>The client and scope of the grant a refresh token belongs to; <see langword="null"/> when the store knows no such token or session.</summary>
    private async Task<(bool StoreFailed, OAuthGrant? Grant)> FindGrantAsync(RefreshToken refresh, RequestContext context)
    {
        try
        {
            RefreshFamily? family = await _services.Store.FindRefreshFamilyByTokenAsync(refresh.Hash, context.CancellationToken);
            Session? session = family is not null && family.Contains(refresh.Hash) ? await _services.Store.FindAsync(family.SessionId, context.CancellationToken) : null;
            return (false, session is null ? null : OAuthGrant.FromSession(session));
        }
        catch (SessionStoreException)
        {
            return (true, null);
        }
    }

    /// <summary>Answers a successful grant with a new access token for the grant's client and the given scope; any failure with its error.</summary>
    private Task WriteTokensAsync(RequestContext context, RefreshTokenResult result, OAuthGrant? grant, string scope, string? keyThumbprint)
    {
        if (!result.IsSuccess || result.Session is null)
        {
            // Reuse, expiry, an unknown or malformed token and a dead session all look the same to the client.
            return result.Status is RefreshTokenStatus.StoreUnavailable or RefreshTokenStatus.RetryConflict
                ? OAuthErrorAsync(context, "temporarily_unavailable", 503)
                : OAuthErrorAsync(context, "invalid_grant");
        }

        // RFC 6749 §5.1: Cache-Control: no-store and Pragma: no-cache (set on every response by the server),
        // token_type, expires_in, and the scope (always sent: it may differ from what was requested).
        string clientId = (grant ?? OAuthGrant.FromSession(result.Session)).ClientId;
        // RFC 9449 §5: with a valid proof the access token is bound to its key (cnf.jkt) and of type DPoP.
        string accessToken = _services.AccessTokens.Issue(AccessTokenRequest.ForSession(result.Session, clientId, scope, keyThumbprint));
        string refreshToken = result.Token.Reveal();
        long expiresIn = (long)_services.AccessTokens.Lifetime.TotalSeconds;
        return context.WriteJsonAsync(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", accessToken);
            w.WriteString("token_type", keyThumbprint is null ? "Bearer" : "DPoP");
            w.WriteNumber("expires_in", expiresIn);
            w.WriteString("refresh_token", refreshToken);
            w.WriteString("scope", scope);
            w.WriteEndObject();
        });
    }
}
