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

    public static (string Metadata, string Jwt) RsaTokensWithMetadata(Session session)
    {
        #region snippet_RsaTokensWithMetadata
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Rs256);   // 3072 bits; PS256 likewise
        SigningKeyRing ring = new(key);
        AccessTokenIssuer issuer = new AccessTokenBuilder
        {
            KeyRing = ring,
            Options = new AccessTokenOptions
            {
                Issuer = "https://login.example",
                Audience = "https://api.example",
                DefaultClientId = "web",                  // client_id when a request names none
                AuthenticationContextClassByLevel = { [2] = "urn:example:loa:2" },
                AuthenticationMethodsByLevel = { [2] = ["pwd", "otp"] },
            },
        }.BuildIssuer();

        // client_id, scope, auth_time, and acr/amr from the session's authentication level
        string jwt = issuer.Issue(AccessTokenRequest.ForSession(session, clientId: "mobile-app", scope: "orders:read"));

        AuthorizationServerMetadata metadata = new AuthorizationServerMetadataBuilder
        {
            Issuer = "https://login.example",
            TokenEndpoint = new Uri("https://login.example/oauth/token"),
            RevocationEndpoint = new Uri("https://login.example/oauth/revoke"),
            JwksUri = new Uri("https://login.example/.well-known/jwks.json"),
            KeyRing = ring,                               // publishes the algorithms of its keys
            GrantTypesSupported = { "refresh_token" },
            TokenEndpointAuthMethodsSupported = { "none" },
            RevocationEndpointAuthMethodsSupported = { "none" },
            ScopesSupported = { "orders:read" },
        }.Build();
        string json = metadata.ToJson();                  // serve at /.well-known/oauth-authorization-server
        #endregion
        return (json, jwt);
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
            // next.Status: Malformed, NotFound, Reused, Expired, SessionNotLive, BindingMismatch, RetryConflict or StoreUnavailable
        }
        #endregion
        return (issued, next);
    }
}
