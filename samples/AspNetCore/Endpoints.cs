using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionCore.AspNetCore;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Sessions;

namespace SessionCore.Samples.AspNetCore;

/// <summary>The sample's own endpoints: sign-in, who am I, step-up, sign-out, and tokens for API clients.</summary>
internal static class Endpoints
{
    public const string ApiPolicy = "api";

    public static void Map(WebApplication app, string origin)
    {
        // Login CSRF: a cross-site form must not sign the browser in to the attacker's account.
        app.MapPost("/login", LoginAsync).RequireSameOrigin();
        app.MapGet("/me", Me).RequireAuthorization();
        app.MapPost("/elevate", ElevateAsync).RequireAuthorization();
        app.MapPost("/logout", (Delegate)LogoutAsync).RequireAuthorization();
        app.MapPost("/token", (HttpContext context, RefreshTokenService refresh, AccessTokenIssuer issuer, DpopProofValidator dpop) =>
            IssueTokensAsync(context, refresh, issuer, dpop, origin + "/token")).RequireAuthorization();
        app.MapGet("/api/profile", (HttpContext context) => Results.Json(new
        {
            user = context.User.FindFirst(SessionCoreClaimTypes.Subject)?.Value,
            clientId = context.User.FindFirst(SessionCoreClaimTypes.ClientId)?.Value,
            keyThumbprint = context.User.FindFirst(SessionCoreClaimTypes.ConfirmationThumbprint)?.Value,   // DPoP-bound tokens only
        })).RequireAuthorization(ApiPolicy);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, Credentials credentials)
    {
        if (!DemoUsers.Verify(credentials.User, credentials.Password))
        {
            return Error(StatusCodes.Status401Unauthorized, "credentials");
        }

        // A fresh session; whatever session cookie the browser sent is revoked, never adopted (fixation).
        SignInResult signIn = await context.SignInSessionAsync(credentials.User!, authenticationMethods: ["pwd"]);
        if (!signIn.IsSuccess)
        {
            return Error(signIn.Status == SignInStatus.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status409Conflict, signIn.Status.ToString());
        }

        return Results.Json(new { user = signIn.Session!.UserId, authenticationLevel = signIn.Session.AuthenticationLevel, newDevice = signIn.IsNewDevice, csrfToken = context.GetCsrfToken() });
    }

    private static IResult Me(HttpContext context)
    {
        Session s = context.GetSession()!;
        return Results.Json(new
        {
            user = s.UserId,
            authenticationLevel = s.AuthenticationLevel,
            authenticatedAt = s.AuthenticatedAt,
            expiresAt = s.IdleExpiresAt < s.AbsoluteExpiresAt ? s.IdleExpiresAt : s.AbsoluteExpiresAt,
            device = s.Device?.UserAgent,
            csrfToken = context.GetCsrfToken(),   // masked afresh on every response (BREACH)
        });
    }

    private static async Task<IResult> ElevateAsync(HttpContext context, Credentials credentials)
    {
        // Step-up: the user proves who they are again (here the password; in practice a second factor).
        if (!DemoUsers.Verify(context.GetSession()!.UserId, credentials.Password))
        {
            return Error(StatusCodes.Status401Unauthorized, "credentials");
        }

        // A privilege change always changes the token: the old cookie (and its CSRF token) stop working at once.
        SessionRegenerationResult stepUp = await context.RegenerateSessionAsync(new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
        return stepUp.IsSuccess
            ? Results.Json(new { user = stepUp.Session!.UserId, authenticationLevel = stepUp.Session.AuthenticationLevel, csrfToken = context.GetCsrfToken() })
            : Error(stepUp.Status == SessionRegenerationStatus.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized, "unauthenticated");
    }

    private static async Task<IResult> LogoutAsync(HttpContext context) =>
        await context.SignOutSessionAsync() == SessionOperationStatus.StoreUnavailable
            ? Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable")
            : Results.NoContent();

    /// <summary>
    /// A signed-in page asks for API tokens; the session itself is the grant. Refresh them at /oauth/token. With a DPoP
    /// proof (RFC 9449 §5) the refresh family and its access tokens are bound to the client's key.
    /// </summary>
    private static async Task<IResult> IssueTokensAsync(HttpContext context, RefreshTokenService refresh, AccessTokenIssuer issuer, DpopProofValidator dpop, string endpoint)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        string? keyThumbprint = null;
        HeaderValueResult header = DpopHeaderParser.Parse((IReadOnlyList<string?>)context.Request.Headers[DpopHeaderNames.Dpop]);
        if (header.Status != HeaderValueStatus.NotFound)
        {
            // Two DPoP fields or a malformed one reach the validator as no proof at all: refused, with a nonce.
            DpopProofRequest request = new() { Proof = header.IsSuccess ? header.Value : null, Method = context.Request.Method, TargetUri = endpoint };
            DpopProofValidationResult proof = await dpop.ValidateAsync(request, context.RequestAborted);
            context.Response.Headers[DpopHeaderNames.DpopNonce] = proof.NextNonce;
            if (!proof.TryGetValue(out DpopProof? valid))
            {
                // RFC 9449 §8: use_dpop_nonce (retry with the DPoP-Nonce value) or invalid_dpop_proof.
                DpopChallengeError error = DpopChallenge.ErrorFor(proof.Status);
                return proof.Status == DpopProofStatus.StoreUnavailable
                    ? Error(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable")
                    : Error(StatusCodes.Status400BadRequest, DpopChallenge.ErrorCode(error == DpopChallengeError.UseDpopNonce ? error : DpopChallengeError.InvalidDpopProof));
            }

            keyThumbprint = valid.KeyThumbprint;
        }

        RefreshTokenResult result = await refresh.IssueAsync(context.GetSessionFeature()!.Token!, new RefreshTokenBinding(KeyThumbprint: keyThumbprint), context.RequestAborted);
        if (!result.IsSuccess || result.AccessToken is null)
        {
            return Error(result.Status == RefreshTokenStatus.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized, "invalid_grant");
        }

        // RFC 6749 section 5.1 field names.
        return Results.Json(new { access_token = result.AccessToken, token_type = keyThumbprint is null ? "Bearer" : "DPoP", expires_in = (long)issuer.Lifetime.TotalSeconds, refresh_token = result.Value.Reveal() });
    }

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}

/// <summary>The body of <c>POST /login</c> and <c>POST /elevate</c>.</summary>
internal sealed record Credentials(string? User, string? Password);
