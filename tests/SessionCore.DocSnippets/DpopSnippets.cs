using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;

namespace SessionCore.DocSnippets;

/// <summary>The code of concepts/dpop.md.</summary>
public static class DpopSnippets
{
    public static async Task<(DpopProofStatus Status, string? Challenge, string? Nonce)> ValidateAsync(
        ISessionStore store, byte[] nonceKey, IReadOnlyList<string?> dpopHeaderValues, string accessToken, string tokenJkt)
    {
        #region snippet_DpopValidate
        using DpopProofValidator validator = new DpopProofValidatorBuilder
        {
            Store = store,                                  // the replay cache: shared by every node
            Options =
            {
                ReplayScope = "https://api.example",        // this server's identifier
                RequireNonce = true,                        // stateless nonces (RFC 9449 §9)
                NonceKey = nonceKey,                        // the same 32 to 64 secret bytes on every node
            },
        }.Build();

        HeaderValueResult header = DpopHeaderParser.Parse(dpopHeaderValues);  // exactly one DPoP field
        DpopProofValidationResult result = await validator.ValidateAsync(new DpopProofRequest
        {
            Proof = header.IsSuccess ? header.Value : null,
            Method = "GET",
            TargetUri = "https://api.example/me",           // from configuration, not from the Host header
            AccessToken = accessToken,                      // the proof's ath must be its hash
            ExpectedKeyThumbprint = tokenJkt,               // the token's cnf.jkt
        });

        string? challenge = null;
        if (!result.TryGetValue(out DpopProof? proof))
        {
            // 401 with WWW-Authenticate: challenge (and DPoP-Nonce: result.NextNonce when set); log result.Status.
            DpopChallengeError error = DpopChallenge.ErrorFor(result.Status);
            challenge = DpopChallenge.ForDpop(validator.AllowedAlgorithms, error);
        }
        #endregion
        return (result.Status, challenge, result.NextNonce);
    }

    public static async Task<(int StatusCode, string? Subject)> ResourceAsync(
        AccessTokenValidator tokens, DpopProofValidator proofs, string? authorizationHeader, IReadOnlyList<string?> dpopHeaderValues,
        IDictionary<string, string> responseHeaders)
    {
        #region snippet_DpopResource
        ResourceAccessValidator api = new(tokens, proofs, realm: "api");   // a singleton

        ResourceAccessResult result = await api.ValidateAsync(new ResourceAccessRequest
        {
            Authorization = authorizationHeader,            // "DPoP <token>" or "Bearer <token>"
            DpopHeaders = dpopHeaderValues,                 // every DPoP field of the request
            Method = "GET",
            TargetUri = "https://api.example/orders",       // from configuration, not from the Host header
            RequiredScope = "orders:read",
        });

        if (result.DpopNonce is not null)
        {
            responseHeaders["DPoP-Nonce"] = result.DpopNonce;
        }

        if (!result.TryGetValue(out AccessTokenClaims? claims))
        {
            // 400, 401, 403 or 503; log result.Status, result.TokenStatus and result.ProofStatus server-side.
            if (result.WwwAuthenticate is not null)
            {
                responseHeaders["WWW-Authenticate"] = result.WwwAuthenticate;
            }

            return (result.StatusCode, null);
        }
        #endregion
        return (200, claims.Subject);
    }

    public static AccessTokenRequest IssueBound(Session session, DpopProof proof)
    {
        #region snippet_DpopIssueBound
        // At the token endpoint, after the request's proof validated (without ExpectedKeyThumbprint):
        AccessTokenRequest request = AccessTokenRequest.ForSession(session, clientId: "app", scope: "orders:read", proof.KeyThumbprint);
        RefreshTokenBinding binding = new(ClientId: "app", KeyThumbprint: proof.KeyThumbprint);
        #endregion
        _ = binding;
        return request;
    }
}
