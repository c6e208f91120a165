using System;
using Microsoft.AspNetCore.Http;
using SessionCore.Dbsc;
using SessionCore.Sessions;

namespace SessionCore.AspNetCore.Dbsc;

/// <summary>
/// The validated DBSC settings of the application and the core services built from them once: the challenge and
/// bound-cookie services (one key) and the <see cref="DbscSessionService"/> that the cookie handler and the endpoints share.
/// </summary>
internal sealed class DbscIntegration : IDisposable
{
    public DbscIntegration(DbscSettings settings, SessionManager sessions)
    {
        Settings = settings;
        DbscChallengeService? challenges = null;
        DbscBoundCookieService? cookies = null;
        try
        {
            challenges = new DbscChallengeService(settings.Key, sessions.TimeProvider, settings.ChallengeLifetime);
            cookies = new DbscBoundCookieService(settings.Key, settings.BoundCookie, sessions.TimeProvider);
            Sessions = new DbscSessionService(sessions, challenges, cookies, settings.SessionOptions());
        }
        catch
        {
            challenges?.Dispose();
            cookies?.Dispose();
            throw;
        }

        Challenges = challenges;
        Cookies = cookies;
    }

    public DbscSettings Settings { get; }

    public DbscChallengeService Challenges { get; }

    public DbscBoundCookieService Cookies { get; }

    public DbscSessionService Sessions { get; }

    /// <summary>Whether this is the scheme whose sessions are bound.</summary>
    public bool AppliesTo(string scheme) => string.Equals(scheme, Settings.SessionScheme, StringComparison.Ordinal);

    /// <summary>Whether a request path is the registration or the refresh endpoint (as routing matches it: ignoring case).</summary>
    public bool IsEndpoint(PathString path) =>
        path.Equals(Settings.RegistrationPath, StringComparison.OrdinalIgnoreCase) || path.Equals(Settings.RefreshPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>Secure-Session-Registration</c> value for an unbound session when binding is offered, else <see langword="null"/>.</summary>
    public string? Offer(Session session) => Settings.OfferRegistration ? Sessions.CreateRegistrationHeader(session) : null;

    /// <summary>A <c>Secure-Session-Challenge</c> value with a fresh refresh challenge for a bound session.</summary>
    public string RefreshChallenge(Session session, SessionKeyBinding binding) =>
        DbscHeaderWriter.FormatChallenge(Challenges.Issue(session.Id, DbscChallengePurpose.Refresh), DbscSessionService.SessionIdentifierOf(binding));

    public void Dispose()
    {
        Challenges.Dispose();
        Cookies.Dispose();
    }

    public override string ToString() => nameof(DbscIntegration);
}

/// <summary>The validated, copied options of <c>AddDbsc</c>.</summary>
internal sealed class DbscSettings
{
    public required byte[] Key { get; init; }

    public required DbscBoundCookieOptions BoundCookie { get; init; }

    public required TimeSpan ChallengeLifetime { get; init; }

    public required string RegistrationPath { get; init; }

    public required string RefreshPath { get; init; }

    public required string? Origin { get; init; }

    public required bool OfferRegistration { get; init; }

    public required Func<Session, bool>? RequireBinding { get; init; }

    public required string SessionScheme { get; init; }

    public DbscSessionOptions SessionOptions() => new()
    {
        RegistrationPath = RegistrationPath,
        RefreshPath = RefreshPath,
        Origin = Origin,
        RequireBinding = RequireBinding,
    };

    public override string ToString() => nameof(DbscSettings);
}
