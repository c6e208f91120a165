using System;
using System.Collections.Generic;
using System.Text;
using SessionCore.Internal;

namespace SessionCore.Dpop;

/// <summary>
/// Shapes <c>WWW-Authenticate</c> challenges for DPoP and Bearer (RFC 9449 §7.1, §7.2; RFC 6750 §3) and the error
/// codes of token endpoint responses, as plain strings for any host.
/// </summary>
/// <remarks>
/// Security: <c>error_description</c> comes from a fixed table per error code; it never says which check failed, never
/// echoes input and never carries a token, so a probing client learns nothing the error code does not already say.
/// Log the <see cref="DpopProofStatus"/> server-side instead.
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class DpopChallenge
{
    /// <summary>The challenge of the <c>DPoP</c> scheme: <c>DPoP [realm="…", ][error="…", error_description="…", ]algs="…"</c>.</summary>
    /// <param name="algorithms">The algorithms accepted (RFC 9449 §7.1 <c>algs</c>), usually <see cref="DpopProofValidator.AllowedAlgorithms"/>.</param>
    /// <param name="error">The error, or <see cref="DpopChallengeError.None"/> for a request without credentials.</param>
    /// <param name="realm">An optional protection space (printable ASCII).</param>
    /// <returns>The header value, for example <c>DPoP error="use_dpop_nonce", error_description="…", algs="ES256 EdDSA Ed25519"</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="algorithms"/> names no supported algorithm, <paramref name="error"/> is undefined, or <paramref name="realm"/> has a control or non-ASCII character.</exception>
    public static string ForDpop(DpopSigningAlgorithms algorithms, DpopChallengeError error = DpopChallengeError.None, string? realm = null)
    {
        StringBuilder header = new(128);
        AppendDpop(header, algorithms, error, realm);
        return header.ToString();
    }

    /// <summary>
    /// Both challenges in one value, for a resource that accepts Bearer and DPoP tokens: the error goes to the scheme
    /// the client used (RFC 9449 §7.2), for example <c>Bearer error="invalid_token", error_description="…", DPoP algs="…"</c>.
    /// </summary>
    /// <param name="algorithms">The algorithms accepted for DPoP proofs.</param>
    /// <param name="bearerError">The error for the Bearer challenge: none, <c>invalid_request</c>, <c>invalid_token</c> or <c>insufficient_scope</c>.</param>
    /// <param name="dpopError">The error for the DPoP challenge.</param>
    /// <param name="realm">An optional protection space (printable ASCII), given on both challenges.</param>
    /// <returns>The header value.</returns>
    /// <exception cref="ArgumentException">An argument is undefined or invalid, or <paramref name="bearerError"/> is a DPoP-only error.</exception>
    public static string ForBearerAndDpop(DpopSigningAlgorithms algorithms, DpopChallengeError bearerError = DpopChallengeError.None, DpopChallengeError dpopError = DpopChallengeError.None, string? realm = null)
    {
        if (bearerError is DpopChallengeError.InvalidDpopProof or DpopChallengeError.UseDpopNonce)
        {
            throw new ArgumentException(Error.DpopErrorUnknown, nameof(bearerError));
        }

        StringBuilder header = new(192);
        header.Append("Bearer");
        AppendRealmAndError(header, bearerError, realm);
        header.Append(", ");
        AppendDpop(header, algorithms, dpopError, realm);
        return header.ToString();
    }

    /// <summary>The challenge error for a refused proof.</summary>
    /// <param name="status">Why the proof was refused.</param>
    /// <returns>
    /// <see cref="DpopChallengeError.UseDpopNonce"/> for a missing or stale nonce, <see cref="DpopChallengeError.InvalidToken"/>
    /// for a key that is not the token's (RFC 9449 figure 16), <see cref="DpopChallengeError.None"/> for
    /// <see cref="DpopProofStatus.Valid"/> and <see cref="DpopProofStatus.StoreUnavailable"/> (not the client's fault: answer
    /// 503), and <see cref="DpopChallengeError.InvalidDpopProof"/> for every other refusal.
    /// </returns>
    public static DpopChallengeError ErrorFor(DpopProofStatus status) => status switch
    {
        DpopProofStatus.Valid or DpopProofStatus.StoreUnavailable => DpopChallengeError.None,
        DpopProofStatus.NonceRequired or DpopProofStatus.InvalidNonce => DpopChallengeError.UseDpopNonce,
        DpopProofStatus.KeyMismatch => DpopChallengeError.InvalidToken,
        _ => DpopChallengeError.InvalidDpopProof,
    };

    /// <summary>The error code, for example for the <c>error</c> member of a token endpoint response (RFC 6749 §5.2).</summary>
    /// <param name="error">The error; not <see cref="DpopChallengeError.None"/>.</param>
    /// <returns>For example <c>invalid_dpop_proof</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is <see cref="DpopChallengeError.None"/> or undefined.</exception>
    public static string ErrorCode(DpopChallengeError error) => error switch
    {
        DpopChallengeError.InvalidRequest => "invalid_request",
        DpopChallengeError.InvalidToken => "invalid_token",
        DpopChallengeError.InvalidDpopProof => "invalid_dpop_proof",
        DpopChallengeError.UseDpopNonce => "use_dpop_nonce",
        DpopChallengeError.InsufficientScope => "insufficient_scope",
        _ => throw new ArgumentException(Error.DpopErrorUnknown, nameof(error)),
    };

    /// <summary>The fixed, input-free <c>error_description</c> of an error.</summary>
    /// <param name="error">The error; not <see cref="DpopChallengeError.None"/>.</param>
    /// <returns>A short English sentence for developers.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is <see cref="DpopChallengeError.None"/> or undefined.</exception>
    public static string Description(DpopChallengeError error) => error switch
    {
        DpopChallengeError.InvalidRequest => "The request is malformed",
        DpopChallengeError.InvalidToken => "Invalid token",
        DpopChallengeError.InvalidDpopProof => "Invalid DPoP proof",
        DpopChallengeError.UseDpopNonce => "A DPoP nonce is required; use the DPoP-Nonce value",
        DpopChallengeError.InsufficientScope => "Insufficient scope",
        _ => throw new ArgumentException(Error.DpopErrorUnknown, nameof(error)),
    };

    /// <summary>The JWS names of the algorithms, in a fixed order, for example for <c>dpop_signing_alg_values_supported</c> (RFC 9449 §5.1).</summary>
    /// <param name="algorithms">The algorithms.</param>
    /// <returns>For example <c>["ES256", "EdDSA", "Ed25519"]</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="algorithms"/> names no supported algorithm or an undefined one.</exception>
    public static IReadOnlyList<string> AlgorithmNames(DpopSigningAlgorithms algorithms)
    {
        Keys.ProofAlgorithm[] list = CheckAlgorithms(algorithms);
        return Array.ConvertAll(list, a => a.Name);
    }

    private static Keys.ProofAlgorithm[] CheckAlgorithms(DpopSigningAlgorithms algorithms)
    {
        Keys.ProofAlgorithm[] list = DpopSettings.AlgorithmsOf(algorithms);
        if (list.Length == 0 || (algorithms & ~DpopSettings.AllAlgorithms) != 0)
        {
            throw new ArgumentException(Error.DpopAlgorithmsInvalid, nameof(algorithms));
        }

        return list;
    }

    private static void AppendDpop(StringBuilder header, DpopSigningAlgorithms algorithms, DpopChallengeError error, string? realm)
    {
        Keys.ProofAlgorithm[] list = CheckAlgorithms(algorithms);
        header.Append(DpopHeaderNames.Scheme);
        int parameters = AppendRealmAndError(header, error, realm);
        header.Append(parameters == 0 ? " algs=\"" : ", algs=\"");
        for (int i = 0; i < list.Length; i++)
        {
            header.Append(i == 0 ? string.Empty : " ").Append(list[i].Name);
        }

        header.Append('"');
    }

    private static int AppendRealmAndError(StringBuilder header, DpopChallengeError error, string? realm)
    {
        int parameters = 0;
        if (realm is not null)
        {
            foreach (char c in realm)
            {
                if (c is < ' ' or > '~')
                {
                    throw new ArgumentException(Error.DpopRealmInvalid, nameof(realm));
                }
            }

            header.Append(" realm=\"");
            foreach (char c in realm)
            {
                if (c is '"' or '\\')
                {
                    header.Append('\\');
                }

                header.Append(c);
            }

            header.Append('"');
            parameters++;
        }

        if (error != DpopChallengeError.None)
        {
            header.Append(parameters == 0 ? " error=\"" : ", error=\"").Append(ErrorCode(error))
                .Append("\", error_description=\"").Append(Description(error)).Append('"');
            parameters++;
        }
        else if (!Enum.IsDefined(error))
        {
            throw new ArgumentException(Error.DpopErrorUnknown, nameof(error));
        }

        return parameters;
    }
}
