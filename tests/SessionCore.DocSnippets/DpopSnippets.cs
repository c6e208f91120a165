using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Http;
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
}
