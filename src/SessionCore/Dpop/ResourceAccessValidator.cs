using System;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Http;
using SessionCore.Internal;
using SessionCore.Jwt;

namespace SessionCore.Dpop;

/// <summary>
/// Authenticates a request to a protected resource that accepts DPoP-bound access tokens (RFC 9449 §7) and, unless
/// <see cref="DpopOptions.RequireBoundTokens"/> is on, bearer tokens (RFC 6750). Framework-free: strings in, a typed
/// result with the HTTP answer out.
/// </summary>
/// <remarks>
/// <para>
/// Security: <c>Authorization: DPoP &lt;token&gt;</c> is accepted only when the token is valid, bound
/// (<c>cnf.jkt</c>), and the request carries exactly one valid proof for this method and URI whose <c>ath</c> is the
/// token's hash and whose key has the token's thumbprint; the proof is then spent. A bound token presented as
/// <c>Bearer</c> is refused as a downgrade (§7.2) and counted; an unbound token under <c>DPoP</c> is refused; an
/// unbound bearer token is accepted unless bound tokens are required. Any store failure refuses (503).
/// </para>
/// <para>The token is checked before the proof, so a request with an invalid token never spends a proof id.</para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed class ResourceAccessValidator
{
    private readonly AccessTokenValidator _tokens;
    private readonly DpopProofValidator _proofs;
    private readonly string? _realm;

    /// <summary>Creates a validator from an access token validator and a proof validator.</summary>
    /// <param name="tokens">Validates the access tokens (its mode decides whether revocation is seen at once).</param>
    /// <param name="proofs">Validates the proofs; its options decide nonces and <see cref="DpopOptions.RequireBoundTokens"/>. Its <see cref="DpopOptions.ReplayScope"/> should name this resource server.</param>
    /// <param name="realm">An optional protection space for the challenges (printable ASCII).</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> or <paramref name="proofs"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="realm"/> has a control or non-ASCII character.</exception>
    public ResourceAccessValidator(AccessTokenValidator tokens, DpopProofValidator proofs, string? realm = null)
    {
        _tokens = Throw.IfNull(tokens);
        _proofs = Throw.IfNull(proofs);
        _realm = realm;

        // Shapes one challenge now, so a bad realm fails at start-up rather than on a request.
        _ = DpopChallenge.ForDpop(proofs.AllowedAlgorithms, DpopChallengeError.None, realm);
    }

    /// <summary>Gets a value indicating whether bearer tokens are refused (<see cref="DpopOptions.RequireBoundTokens"/>).</summary>
    public bool RequiresBoundTokens => _proofs.RequiresBoundTokens;

    /// <summary>The challenge for a request that carried no credentials, for example to answer a request that never reached <see cref="ValidateAsync"/>.</summary>
    /// <returns>The <c>WWW-Authenticate</c> value without an error.</returns>
    public string Challenge() => ChallengeFor(DpopChallengeError.None, dpopScheme: false);

    /// <summary>Authenticates a request.</summary>
    /// <param name="request">The request's headers, method and target URI.</param>
    /// <param name="cancellationToken">Cancels the store calls.</param>
    /// <returns>The claims, or the refusal with its HTTP status code, challenge and nonce.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/>, its method or its target URI is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The method is not an HTTP token, or the target URI is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<ResourceAccessResult> ValidateAsync(ResourceAccessRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        Throw.IfNull(request.Method, "request.Method");
        Throw.IfNull(request.TargetUri, "request.TargetUri");
        if (request.Method.Length == 0 || !HttpGrammar.IsToken(request.Method))
        {
            throw new ArgumentException(Error.DpopMethodInvalid, nameof(request));
        }

        if (request.TargetUri.Length == 0)
        {
            throw new ArgumentException(Error.DpopTargetUriMissing, nameof(request));
        }

        HeaderValueStatus read = ReadAuthorization(request.Authorization, out bool dpopScheme, out string? token);
        if (read is HeaderValueStatus.NotFound or HeaderValueStatus.OtherScheme)
        {
            return Refuse(ResourceAccessStatus.NoCredentials, DpopChallengeError.None, dpopScheme: false);
        }

        if (read != HeaderValueStatus.Found)
        {
            return Refuse(ResourceAccessStatus.InvalidRequest, DpopChallengeError.InvalidRequest, dpopScheme);
        }

        AccessTokenValidationResult validated = await _tokens.ValidateCountedAsync(token, allowBound: true, cancellationToken).ConfigureAwait(false);
        if (!validated.TryGetValue(out AccessTokenClaims? claims))
        {
            return validated.Status switch
            {
                AccessTokenValidationStatus.StoreUnavailable => Refuse(ResourceAccessStatus.StoreUnavailable, DpopChallengeError.None, dpopScheme, validated.Status),
                AccessTokenValidationStatus.InsufficientScope => Refuse(ResourceAccessStatus.InsufficientScope, DpopChallengeError.InsufficientScope, dpopScheme, validated.Status),
                _ => Refuse(ResourceAccessStatus.InvalidToken, DpopChallengeError.InvalidToken, dpopScheme, validated.Status),
            };
        }

        string? thumbprint = claims.ConfirmationThumbprint;
        if (!dpopScheme)
        {
            if (thumbprint is not null)
            {
                SessionCoreTelemetry.DowngradeDetected();
                return Refuse(ResourceAccessStatus.BearerDowngrade, DpopChallengeError.InvalidToken, dpopScheme: false, validated.Status);
            }

            return _proofs.RequiresBoundTokens
                ? Refuse(ResourceAccessStatus.BoundTokenRequired, DpopChallengeError.InvalidToken, dpopScheme: false, validated.Status)
                : Accept(claims, request.RequiredScope, dpopScheme: false, proofStatus: null, nonce: null);
        }

        if (thumbprint is null)
        {
            return Refuse(ResourceAccessStatus.TokenNotBound, DpopChallengeError.InvalidToken, dpopScheme: true, validated.Status);
        }

        HeaderValueResult header = DpopHeaderParser.Parse(request.DpopHeaders);
        if (header.Status != HeaderValueStatus.Found)
        {
            DpopProofStatus missing = header.Status == HeaderValueStatus.NotFound ? DpopProofStatus.Missing
                : header.Status == HeaderValueStatus.TooLarge ? DpopProofStatus.TooLarge
                : DpopProofStatus.Malformed;
            SessionCoreTelemetry.ProofValidated(missing);
            return Refuse(ResourceAccessStatus.InvalidProof, DpopChallengeError.InvalidDpopProof, dpopScheme: true, validated.Status, missing);
        }

        DpopProofValidationResult proof = await _proofs.ValidateAsync(
            new DpopProofRequest
            {
                Proof = header.Value,
                Method = request.Method,
                TargetUri = request.TargetUri,
                AccessToken = token,
                ExpectedKeyThumbprint = thumbprint,
            },
            cancellationToken).ConfigureAwait(false);
        if (proof.IsSuccess)
        {
            return Accept(claims, request.RequiredScope, dpopScheme: true, proof.Status, proof.NextNonce);
        }

        ResourceAccessStatus status = proof.Status switch
        {
            DpopProofStatus.NonceRequired or DpopProofStatus.InvalidNonce => ResourceAccessStatus.NonceRequired,
            DpopProofStatus.Replayed => ResourceAccessStatus.ProofReplayed,
            DpopProofStatus.KeyMismatch => ResourceAccessStatus.KeyMismatch,
            DpopProofStatus.StoreUnavailable => ResourceAccessStatus.StoreUnavailable,
            _ => ResourceAccessStatus.InvalidProof,
        };
        return Refuse(status, DpopChallenge.ErrorFor(proof.Status), dpopScheme: true, validated.Status, proof.Status, proof.NextNonce);
    }

    /// <summary>
    /// Reads <c>Authorization: Bearer|DPoP token68</c>: the scheme case-insensitively (RFC 9110 §11.1), one b64token
    /// (RFC 6750 §2.1). Never throws on the value.
    /// </summary>
    private static HeaderValueStatus ReadAuthorization(string? authorization, out bool dpopScheme, out string? token)
    {
        dpopScheme = false;
        token = null;
        if (authorization is not null && authorization.Length <= BearerTokenParser.MaxHeaderLength)
        {
            ReadOnlySpan<char> value = HttpGrammar.TrimOws(authorization);
            int space = value.IndexOf(' ');
            if ((space < 0 ? value : value[..space]).Equals(DpopHeaderNames.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                dpopScheme = true;
                if (space < 0)
                {
                    return HeaderValueStatus.Malformed;
                }

                // The same grammar as a bearer credential: read it with the bearer parser under that name.
                authorization = string.Concat("Bearer", value[space..]);
            }
        }

        HeaderValueResult result = BearerTokenParser.Parse(authorization);
        token = result.IsSuccess ? result.Value : null;
        return result.Status;
    }

    private ResourceAccessResult Accept(AccessTokenClaims claims, string? requiredScope, bool dpopScheme, DpopProofStatus? proofStatus, string? nonce)
    {
        if (requiredScope is not null && !claims.HasScope(requiredScope))
        {
            return Refuse(ResourceAccessStatus.InsufficientScope, DpopChallengeError.InsufficientScope, dpopScheme, AccessTokenValidationStatus.InsufficientScope, proofStatus, nonce);
        }

        return new ResourceAccessResult(ResourceAccessStatus.Valid, claims, AccessTokenValidationStatus.Valid, proofStatus, DpopChallengeError.None, null, nonce ?? NonceIfRequired());
    }

    private ResourceAccessResult Refuse(
        ResourceAccessStatus status,
        DpopChallengeError error,
        bool dpopScheme,
        AccessTokenValidationStatus? tokenStatus = null,
        DpopProofStatus? proofStatus = null,
        string? nonce = null)
    {
        string? challenge = status == ResourceAccessStatus.StoreUnavailable ? null : ChallengeFor(error, dpopScheme);
        return new ResourceAccessResult(status, null, tokenStatus, proofStatus, error, challenge, nonce ?? NonceIfRequired());
    }

    private string? NonceIfRequired() => _proofs.RequiresNonce ? _proofs.CreateNonce() : null;

    private string ChallengeFor(DpopChallengeError error, bool dpopScheme)
    {
        if (_proofs.RequiresBoundTokens)
        {
            return DpopChallenge.ForDpop(_proofs.AllowedAlgorithms, error, _realm);
        }

        // RFC 9449 §7.2: the error goes to the scheme the client used; proof errors exist only for DPoP.
        bool onDpop = dpopScheme || error is DpopChallengeError.InvalidDpopProof or DpopChallengeError.UseDpopNonce;
        return onDpop
            ? DpopChallenge.ForBearerAndDpop(_proofs.AllowedAlgorithms, DpopChallengeError.None, error, _realm)
            : DpopChallenge.ForBearerAndDpop(_proofs.AllowedAlgorithms, error, DpopChallengeError.None, _realm);
    }
}
