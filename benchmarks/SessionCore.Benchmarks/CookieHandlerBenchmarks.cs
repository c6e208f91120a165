using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionCore.AspNetCore;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Http;
using SessionCore.Sessions;

namespace SessionCore.Benchmarks;

/// <summary>
/// The authenticate step of the session-cookie handler against what it is built on — reading the cookie,
/// <see cref="SessionManager.ValidateAsync(string, System.Threading.CancellationToken)"/> and building the same
/// principal and ticket by hand — and against ASP.NET Core's own cookie handler authenticating a data-protected
/// ticket with the same claims, on the same request: a fresh <see cref="DefaultHttpContext"/> carrying one cookie.
/// </summary>
/// <remarks>
/// Both handlers run through <c>HttpContext.AuthenticateAsync(scheme)</c>, the path every ASP.NET Core request
/// takes (handler provider, options, claims transformation). The in-memory store keeps the store's cost out of the
/// comparison; a fixed clock keeps renewals (a store write) out of it. <see cref="FrameworkFloor"/> (a handler that
/// returns a ready ticket) and <see cref="RequestOnly"/> (the request without authentication) separate what ASP.NET
/// Core charges every handler from the handler's own work: (SessionCookieHandler − FrameworkFloor) against
/// (ValidateAsyncPlusPrincipal − RequestOnly) is the handler's own cost over what it is built on.
/// </remarks>
[MemoryDiagnoser]
public class CookieHandlerBenchmarks
{
    private const string AspNetScheme = "aspnet-cookie";
    private const string FloorScheme = "floor";

    private ServiceProvider _services = null!;
    private SessionManager _manager = null!;
    private string _sessionCookie = string.Empty;
    private string _sessionToken = string.Empty;
    private string _ticketCookie = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(new FixedClock());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.None));
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSessionCore().AddInMemoryStore();
        services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme)
            .AddSessionCookie()
            .AddCookie(AspNetScheme)
            .AddScheme<AuthenticationSchemeOptions, FixedTicketHandler>(FloorScheme, configureOptions: null);
        _services = services.BuildServiceProvider();
        _manager = _services.GetRequiredService<SessionManager>();

        // The same sign-in through each handler, so the two cookies carry the same user and claims.
        using IServiceScope setup = _services.CreateScope();
        HttpContext signIn = NewContext(cookie: null, setup);
        ClaimsPrincipal user = new(new ClaimsIdentity(
            [new Claim(SessionCoreClaimTypes.Subject, "bench-user"), new Claim(SessionCoreClaimTypes.AuthenticationMethod, "pwd")],
            "password"));
        signIn.SignInAsync(SessionCookieDefaults.AuthenticationScheme, user).GetAwaiter().GetResult();
        _sessionCookie = CookiePair(signIn, "__Host-session");
        _sessionToken = _sessionCookie[(_sessionCookie.IndexOf('=', StringComparison.Ordinal) + 1)..];

        using IServiceScope validation = _services.CreateScope();
        HttpContext validated = NewContext(_sessionCookie, validation);
        AuthenticateResult mine = validated.AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme).GetAwaiter().GetResult();
        if (!mine.Succeeded)
        {
            throw new InvalidOperationException($"The SessionCore cookie did not authenticate ({mine.Failure?.Message ?? "no result"}).");
        }

        using IServiceScope aspNetSetup = _services.CreateScope();
        HttpContext aspNetSignIn = NewContext(cookie: null, aspNetSetup);
        aspNetSignIn.SignInAsync(AspNetScheme, mine.Principal!).GetAwaiter().GetResult();
        _ticketCookie = CookiePair(aspNetSignIn, CookieAuthenticationDefaults.CookiePrefix + AspNetScheme);
        using IServiceScope aspNetValidation = _services.CreateScope();
        if (!NewContext(_ticketCookie, aspNetValidation).AuthenticateAsync(AspNetScheme).GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("The ASP.NET Core cookie did not authenticate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>Reads the cookie, validates it through the manager and builds the principal the handler builds.</summary>
    [Benchmark(Baseline = true)]
    public async Task<AuthenticationTicket?> ValidateAsyncPlusPrincipal()
    {
        using IServiceScope scope = _services.CreateScope();
        HttpContext context = NewContext(_sessionCookie, scope);
        if (!CookieHeaderParser.Find(context.Request.Headers.Cookie.ToString(), "__Host-session").TryGetValue(out string? token))
        {
            return null;
        }

        SessionValidationResult result = await _manager.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
        return result.TryGetValue(out Session? session) ? Ticket(session) : null;
    }

    /// <summary>The SessionCore session-cookie handler's authenticate step.</summary>
    [Benchmark]
    public async Task<AuthenticateResult> SessionCookieHandler()
    {
        using IServiceScope scope = _services.CreateScope();
        return await NewContext(_sessionCookie, scope).AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme).ConfigureAwait(false);
    }

    /// <summary>ASP.NET Core's cookie handler with a data-protected ticket holding the same claims.</summary>
    [Benchmark]
    public async Task<AuthenticateResult> AspNetCoreCookieHandler()
    {
        using IServiceScope scope = _services.CreateScope();
        return await NewContext(_ticketCookie, scope).AuthenticateAsync(AspNetScheme).ConfigureAwait(false);
    }

    /// <summary>
    /// ASP.NET Core's own per-request cost of any authentication handler (scheme lookup, handler creation and
    /// initialisation, claims transformation), measured with a handler that returns a ready ticket.
    /// </summary>
    [Benchmark]
    public async Task<AuthenticateResult> FrameworkFloor()
    {
        using IServiceScope scope = _services.CreateScope();
        return await NewContext(_sessionCookie, scope).AuthenticateAsync(FloorScheme).ConfigureAwait(false);
    }

    /// <summary>The request alone (service scope and context with its cookie), which every other row also pays.</summary>
    [Benchmark]
    public int RequestOnly()
    {
        using IServiceScope scope = _services.CreateScope();
        return NewContext(_sessionCookie, scope).Request.Headers.Cookie.Count;
    }

    /// <summary>The token alone, for reference: the manager's validation without the HTTP request or the principal.</summary>
    [Benchmark]
    public async Task<bool> ValidateAsyncOnly() =>
        (await _manager.ValidateAsync(_sessionToken).ConfigureAwait(false)).IsValid;

    private static string CookiePair(HttpContext context, string name)
    {
        foreach (string? header in context.Response.Headers.SetCookie)
        {
            if (header is not null && header.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return header[..header.IndexOf(';', StringComparison.Ordinal)];
            }
        }

        throw new InvalidOperationException($"No {name} cookie was set.");
    }

    private static AuthenticationTicket Ticket(Session session)
    {
        List<Claim> claims =
        [
            new(SessionCoreClaimTypes.Subject, session.UserId),
            new(SessionCoreClaimTypes.SessionId, session.Id.ToString()),
            new(SessionCoreClaimTypes.AuthenticationLevel, session.AuthenticationLevel.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
            new(SessionCoreClaimTypes.AuthenticationTime, session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ];
        foreach (string method in session.AuthenticationMethods)
        {
            claims.Add(new Claim(SessionCoreClaimTypes.AuthenticationMethod, method));
        }

        ClaimsPrincipal principal = new(new ClaimsIdentity(claims, SessionCookieDefaults.AuthenticationScheme, SessionCoreClaimTypes.Subject, ClaimTypes.Role));
        AuthenticationProperties properties = new()
        {
            IssuedUtc = session.AuthenticatedAt,
            ExpiresUtc = session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt,
        };
        return new AuthenticationTicket(principal, properties, SessionCookieDefaults.AuthenticationScheme);
    }

    // Every request has its own service scope (the handler provider is scoped and keeps one handler per scheme).
    private static DefaultHttpContext NewContext(string? cookie, IServiceScope scope)
    {
        DefaultHttpContext context = new() { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("app.example");
        context.Request.Path = "/me";
        if (cookie is not null)
        {
            context.Request.Headers[HeaderNames.Cookie] = cookie;
        }

        return context;
    }

    private sealed class FixedTicketHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private static readonly AuthenticateResult s_result = AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bench-user")], FloorScheme)), FloorScheme));

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(s_result);
    }
}
