using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// A host of <see cref="DbscSessionService"/> in the shape a web framework would give it: sign-in offers registration,
/// the registration and refresh endpoints pass header values in and copy the answer out, and the application judges
/// every request with the long-lived and the bound cookie. Runs over a <see cref="SessionFixture"/> (in-memory store,
/// fake clock, recorded events).
/// </summary>
internal sealed class DbscServiceServer : IDisposable
{
    public const string Origin = "https://app.example.com";
    public const string SessionCookie = "__Host-session";

    private readonly DbscChallengeService _challenges;
    private readonly DbscBoundCookieService _cookies;

    public DbscServiceServer(Func<Session, bool>? requireBinding = null)
    {
        Fixture = new SessionFixture();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _challenges = new DbscChallengeService(key, Fixture.Time);
        _cookies = new DbscBoundCookieService(key, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromMinutes(1) }, Fixture.Time);
        Service = new DbscSessionService(Fixture.Manager, _challenges, _cookies, new DbscSessionOptions { Origin = Origin, RequireBinding = requireBinding });
    }

    public SessionFixture Fixture { get; }

    public DbscSessionService Service { get; }

    public DbscBoundCookieService BoundCookies => _cookies;

    /// <summary>The outcome of every request to the application, in order.</summary>
    public List<DbscRequestStatus> AppResults { get; } = [];

    public List<DbscEndpointResult> EndpointResults { get; } = [];

    /// <summary>Gets or sets whether sign-in offers registration.</summary>
    public bool OfferBinding { get; set; } = true;

    public void Dispose()
    {
        _challenges.Dispose();
        _cookies.Dispose();
    }

    public async Task<SpecResponse> HandleAsync(SpecRequest request)
    {
        string? cookieHeader = request.Header("Cookie");
        string? token = CookieHeaderParser.Find(cookieHeader, SessionCookie).TryGetValue(out string? value) ? value : null;
        switch (request.Method, request.Url.AbsolutePath)
        {
            case ("GET", "/login"):
                SignInResult signIn = await Fixture.Manager.SignInAsync(new SignInRequest("alice"), Xunit.TestContext.Current.CancellationToken);
                List<KeyValuePair<string, string>> headers = [new("Set-Cookie", $"{SessionCookie}={signIn.Value.Reveal()}; Max-Age=86400; Path=/; Secure; HttpOnly; SameSite=Strict")];
                if (OfferBinding && Service.CreateRegistrationHeader(signIn.Session!) is string offer)
                {
                    headers.Add(new(DbscHeaders.Registration, offer));
                }

                return new SpecResponse(200, headers, []);
            case ("POST", "/dbsc/register"):
                return Answer(await Service.RegisterAsync(token, request.Header(DbscHeaders.Response), Xunit.TestContext.Current.CancellationToken));
            case ("POST", "/dbsc/refresh"):
                return Answer(await Service.RefreshAsync(token, request.Header(DbscHeaders.SessionId), request.Header(DbscHeaders.Response), Xunit.TestContext.Current.CancellationToken));
            default:
                DbscRequestResult result = await Service.ValidateRequestAsync(token, cookieHeader, request.Header(DbscHeaders.Skipped), Xunit.TestContext.Current.CancellationToken);
                AppResults.Add(result.Status);
                return new SpecResponse(result.IsSuccess ? 200 : 401, [], Encoding.UTF8.GetBytes(result.Status.ToString()));
        }
    }

    private SpecResponse Answer(DbscEndpointResult result)
    {
        EndpointResults.Add(result);
        return new SpecResponse(result.Answer.StatusCode, result.Answer.Headers, result.Answer.Body.ToArray());
    }
}
