using System;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Jwt;
using SessionCore.Samples.DemoHost.Hosting;

namespace SessionCore.Samples.DemoHost.OAuth;

// The protected resource: GET /api/me needs the "profile" scope. DPoP-bound tokens with a proof by their key
// (RFC 9449 §7), and bearer tokens (RFC 6750) unless --require-dpop; the answers' shape comes from the library.
internal sealed partial class OAuthEndpoints
{
    private async Task MeAsync(RequestContext context)
    {
        ResourceAccessResult result = await _services.ApiAccess.ValidateAsync(
            new ResourceAccessRequest
            {
                Authorization = context.Header("Authorization"),
                DpopHeaders = context.HeaderValues(DpopHeaderNames.Dpop),
                Method = context.Method,
                TargetUri = new Uri(_services.Settings.BaseUri, "/api/me").AbsoluteUri,
                RequiredScope = OAuthGrant.ProfileScope,
            },
            context.CancellationToken);
        if (result.DpopNonce is not null)
        {
            context.SetHeader(DpopHeaderNames.DpopNonce, result.DpopNonce);
        }

        if (!result.TryGetValue(out AccessTokenClaims? claims))
        {
            if (result.Status == ResourceAccessStatus.StoreUnavailable)
            {
                await OAuthErrorAsync(context, "temporarily_unavailable", 503);
                return;
            }

            if (result.Status is not (ResourceAccessStatus.NoCredentials or ResourceAccessStatus.NonceRequired))
            {
                Log.Write($"refused API request ({result.Status}, token {result.TokenStatus}, proof {result.ProofStatus}) from {context.RemoteAddress}");
            }

            context.SetHeader(DpopHeaderNames.WwwAuthenticate, result.WwwAuthenticate!);
            await OAuthErrorAsync(context, result.Error == DpopChallengeError.None ? "not_authenticated" : DpopChallenge.ErrorCode(result.Error), result.StatusCode);
            return;
        }

        // The validated claims set, as signed (iss, sub, aud, exp, iat, nbf, jti, client_id, scope, auth_time,
        // sid, sc_epoch, and cnf for a bound token).
        await context.WriteJsonAsync(200, w => w.WriteRawValue(claims.Payload.Span));
    }
}
