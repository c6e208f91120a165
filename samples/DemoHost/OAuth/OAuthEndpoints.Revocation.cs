using System;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Samples.DemoHost.OAuth;

// Token revocation (RFC 7009): either kind of token ends its whole grant.
internal sealed partial class OAuthEndpoints
{
    private async Task RevokeAsync(RequestContext context)
    {
        FormData? form = await context.ReadFormAsync();
        if (form is null)
        {
            return;
        }

        string? token = form["token"];
        if (string.IsNullOrEmpty(token) || !OAuthGrant.TryReadClientId(form["client_id"], out string clientId))
        {
            await OAuthErrorAsync(context, "invalid_request");
            return;
        }

        // RFC 7009 §2.2: an invalid, unknown, expired or already revoked token is answered 200 like any other; the
        // hint (token_type_hint) is optional and the token's shape tells the two kinds apart anyway. §2.1: a token
        // issued to another client than the one named is refused, and stays valid.
        string? claimedClient = form["client_id"] is null ? null : clientId;
        RevocationOutcome outcome = RefreshToken.TryParse(token, out RefreshToken? refresh)
            ? await RevokeRefreshAsync(refresh, claimedClient, context)
            : await RevokeAccessAsync(token, claimedClient, context);
        switch (outcome)
        {
            case RevocationOutcome.StoreFailed:
                await OAuthErrorAsync(context, "temporarily_unavailable", 503);
                return;
            case RevocationOutcome.OtherClient:
                Log.Write($"revocation of another client's token refused from {context.RemoteAddress}");
                await OAuthErrorAsync(context, "invalid_grant");
                return;
            default:
                await context.WriteStatusAsync(200);
                return;
        }
    }

    private async Task<RevocationOutcome> RevokeRefreshAsync(RefreshToken refresh, string? claimedClient, RequestContext context)
    {
        // Revoking a refresh token ends the grant: its family, and the session, so that the access tokens
        // minted from it stop passing online validation too (RFC 7009 §2.1 "SHOULD also invalidate").
        RefreshFamily? family;
        Session? session;
        try
        {
            family = await _services.Store.FindRefreshFamilyByTokenAsync(refresh.Hash, context.CancellationToken);
            session = family is not null && family.Contains(refresh.Hash) ? await _services.Store.FindAsync(family.SessionId, context.CancellationToken) : null;
        }
        catch (SessionStoreException)
        {
            return RevocationOutcome.StoreFailed;
        }

        if (session is not null && claimedClient is not null && !string.Equals(OAuthGrant.FromSession(session).ClientId, claimedClient, StringComparison.Ordinal))
        {
            return RevocationOutcome.OtherClient;
        }

        SessionOperationStatus status = await _services.RefreshTokens.RevokeAsync(refresh.Reveal(), context.CancellationToken);
        if (status == SessionOperationStatus.StoreUnavailable)
        {
            return RevocationOutcome.StoreFailed;
        }

        if (family is not null && family.Contains(refresh.Hash))
        {
            return await _services.Sessions.RevokeAsync(family.SessionId, RevocationReason.Logout, context.CancellationToken) == SessionOperationStatus.StoreUnavailable
                ? RevocationOutcome.StoreFailed
                : RevocationOutcome.Done;
        }

        return RevocationOutcome.Done;
    }

    private async Task<RevocationOutcome> RevokeAccessAsync(string token, string? claimedClient, RequestContext context)
    {
        // Bound (DPoP) tokens are read too: revoking one ends its session without asking for the key.
        AccessTokenValidationResult validation = _services.AccessTokenValidator.ReadForRevocation(token);
        if (!validation.TryGetValue(out AccessTokenClaims? claims) || claims.SessionId.IsEmpty)
        {
            return RevocationOutcome.Done;
        }

        if (claimedClient is not null && !string.Equals(claims.ClientId, claimedClient, StringComparison.Ordinal))
        {
            return RevocationOutcome.OtherClient;
        }

        return await _services.Sessions.RevokeAsync(claims.SessionId, RevocationReason.Logout, context.CancellationToken) == SessionOperationStatus.StoreUnavailable
            ? RevocationOutcome.StoreFailed
            : RevocationOutcome.Done;
    }

    private enum RevocationOutcome
    {
        Done,
        StoreFailed,
        OtherClient,
    }
}
