using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
using SessionCore.Jwt;

namespace SessionCore.AspNetCore.Authentication;

// RFC 9449 §7: DPoP-bound access tokens with a proof of their key, besides (or instead of) bearer tokens. Every decision
// is the core's ResourceAccessValidator's; this part only reads the request and writes its answer.
public sealed partial class SessionCoreBearerHandler
{
    // One per options instance (the options monitor's, per provider, whose validators are singletons): building one
    // shapes a challenge to check the realm, which is not work for every request.
    private static readonly ConditionalWeakTable<SessionCoreBearerOptions, ResourceAccessValidator> s_resources = [];

    private ResourceAccessResult? _access;
    private ResourceAccessValidator? _resource;

    private ResourceAccessValidator Resource => _resource ??= ResourceFor(Options);

    private ResourceAccessValidator ResourceFor(SessionCoreBearerOptions options)
    {
        if (!s_resources.TryGetValue(options, out ResourceAccessValidator? resource))
        {
            resource = new ResourceAccessValidator(_validator, _proofs ?? Throw.InvalidOperation<DpopProofValidator>(Error.DpopMissing), options.Realm);
            s_resources.AddOrUpdate(options, resource);
        }

        return resource;
    }

    private async Task<AuthenticateResult> AuthenticateWithDpopAsync()
    {
        StringValues authorization = Request.Headers.Authorization;
        if (authorization.Count > 1 || !IsMethod(Request.Method))
        {
            _refusal = Refusal.InvalidRequest;
            return AuthenticateResult.Fail("The request is malformed.");
        }

        ResourceAccessResult result;
        try
        {
            result = await Resource.ValidateAsync(
                new ResourceAccessRequest
                {
                    Authorization = authorization.Count == 0 ? null : authorization[0],
                    DpopHeaders = Request.Headers[DpopHeaderNames.Dpop],
                    Method = Request.Method,
                    TargetUri = TargetUri(),
                },
                Context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed: whatever the store throws, the request is not authenticated.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStoreFailed(Logger, e.GetType().Name);
            _refusal = Refusal.Unavailable;
            return AuthenticateResult.Fail("The access token could not be checked.");
        }

        _access = result;
        if (result.TryGetValue(out AccessTokenClaims? claims))
        {
            if (result.DpopNonce is { } nonce)
            {
                // RFC 9449 §8.2: the nonce the client's next proof should carry.
                Response.Headers[DpopHeaderNames.DpopNonce] = nonce;
            }

            return AuthenticateResult.Success(Ticket(claims, result.IsSenderConstrained ? claims.ConfirmationThumbprint : null));
        }

        switch (result.Status)
        {
            case ResourceAccessStatus.NoCredentials:
                return AuthenticateResult.NoResult();
            case ResourceAccessStatus.StoreUnavailable:
                LogStoreUnavailable(Logger);
                _refusal = Refusal.Unavailable;
                return AuthenticateResult.Fail("The access token could not be checked.");
            case ResourceAccessStatus.BearerDowngrade:
                LogDowngrade(Logger);
                break;
            case ResourceAccessStatus.NonceRequired:
                // The normal first round of a client that has no nonce yet: not worth a log line.
                break;
            default:
                LogAccessRefused(Logger, result.Status, result.TokenStatus, result.ProofStatus);
                break;
        }

        _refusal = result.Status == ResourceAccessStatus.InvalidRequest ? Refusal.InvalidRequest : Refusal.InvalidToken;
        return AuthenticateResult.Fail("The request is not authenticated.");
    }

    private Task ChallengeWithDpopAsync()
    {
        ResourceAccessResult? access = _access;
        (int status, string? challenge, string error) = _refusal switch
        {
            Refusal.Unavailable => (StatusCodes.Status503ServiceUnavailable, (string?)null, "temporarily_unavailable"),

            // Refused before the validator ran (a token in the URL, two Authorization headers): the scheme used is unknown.
            Refusal.InvalidRequest when access is null => (StatusCodes.Status400BadRequest, ChallengeFor(DpopChallengeError.InvalidRequest, dpopScheme: false), "invalid_request"),
            _ when access is null || access.IsSuccess => (StatusCodes.Status401Unauthorized, Resource.Challenge(), "unauthenticated"),
            _ => (access.StatusCode, access.WwwAuthenticate, access.Error == DpopChallengeError.None ? "unauthenticated" : DpopChallenge.ErrorCode(access.Error)),
        };

        Response.StatusCode = status;
        if (challenge is not null)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
        }

        if (access?.DpopNonce is { } nonce)
        {
            Response.Headers[DpopHeaderNames.DpopNonce] = nonce;
        }

        return WriteErrorAsync(Response, error);
    }

    private Task ForbidWithDpopAsync()
    {
        // RFC 6750 §3.1, RFC 9449 §7.1: the error goes to the scheme the client authenticated with.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, ChallengeFor(DpopChallengeError.InsufficientScope, dpopScheme: _access?.IsSenderConstrained == true));
        return WriteErrorAsync(Response, "insufficient_scope");
    }

    private string ChallengeFor(DpopChallengeError error, bool dpopScheme)
    {
        DpopSigningAlgorithms algorithms = _proofs!.AllowedAlgorithms;
        if (Resource.RequiresBoundTokens)
        {
            return DpopChallenge.ForDpop(algorithms, error, Options.Realm);
        }

        return dpopScheme
            ? DpopChallenge.ForBearerAndDpop(algorithms, DpopChallengeError.None, error, Options.Realm)
            : DpopChallenge.ForBearerAndDpop(algorithms, error, DpopChallengeError.None, Options.Realm);
    }

    /// <summary>
    /// The URL the client sent the request to, as a proof's <c>htu</c> names it (RFC 9449 §4.3): the public origin (or the
    /// request's scheme and host), the path base and the path, still percent-encoded; the query is left out.
    /// </summary>
    private string TargetUri() =>
        string.Concat(
            Options.PublicOrigin ?? string.Concat(Request.Scheme, "://", Request.Host.ToUriComponent()),
            Request.PathBase.ToUriComponent(),
            Request.Path.ToUriComponent());

    /// <summary>An HTTP method is a token (RFC 9110 §9.1); servers enforce it, this keeps the validator's contract whatever the server.</summary>
    private static bool IsMethod(string method)
    {
        if (method.Length is 0 or > 64)
        {
            return false;
        }

        foreach (char c in method)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "A request was refused ({Status}; token {TokenStatus}; proof {ProofStatus}).")]
    private static partial void LogAccessRefused(ILogger logger, ResourceAccessStatus status, AccessTokenValidationStatus? tokenStatus, DpopProofStatus? proofStatus);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "A DPoP-bound access token was presented as a bearer token (RFC 9449 downgrade); the request is refused.")]
    private static partial void LogDowngrade(ILogger logger);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "The session store could not answer during access-token or DPoP proof validation; the request is refused.")]
    private static partial void LogStoreUnavailable(ILogger logger);
}
