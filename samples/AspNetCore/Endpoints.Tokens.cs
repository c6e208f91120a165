using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;

namespace SessionCore.Samples.AspNetCore;

/// <summary>
/// Tokens for API clients: a signed-in page asks for an access and a refresh token (POST /token), the
/// client calls APIs with the access token as a Bearer header (GET /api/profile), and trades its refresh
/// token for new ones in a POST body (POST /token/refresh). Never a token in a URL.
/// </summary>
internal static class TokenEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/token", IssueAsync);
        app.MapPost("/token/refresh", RefreshAsync);
        app.MapGet("/api/profile", ProfileAsync);
        app.MapGet("/.well-known/jwks.json", (SigningKeyRing keys) => Results.Text(keys.ExportJwks(), "application/jwk-set+json"));
    }

    private static async Task<IResult> IssueAsync(HttpContext context, RefreshTokenService refresh, AccessTokenIssuer issuer)
    {
        // The middleware has checked the session cookie and the CSRF header already.
        if (context.GetSession() is not { } current)
        {
            return Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "no valid session cookie");
        }

        // Here the grant is the session cookie itself: if the session died meanwhile, the caller is unauthenticated.
        RefreshTokenResult result = await refresh.IssueAsync(current.Token, cancellationToken: context.RequestAborted);
        return Tokens(result, issuer, StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest request, RefreshTokenService refresh, AccessTokenIssuer issuer, HttpContext context)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Reply.Error(StatusCodes.Status400BadRequest, "invalid_request", "a refreshToken is required in the request body");
        }

        // A reused token revokes its whole family and session (and raises RefreshTokenReuseDetected): the answer
        // is the same 400 invalid_grant (RFC 6749 section 5.2) as for any other bad token, so a thief learns nothing from it.
        RefreshTokenResult result = await refresh.RedeemAsync(request.RefreshToken, cancellationToken: context.RequestAborted);
        return Tokens(result, issuer, StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ProfileAsync(HttpContext context, AccessTokenValidator validator)
    {
        HeaderValueResult bearer = BearerTokenParser.Parse(context.Request.Headers.Authorization.ToString());
        if (!bearer.TryGetValue(out string? token))
        {
            // RFC 6750 section 3.1: a header that breaks the grammar is a bad request; no credentials at all
            // (or another scheme) is a plain challenge.
            if (bearer.Status is HeaderValueStatus.Malformed or HeaderValueStatus.TooLarge)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_request\"";
                return Reply.Error(StatusCodes.Status400BadRequest, "invalid_request", "the Authorization header is malformed");
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Reply.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "an access token is required in the Authorization header");
        }

        // Online validation: the session and the user's security epoch are checked in the store. Why a token
        // fails (expired, revoked, forged, ...) is not told to the caller.
        AccessTokenValidationResult validation = await validator.ValidateAsync(token, context.RequestAborted);
        if (!validation.TryGetValue(out AccessTokenClaims? claims))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Reply.Error(StatusCodes.Status401Unauthorized, "invalid_token", "the access token is not accepted");
        }

        return Results.Json(new { user = claims.Subject, expiresAt = claims.ExpiresAt, issuer = claims.Issuer });
    }

    private static IResult Tokens(RefreshTokenResult result, AccessTokenIssuer issuer, int failureStatus)
    {
        if (result.Status == RefreshTokenStatus.StoreUnavailable)
        {
            return Reply.Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "tokens cannot be issued right now");
        }

        if (!result.IsSuccess || result.AccessToken is null)
        {
            return Reply.Error(failureStatus, "invalid_grant", "the refresh token or session is not valid");
        }

        // RFC 6749 section 5.1 field names.
        return Results.Json(new
        {
            access_token = result.AccessToken,
            token_type = "Bearer",
            expires_in = (long)issuer.Lifetime.TotalSeconds,
            refresh_token = result.Value.Reveal(),
        });
    }
}

/// <summary>The body of <c>POST /token/refresh</c>.</summary>
internal sealed record RefreshRequest(string? RefreshToken);
