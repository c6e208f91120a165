using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
using SessionCore.Http;

namespace SessionCore.AspNetCore.Endpoints;

// RFC 9449 §5 and §8 at the token endpoint: a request with a DPoP proof binds what it is issued to the proof's key.
internal sealed partial class OAuthEndpoints
{
    /// <summary>
    /// Validates the token request's proof, if any: its key's thumbprint, or the answer already written (400
    /// <c>invalid_dpop_proof</c>, or <c>use_dpop_nonce</c> with the nonce to retry with, §8; 503 when the replay cache
    /// cannot answer). Without DPoP registered the header is ignored and the answer's <c>token_type</c> is Bearer; a
    /// request without a proof is a bearer client, refused when the host requires bound tokens.
    /// </summary>
    private async Task<(bool Refused, string? KeyThumbprint)> CheckProofAsync(HttpContext context)
    {
        if (_proofs is null)
        {
            return (false, null);
        }

        HeaderValueResult header = DpopHeaderParser.Parse((IReadOnlyList<string?>)context.Request.Headers[DpopHeaderNames.Dpop]);
        if (header.Status == HeaderValueStatus.NotFound && !_proofs.RequiresBoundTokens)
        {
            return (false, null);
        }

        DpopProofStatus status = header.Status switch
        {
            HeaderValueStatus.Found => DpopProofStatus.Valid,
            HeaderValueStatus.NotFound => DpopProofStatus.Missing,
            HeaderValueStatus.TooLarge => DpopProofStatus.TooLarge,
            _ => DpopProofStatus.Malformed,
        };
        string? nonce = null;
        if (header.TryGetValue(out string? proofText))
        {
            DpopProofValidationResult result = await _proofs.ValidateAsync(
                new DpopProofRequest { Proof = proofText, Method = context.Request.Method, TargetUri = _tokenEndpoint },
                context.RequestAborted).ConfigureAwait(false);
            nonce = result.NextNonce;
            status = result.Status;
            if (result.TryGetValue(out DpopProof? proof))
            {
                SetNonce(context, nonce);
                return (false, proof.KeyThumbprint);
            }
        }

        SetNonce(context, nonce);
        if (status == DpopProofStatus.StoreUnavailable)
        {
            await Responses.ErrorAsync(context.Response, "temporarily_unavailable", StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
        }
        else
        {
            // A key that is not the family's shows at the redemption (invalid_grant); here only nonce or proof errors.
            DpopChallengeError error = DpopChallenge.ErrorFor(status) == DpopChallengeError.UseDpopNonce ? DpopChallengeError.UseDpopNonce : DpopChallengeError.InvalidDpopProof;
            await Responses.ErrorAsync(context.Response, DpopChallenge.ErrorCode(error)).ConfigureAwait(false);
        }

        return (true, null);
    }

    private void SetNonce(HttpContext context, string? nonce)
    {
        if (_proofs!.RequiresNonce)
        {
            context.Response.Headers[DpopHeaderNames.DpopNonce] = nonce ?? _proofs.CreateNonce();
        }
    }
}
