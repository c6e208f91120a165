using System.Threading.Tasks;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Samples.DemoHost.Hosting;

namespace SessionCore.Samples.DemoHost.OAuth;

// The bearer-protected resource (RFC 6750): GET /api/me needs the "profile" scope.
internal sealed partial class OAuthEndpoints
{
    private static Task ChallengeAsync(RequestContext context, int status, string? error, string? scope = null)
    {
        // RFC 6750 §3: no error code when the request carried no credentials at all; the scope a refusal for
        // insufficient_scope would have needed.
        string challenge = error is null ? $"Bearer realm=\"{Realm}\"" : $"Bearer realm=\"{Realm}\", error=\"{error}\"";
        context.SetHeader("WWW-Authenticate", scope is null ? challenge : $"{challenge}, scope=\"{scope}\"");
        return OAuthErrorAsync(context, error ?? "not_authenticated", status);
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

        if (!claims.HasScope(OAuthGrant.ProfileScope))
        {
            await ChallengeAsync(context, 403, "insufficient_scope", OAuthGrant.ProfileScope);
            return;
        }

        // The validated claims set, as signed (iss, sub, aud, exp, iat, nbf, jti, client_id, scope, auth_time,
        // sid, sc_epoch).
        await context.WriteJsonAsync(200, w => w.WriteRawValue(claims.Payload.Span));
    }
}
