using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;
using SessionCore.Jwt;

namespace SessionCore.Dpop;

/// <summary>
/// The typed outcome of <see cref="ResourceAccessValidator.ValidateAsync"/>: the token's claims, or the refusal shaped as
/// an HTTP answer (status code, <c>WWW-Authenticate</c> and <c>DPoP-Nonce</c> values) that any host can write.
/// </summary>
/// <remarks>Security: none of the values carries input: the challenge's error description comes from a fixed table.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ResourceAccessResult
{
    private readonly AccessTokenClaims? _claims;

    internal ResourceAccessResult(
        ResourceAccessStatus status,
        AccessTokenClaims? claims,
        AccessTokenValidationStatus? tokenStatus,
        DpopProofStatus? proofStatus,
        DpopChallengeError error,
        string? challenge,
        string? nonce)
    {
        Status = status;
        _claims = status == ResourceAccessStatus.Valid ? claims : null;
        TokenStatus = tokenStatus;
        ProofStatus = proofStatus;
        Error = error;
        WwwAuthenticate = challenge;
        DpopNonce = nonce;
    }

    /// <summary>Gets the outcome.</summary>
    public ResourceAccessStatus Status { get; }

    /// <summary>Gets a value indicating whether the request is authenticated.</summary>
    public bool IsSuccess => _claims is not null;

    /// <summary>Gets the validated claims.</summary>
    /// <exception cref="InvalidOperationException">The request was refused.</exception>
    public AccessTokenClaims Value => _claims ?? Throw.InvalidOperation<AccessTokenClaims>(Internal.Error.FailedResultHasNoValue);

    /// <summary>Gets a value indicating whether the request was authenticated by a bound token and a proof of its key.</summary>
    public bool IsSenderConstrained => _claims?.ConfirmationThumbprint is not null;

    /// <summary>Gets what the access token validation said, or <see langword="null"/> when the token was not reached. For server-side logs.</summary>
    public AccessTokenValidationStatus? TokenStatus { get; }

    /// <summary>Gets what the proof validation said, or <see langword="null"/> when no proof was validated. For server-side logs.</summary>
    public DpopProofStatus? ProofStatus { get; }

    /// <summary>Gets the error of the challenge (<see cref="DpopChallenge.ErrorCode"/> gives its code), or <see cref="DpopChallengeError.None"/>.</summary>
    public DpopChallengeError Error { get; }

    /// <summary>Gets the HTTP status code to answer a refusal with: 400, 401, 403 or 503; 200 on success.</summary>
    public int StatusCode => Status switch
    {
        ResourceAccessStatus.Valid => 200,
        ResourceAccessStatus.InvalidRequest => 400,
        ResourceAccessStatus.InsufficientScope => 403,
        ResourceAccessStatus.StoreUnavailable => 503,
        _ => 401,
    };

    /// <summary>
    /// Gets the <c>WWW-Authenticate</c> value to send with a refusal (RFC 9449 §7.1, RFC 6750 §3): the error on the scheme
    /// the client used, with <c>algs</c>; both schemes unless <see cref="DpopOptions.RequireBoundTokens"/> is on.
    /// <see langword="null"/> on success and for <see cref="ResourceAccessStatus.StoreUnavailable"/>.
    /// </summary>
    public string? WwwAuthenticate { get; }

    /// <summary>Gets the nonce to send in <c>DPoP-Nonce</c> (RFC 9449 §9), or <see langword="null"/> when nonces are not required.</summary>
    public string? DpopNonce { get; }

    /// <summary>Gets the claims when the request is authenticated.</summary>
    /// <param name="claims">The claims, when authenticated.</param>
    /// <returns><see langword="true"/> when authenticated.</returns>
    public bool TryGetValue([NotNullWhen(true)] out AccessTokenClaims? claims)
    {
        claims = _claims;
        return claims is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();
}
