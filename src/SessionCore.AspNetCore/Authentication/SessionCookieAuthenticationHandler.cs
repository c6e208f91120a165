using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dbsc;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>
/// Authenticates requests by the SessionCore session cookie, and signs in and out through
/// <c>HttpContext.SignInAsync</c> / <c>SignOutAsync</c>.
/// </summary>
/// <remarks>
/// <para>
/// Security: the cookie is validated by <see cref="SessionManager.ValidateAsync(string, System.Threading.CancellationToken)"/>
/// on every request; an unknown, expired, revoked or malformed cookie, and any store failure, answers "not
/// authenticated" (fail closed), never an error page. Sign-in always mints a fresh session and revokes the one the
/// request presented, which is never adopted (fixation). Sign-out revokes the session in the store and deletes the cookie.
/// </para>
/// <para>
/// With <c>AddDbsc</c>, a session bound to a device key authenticates only with its current short-lived bound cookie,
/// checked by <see cref="DbscSessionService.ValidateRequestAsync"/>; without it the request is not authenticated (never
/// a fallback to the long-lived cookie), and the 401 carries a fresh <c>Secure-Session-Challenge</c> for the browser's
/// next refresh. Sessions the "require binding" policy selects do not authenticate until bound, and their 401 offers
/// registration. Sign-in offers binding (<c>Secure-Session-Registration</c>), regeneration of a bound session sets a
/// bound cookie for the new session, and sign-out deletes the bound cookie. Without <c>AddDbsc</c>, a bound session
/// is never authenticated by this handler.
/// </para>
/// <para>
/// The principal carries <c>sub</c>, <c>sid</c> (the session id: the token's hash, never the token),
/// <c>sc_level</c>, <c>acr</c> (when mapped), <c>amr</c> and <c>auth_time</c>; see <see cref="SessionCoreClaimTypes"/>.
/// </para>
/// </remarks>
/// <threadsafety>One instance per request.</threadsafety>
public sealed partial class SessionCookieAuthenticationHandler : SignInAuthenticationHandler<SessionCookieAuthenticationOptions>
{
    private static readonly ConditionalWeakTable<SessionCookieAuthenticationOptions, CookieWriters> s_writers = [];

    private readonly SessionManager _sessions;
    private CookieWriters? _writers;

    // The live session a DBSC check refused on this request (bound without its bound cookie, or required to bind), for the 401.
    private Session? _dbscRefused;

    /// <summary>Initializes a new instance of the <see cref="SessionCookieAuthenticationHandler"/> class.</summary>
    /// <param name="options">The options monitor.</param>
    /// <param name="logger">The logger factory.</param>
    /// <param name="encoder">The URL encoder.</param>
    /// <param name="sessions">The session manager.</param>
    public SessionCookieAuthenticationHandler(
        IOptionsMonitor<SessionCookieAuthenticationOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        SessionManager sessions)
        : base(options, logger, encoder)
    {
        _sessions = Throw.IfNull(sessions);
    }

    private CookieWriters Writers => _writers ??= s_writers.GetValue(Options, static o => new CookieWriters(o));

    /// <summary>The DBSC integration when it is registered for this scheme, else <see langword="null"/>.</summary>
    private DbscIntegration? Dbsc => Writers.Dbsc(Context.RequestServices) is { } dbsc && dbsc.AppliesTo(Scheme.Name) ? dbsc : null;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        DbscIntegration? dbsc = Dbsc;
        if (dbsc is not null && dbsc.IsEndpoint(Request.Path))
        {
            // The DBSC endpoints judge the session themselves; a refresh comes without the bound cookie by design and
            // must not be taken for a stolen long-lived cookie.
            return AuthenticateResult.NoResult();
        }

        HeaderValueResult cookie = CookieHeaderParser.Find(ReadCookieHeader(Request), Writers.Session.Name);
        if (cookie.Status == HeaderValueStatus.NotFound)
        {
            return AuthenticateResult.NoResult();
        }

        SessionCoreFeature feature = Feature(Context);
        if (!cookie.TryGetValue(out string? value))
        {
            feature.Validation = SessionValidationStatus.Malformed;
            return AuthenticateResult.Fail("The session cookie is not valid.");
        }

        if (dbsc is not null)
        {
            return await AuthenticateBoundAsync(dbsc, feature, value).ConfigureAwait(false);
        }

        // Without DBSC the manager itself refuses a bound session (KeyBindingRequired): no fallback to the token alone.
        SessionToken? token = null;
        SessionValidationResult validation;
        try
        {
            // Parsed once: the token (and its hash, the session id) is kept for regeneration and sign-out. A malformed
            // value still goes to the manager, which answers and counts it.
            validation = SessionToken.TryParse(value, out token)
                ? await _sessions.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false)
                : await _sessions.ValidateAsync(value, Context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed: whatever the store or a sink throws, the request is not authenticated.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogValidationFailed(Logger, e.GetType().Name);
            feature.Validation = SessionValidationStatus.StoreUnavailable;
            return AuthenticateResult.Fail("The session could not be checked.");
        }

        feature.Validation = validation.Status;
        if (!validation.TryGetValue(out Session? session) || token is null)
        {
            return AuthenticateResult.Fail("The session cookie is not valid.");
        }

        feature.Session = session;
        feature.Token = token;
        return AuthenticateResult.Success(Ticket(session));
    }

    /// <inheritdoc />
    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        Throw.IfNull(user);
        string userId = user.FindFirst(SessionCoreClaimTypes.Subject)?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? user.Identity?.Name
            ?? Throw.InvalidOperation<string>(Error.NoUserId);
        int level = int.TryParse(user.FindFirst(SessionCoreClaimTypes.AuthenticationLevel)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? l : 1;
        string[] methods = [.. user.FindAll(SessionCoreClaimTypes.AuthenticationMethod).Select(c => c.Value)];

        // Whatever session cookie came with the request is handed to the manager to be revoked; it is never adopted.
        string? presented = CookieHeaderParser.Find(ReadCookieHeader(Request), Writers.Session.Name).TryGetValue(out string? p) ? p : null;
        SignInResult result = await _sessions.SignInAsync(
            new SignInRequest(userId)
            {
                AuthenticationLevel = level,
                AuthenticationMethods = methods,
                Client = new ClientInfo(Request.Headers.UserAgent.ToString(), Context.Connection.RemoteIpAddress, DeviceId()),
                PresentedToken = presented,
            },
            Context.RequestAborted).ConfigureAwait(false);

        SessionCoreFeature feature = Feature(Context);
        feature.SignIn = result;
        NoStore();
        if (!result.IsSuccess)
        {
            feature.Session = null;
            feature.Token = null;
            if (presented is not null)
            {
                Response.Headers.Append(HeaderNames.SetCookie, Writers.Session.BuildDeletion());
            }

            return;
        }

        Accept(feature, result.Value, result.Session!);
        if (Dbsc is { } dbsc)
        {
            // The presented session was revoked; a bound cookie of it is worthless now. The new session is unbound.
            if (CookieHeaderParser.Find(ReadCookieHeader(Request), dbsc.Cookies.Name).Status != HeaderValueStatus.NotFound)
            {
                Response.Headers.Append(HeaderNames.SetCookie, dbsc.Cookies.BuildDeletion());
            }

            Offer(dbsc, result.Session!);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// For a live session that DBSC refused on this request, the 401 also carries a fresh <c>Secure-Session-Challenge</c>
    /// (bound session: the browser's next refresh needs one round trip less) or <c>Secure-Session-Registration</c>
    /// (a session required to bind).
    /// </remarks>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await base.HandleChallengeAsync(properties).ConfigureAwait(false);
        if (_dbscRefused is not { } session || Dbsc is not { } dbsc)
        {
            return;
        }

        NoStore();
        if (session.KeyBinding is { } binding)
        {
            Response.Headers.Append(DbscHeaders.Challenge, dbsc.RefreshChallenge(session, binding));
        }
        else
        {
            Offer(dbsc, session);
        }
    }

    /// <inheritdoc />
    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        SessionCoreFeature feature = Feature(Context);
        string? token = feature.Token?.Reveal()
            ?? (CookieHeaderParser.Find(ReadCookieHeader(Request), Writers.Session.Name).TryGetValue(out string? v) ? v : null);
        SessionOperationStatus status = SessionOperationStatus.NothingToDo;
        if (token is not null)
        {
            try
            {
                status = await _sessions.RevokeAsync(token, RevocationReason.Logout, Context.RequestAborted).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The caller reads the outcome from the feature; a sign-out never turns into an error page.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogValidationFailed(Logger, e.GetType().Name);
                status = SessionOperationStatus.StoreUnavailable;
            }
        }

        feature.SignOut = status;
        feature.Session = null;
        feature.Token = null;
        NoStore();
        Response.Headers.Append(HeaderNames.SetCookie, Writers.Session.BuildDeletion());
        if (Dbsc is { } dbsc)
        {
            // The session is revoked, so the browser's next refresh is answered {"continue": false} and its DBSC session ends.
            Response.Headers.Append(HeaderNames.SetCookie, dbsc.Cookies.BuildDeletion());
        }
    }

    /// <summary>Regenerates the request's session (new token, old one revoked at once) and writes the new cookie.</summary>
    internal async Task<SessionRegenerationResult> RegenerateAsync(SessionChange? change)
    {
        _ = await AuthenticateAsync().ConfigureAwait(false);
        SessionCoreFeature feature = Feature(Context);
        SessionRegenerationResult result = feature.Token is { } token
            ? await _sessions.RegenerateAsync(token, change, Context.RequestAborted).ConfigureAwait(false)
            : await _sessions.RegenerateAsync((string?)null, change, Context.RequestAborted).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            NoStore();
            Accept(feature, result.Value, result.Session!);
            if (Dbsc is { } dbsc)
            {
                // Regeneration moves the binding; the bound cookie names the session, so the new one needs its own.
                if (result.Session!.KeyBinding is not null)
                {
                    Response.Headers.Append(HeaderNames.SetCookie, dbsc.Sessions.IssueBoundCookie(result.Session));
                }
                else
                {
                    Offer(dbsc, result.Session);
                }
            }
        }

        return result;
    }

    /// <summary>Joins the request's <c>Cookie</c> headers: HTTP/2 and HTTP/3 may send one header per cookie.</summary>
    internal static string ReadCookieHeader(HttpRequest request)
    {
        StringValues values = request.Headers.Cookie;
        return values.Count <= 1 ? values.ToString() : string.Join("; ", values.ToArray());
    }

    internal static SessionCoreFeature Feature(HttpContext context)
    {
        SessionCoreFeature? feature = context.Features.Get<SessionCoreFeature>();
        if (feature is null)
        {
            feature = new SessionCoreFeature();
            context.Features.Set(feature);
        }

        return feature;
    }

    /// <summary>Authenticates with the DBSC session service: the long-lived cookie and, once the session is bound, its bound cookie.</summary>
    private async Task<AuthenticateResult> AuthenticateBoundAsync(DbscIntegration dbsc, SessionCoreFeature feature, string value)
    {
        DbscRequestResult request;
        try
        {
            // Secure-Session-Skipped is a List: several lines join into one (RFC 9651 §4.2).
            StringValues skipped = Request.Headers[DbscHeaders.Skipped];
            request = await dbsc.Sessions.ValidateRequestAsync(
                value,
                ReadCookieHeader(Request),
                skipped.Count == 0 ? null : string.Join(", ", skipped.ToArray()),
                Context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed, as above.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogValidationFailed(Logger, e.GetType().Name);
            feature.Validation = SessionValidationStatus.StoreUnavailable;
            return AuthenticateResult.Fail("The session could not be checked.");
        }

        feature.DeviceBinding = request.Status;
        if (request.Status == DbscRequestStatus.SessionNotValid)
        {
            feature.Validation = request.SessionStatus;
            return AuthenticateResult.Fail("The session cookie is not valid.");
        }

        if (!request.TryGetValue(out Session? session) || !SessionToken.TryParse(value, out SessionToken? token))
        {
            // A live session without what DBSC asks of it: not authenticated, whatever the long-lived cookie says.
            feature.Validation = SessionValidationStatus.KeyBindingRequired;
            _dbscRefused = request.Session;
            LogBindingRefused(Logger, request.Status);
            return AuthenticateResult.Fail("The session is bound to a device key and the request lacks its current bound cookie.");
        }

        feature.Validation = request.SessionStatus;
        feature.Session = session;
        feature.Token = token;
        return AuthenticateResult.Success(Ticket(session));
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "A device-bound session was not authenticated ({Status}).")]
    private static partial void LogBindingRefused(ILogger logger, DbscRequestStatus status);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The session store failed ({ExceptionType}); the request is treated as not authenticated.")]
    private static partial void LogValidationFailed(ILogger logger, string exceptionType);

    private void Accept(SessionCoreFeature feature, SessionToken token, Session session)
    {
        Response.Headers.Append(HeaderNames.SetCookie, Writers.Session.Build(token, session, _sessions.TimeProvider.GetUtcNow()));
        feature.Session = session;
        feature.Token = token;
        feature.Validation = SessionValidationStatus.Valid;
        Context.User = Ticket(session).Principal;
    }

    private void Offer(DbscIntegration dbsc, Session session)
    {
        if (dbsc.Offer(session) is { } offer)
        {
            Response.Headers.Append(DbscHeaders.Registration, offer);
        }
    }

    private void NoStore()
    {
        // A response that sets a session cookie must never be stored by the browser or a shared cache.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
    }

    private string? DeviceId()
    {
        if (Writers.Device is not { } device)
        {
            return null;
        }

        if (CookieHeaderParser.Find(ReadCookieHeader(Request), device.Name).TryGetValue(out string? id) && DeviceFingerprint.IsWellFormedDeviceId(id))
        {
            return id;
        }

        string minted = _sessions.MintDeviceId();
        Response.Headers.Append(HeaderNames.SetCookie, device.Build(minted, device.MaxAge));
        return minted;
    }

    private AuthenticationTicket Ticket(Session session)
    {
        string level = session.AuthenticationLevel.ToString(CultureInfo.InvariantCulture);
        List<Claim> claims =
        [
            new(SessionCoreClaimTypes.Subject, session.UserId),
            new(SessionCoreClaimTypes.SessionId, session.Id.ToString()),
            new(SessionCoreClaimTypes.AuthenticationLevel, level, ClaimValueTypes.Integer32),
            new(SessionCoreClaimTypes.AuthenticationTime, session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ];
        if (Options.AuthenticationContextClasses.TryGetValue(session.AuthenticationLevel, out string? acr))
        {
            claims.Add(new Claim(SessionCoreClaimTypes.AuthenticationContextClass, acr));
        }

        foreach (string method in session.AuthenticationMethods)
        {
            claims.Add(new Claim(SessionCoreClaimTypes.AuthenticationMethod, method));
        }

        ClaimsPrincipal principal = new(new ClaimsIdentity(claims, Scheme.Name, SessionCoreClaimTypes.Subject, ClaimTypes.Role));
        AuthenticationProperties properties = new()
        {
            IssuedUtc = session.AuthenticatedAt,
            ExpiresUtc = session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt,
        };
        return new AuthenticationTicket(principal, properties, Scheme.Name);
    }

    /// <summary>What the scheme's options imply, built once per options instance (the options monitor's per provider).</summary>
    private sealed class CookieWriters(SessionCookieAuthenticationOptions options)
    {
        private DbscIntegration? _dbsc;
        private volatile bool _dbscResolved;

        public SessionCookieBuilder Session { get; } = new(options.Cookie);

        public SessionCookieBuilder? Device { get; } = options.DeviceCookie is null ? null : new SessionCookieBuilder(options.DeviceCookie);

        /// <summary>
        /// The registered DBSC integration, looked up once: it is a singleton of the provider whose options monitor
        /// made these options, so the answer cannot change for them. Two first requests may both look it up; they
        /// find the same instance.
        /// </summary>
        public DbscIntegration? Dbsc(IServiceProvider services)
        {
            if (!_dbscResolved)
            {
                _dbsc = services.GetService<DbscIntegration>();
                _dbscResolved = true;
            }

            return _dbsc;
        }
    }
}
