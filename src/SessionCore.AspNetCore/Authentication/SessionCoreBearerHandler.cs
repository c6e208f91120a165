using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>
/// Authenticates requests by an access token in the <c>Authorization: Bearer</c> header (RFC 6750 §2.1), validated by
/// the registered <see cref="AccessTokenValidator"/>, and answers RFC 6750 §3 challenges. With
/// <see cref="SessionCoreBearerOptions.AcceptDpop"/> it also accepts <c>Authorization: DPoP</c> with a proof of the
/// token's key (RFC 9449 §7) through a <see cref="ResourceAccessValidator"/>, and answers §7.1 challenges.
/// </summary>
/// <remarks>
/// <para>
/// Security: a token is accepted from the header only. A request whose URL carries a token (RFC 6750 §2.3
/// <c>access_token</c>, or any token-looking parameter) is refused with <c>400 invalid_request</c> even when its
/// header is fine, so clients learn not to leak tokens into logs and <c>Referer</c> headers. A token bound to a key
/// (<c>cnf</c>, RFC 7800 / RFC 9449) is refused when presented as a plain Bearer token: the proof of possession
/// would otherwise be skipped. Why a token fails is never told to the client; a store failure during online
/// validation answers 503, not "authenticated".
/// </para>
/// <para>
/// Security, with DPoP accepted: a bound token needs exactly one <c>DPoP</c> header holding a valid proof for this
/// method and URL (<see cref="SessionCoreBearerOptions.PublicOrigin"/>, <c>PathBase</c> and path) by the token's key,
/// with the token's hash; the proof id is spent in the store, so a replay is refused. A missing or stale nonce answers
/// 401 <c>use_dpop_nonce</c> with <c>DPoP-Nonce</c>; a bound token sent as Bearer is a downgrade, 401
/// <c>invalid_token</c>; with <see cref="DpopOptions.RequireBoundTokens"/> every bearer token is refused. A store failure
/// of the replay cache answers 503. Only statuses are logged, never a token, proof, nonce or thumbprint.
/// </para>
/// <para>
/// The principal carries <c>sub</c>, <c>sid</c>, <c>client_id</c>, <c>scope</c>, <c>jti</c>, <c>auth_time</c>,
/// <c>acr</c> and <c>amr</c> when present, and <c>cnf.jkt</c> for a request authenticated by a bound token and its
/// proof; see <see cref="SessionCoreClaimTypes"/>.
/// </para>
/// </remarks>
/// <threadsafety>One instance per request.</threadsafety>
public sealed partial class SessionCoreBearerHandler : AuthenticationHandler<SessionCoreBearerOptions>
{
    private readonly AccessTokenValidator _validator;
    private readonly DpopProofValidator? _proofs;
    private Refusal _refusal;

    /// <summary>Initializes a new instance of the <see cref="SessionCoreBearerHandler"/> class.</summary>
    /// <param name="options">The options monitor.</param>
    /// <param name="logger">The logger factory.</param>
    /// <param name="encoder">The URL encoder.</param>
    /// <param name="validator">The access-token validator.</param>
    /// <param name="proofs">The DPoP proof validator, needed when <see cref="SessionCoreBearerOptions.AcceptDpop"/> is on; <see langword="null"/> otherwise.</param>
    /// <exception cref="ArgumentNullException"><paramref name="validator"/> is <see langword="null"/>.</exception>
    public SessionCoreBearerHandler(IOptionsMonitor<SessionCoreBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokenValidator validator, DpopProofValidator? proofs = null)
        : base(options, logger, encoder)
    {
        _validator = Throw.IfNull(validator);
        _proofs = proofs;
    }

    private enum Refusal
    {
        None,
        InvalidRequest,
        InvalidToken,
        Unavailable,
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        _refusal = Refusal.None;
        _access = null;
        if (Http.UrlTokenGuardMiddleware.CarriesToken(Context))
        {
            _refusal = Refusal.InvalidRequest;
            return AuthenticateResult.Fail("A token in the URL is not accepted.");
        }

        if (Options.AcceptDpop)
        {
            return await AuthenticateWithDpopAsync().ConfigureAwait(false);
        }

        if (Request.Headers.Authorization.Count > 1)
        {
            _refusal = Refusal.InvalidRequest;
            return AuthenticateResult.Fail("More than one Authorization header.");
        }

        HeaderValueResult bearer = BearerTokenParser.Parse(Request.Headers.Authorization.ToString());
        switch (bearer.Status)
        {
            case HeaderValueStatus.Found:
                break;
            case HeaderValueStatus.NotFound or HeaderValueStatus.OtherScheme:
                return AuthenticateResult.NoResult();
            default:
                _refusal = Refusal.InvalidRequest;
                return AuthenticateResult.Fail("The Authorization header is malformed.");
        }

        AccessTokenValidationResult result;
        try
        {
            result = await _validator.ValidateAsync(bearer.Value, Context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed: whatever the store throws, the request is not authenticated.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStoreFailed(Logger, e.GetType().Name);
            _refusal = Refusal.Unavailable;
            return AuthenticateResult.Fail("The access token could not be checked.");
        }

        if (result.Status == AccessTokenValidationStatus.StoreUnavailable)
        {
            _refusal = Refusal.Unavailable;
            return AuthenticateResult.Fail("The access token could not be checked.");
        }

        // A token bound to a key (cnf) is refused by the validator itself on this path (ProofRequired).
        if (!result.TryGetValue(out AccessTokenClaims? claims))
        {
            LogRefused(Logger, result.Status);
            _refusal = Refusal.InvalidToken;
            return AuthenticateResult.Fail("The access token is not accepted.");
        }

        return AuthenticateResult.Success(Ticket(claims));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        _ = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (Options.AcceptDpop)
        {
            await ChallengeWithDpopAsync().ConfigureAwait(false);
            return;
        }

        (int status, string? error) = _refusal switch
        {
            Refusal.InvalidRequest => (StatusCodes.Status400BadRequest, "invalid_request"),
            Refusal.InvalidToken => (StatusCodes.Status401Unauthorized, "invalid_token"),
            Refusal.Unavailable => (StatusCodes.Status503ServiceUnavailable, (string?)null),
            _ => (StatusCodes.Status401Unauthorized, (string?)null),
        };
        Response.StatusCode = status;
        if (_refusal != Refusal.Unavailable)
        {
            // RFC 6750 §3: no error code when the request carried no credentials at all.
            string challenge = Options.Realm is null ? "Bearer" : $"Bearer realm=\"{Options.Realm}\"";
            Response.Headers.Append(HeaderNames.WWWAuthenticate, error is null ? challenge : $"{challenge}{(Options.Realm is null ? " " : ", ")}error=\"{error}\"");
        }

        await WriteErrorAsync(Response, error ?? (_refusal == Refusal.Unavailable ? "temporarily_unavailable" : "unauthenticated")).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Options.AcceptDpop)
        {
            _ = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
            await ForbidWithDpopAsync().ConfigureAwait(false);
            return;
        }

        // RFC 6750 §3.1: the token is fine but does not allow this request.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        string challenge = Options.Realm is null ? "Bearer " : $"Bearer realm=\"{Options.Realm}\", ";
        Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge + "error=\"insufficient_scope\"");
        await WriteErrorAsync(Response, "insufficient_scope").ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpResponse response, string error)
    {
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync("{\"error\":\"" + error + "\"}");
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The session store failed during access-token validation ({ExceptionType}); the request is refused.")]
    private static partial void LogStoreFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "An access token was refused ({Status}).")]
    private static partial void LogRefused(ILogger logger, AccessTokenValidationStatus status);

    private AuthenticationTicket Ticket(AccessTokenClaims claims, string? confirmationThumbprint = null)
    {
        List<Claim> list =
        [
            new(SessionCoreClaimTypes.Subject, claims.Subject),
            new(SessionCoreClaimTypes.TokenId, claims.TokenId),
        ];
        if (!claims.SessionId.IsEmpty)
        {
            list.Add(new Claim(SessionCoreClaimTypes.SessionId, claims.SessionId.ToString()));
        }

        if (claims.ClientId is { } clientId)
        {
            list.Add(new Claim(SessionCoreClaimTypes.ClientId, clientId));
        }

        if (claims.Scope is { } scope)
        {
            list.Add(new Claim(SessionCoreClaimTypes.Scope, scope));
        }

        if (claims.AuthenticationTime is { } authTime)
        {
            list.Add(new Claim(SessionCoreClaimTypes.AuthenticationTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (claims.AuthenticationContextClass is { } acr)
        {
            list.Add(new Claim(SessionCoreClaimTypes.AuthenticationContextClass, acr));
        }

        foreach (string method in claims.AuthenticationMethods)
        {
            list.Add(new Claim(SessionCoreClaimTypes.AuthenticationMethod, method));
        }

        if (confirmationThumbprint is not null)
        {
            list.Add(new Claim(SessionCoreClaimTypes.ConfirmationThumbprint, confirmationThumbprint));
        }

        ClaimsPrincipal principal = new(new ClaimsIdentity(list, Scheme.Name, SessionCoreClaimTypes.Subject, ClaimTypes.Role));
        return new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = claims.IssuedAt, ExpiresUtc = claims.ExpiresAt }, Scheme.Name);
    }
}
