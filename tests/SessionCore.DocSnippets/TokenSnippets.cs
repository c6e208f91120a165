using System;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.DocSnippets;

/// <summary>The code of concepts/jwt.md and concepts/rotation.md.</summary>
public static class TokenSnippets
{
    public static async Task<(string Jwt, AccessTokenValidationStatus Status, string Jwks)> AccessTokensAsync(SessionManager manager, Session session)
    {
        #region snippet_AccessTokens
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        SigningKeyRing ring = new(key, manager.TimeProvider);
        AccessTokenBuilder tokens = new()
        {
            KeyRing = ring,
            Store = manager.Store,                       // online validation (the default) reads the session
            TimeProvider = manager.TimeProvider,
            Options = new AccessTokenOptions { Issuer = "https://login.example", Audience = "api", DefaultClientId = "web" },
        };
        AccessTokenIssuer issuer = tokens.BuildIssuer();
        AccessTokenValidator validator = tokens.BuildValidator();

        string jwt = issuer.Issue(AccessTokenRequest.ForSession(session));   // sub, sid, sc_epoch from the session
        AccessTokenValidationResult result = await validator.ValidateAsync(jwt);
        if (result.TryGetValue(out AccessTokenClaims? claims))
        {
            Console.WriteLine($"{claims.Subject} until {claims.ExpiresAt}");
        }

        string jwks = ring.ExportJwks();                 // public keys only, for other verifiers
        #endregion
        return (jwt, result.Status, jwks);
    }

    public static async Task<(RefreshTokenResult Issued, RefreshTokenResult Next)> RefreshRotationAsync(
        SessionManager manager, AccessTokenIssuer accessTokens, SessionToken sessionToken)
    {
        #region snippet_RefreshRotation
        using RefreshTokenService refresh = new(manager, new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(10) }, accessTokens);

        RefreshTokenResult issued = await refresh.IssueAsync(sessionToken);       // after sign-in
        string presentedRefreshToken = issued.Value.Reveal();                   // what the client sends back later

        RefreshTokenResult next = await refresh.RedeemAsync(presentedRefreshToken); // on every refresh
        if (next.TryGetValue(out RefreshToken? token))
        {
            // send token.Reveal() (the new refresh token) and next.AccessToken (a fresh JWT) to the client
        }
        else
        {
            // next.Status: Malformed, NotFound, Reused, Expired, SessionNotLive, RetryConflict or StoreUnavailable
        }
        #endregion
        return (issued, next);
    }
}
