using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dbsc;
using SessionCore.DependencyInjection;
using SessionCore.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Device Bound Session Credentials (W3C DBSC) for the session-cookie scheme.</summary>
public static class DbscSessionCoreBuilderExtensions
{
    private const string DummyChallenge = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string DummyIdentifier = "kAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /// <summary>
    /// Registers DBSC on the session-cookie scheme: a <see cref="DbscChallengeService"/> and a
    /// <see cref="DbscBoundCookieService"/> under one key, and the <see cref="DbscSessionService"/> that the cookie
    /// handler uses to judge bound sessions and that <c>MapSessionCoreDbsc()</c> serves. Sign-in then offers binding
    /// (<c>Secure-Session-Registration</c>), a bound session authenticates only with its current bound cookie, and
    /// sign-out ends the binding. The options are validated now and every problem is reported at once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete or out of range; the message lists every problem.</exception>
    /// <remarks>
    /// Security: without <see cref="SessionCoreDbscOptions.Key"/> a key is generated for this process, which suits one
    /// node; several nodes (or restarts that must not refuse bound cookies in flight) need the same configured key. The
    /// key is copied and never logged. A bound session never falls back to its long-lived cookie alone, with or without
    /// this registration.
    /// </remarks>
    [Experimental(Preview.Dbsc)]
    public static SessionCoreBuilder AddDbsc(this SessionCoreBuilder builder, Action<SessionCoreDbscOptions>? configure = null)
    {
        Throw.IfNull(builder);
        SessionCoreDbscOptions options = new();
        configure?.Invoke(options);
        DbscSettings settings = Validate(options);
        builder.Services.TryAddSingleton(sp => new DbscIntegration(
            settings,
            sp.GetService<SessionManager>() ?? Throw.InvalidOperation<SessionManager>(Error.ManagerMissing)));
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<DbscIntegration>().Sessions);
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<DbscIntegration>().Challenges);
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<DbscIntegration>().Cookies);
        return builder;
    }

    private static DbscSettings Validate(SessionCoreDbscOptions options)
    {
        List<string> problems = [];
        if (options.Key is { } key && key.Length != DbscChallengeService.KeySize)
        {
            problems.Add($"Key: exactly {DbscChallengeService.KeySize} bytes, or null for a random key per process.");
        }

        // The core services check the cookie and the lifetime; a throw-away key lets them speak now rather than at the first request.
        byte[] probeKey = new byte[DbscChallengeService.KeySize];
        DbscBoundCookieOptions? cookie = options.BoundCookie is { } c ? new DbscBoundCookieOptions { Name = c.Name, SameSite = c.SameSite, MaxAge = c.MaxAge } : null;
        using DbscBoundCookieService defaults = new(probeKey);
        DbscCookieCredential credential = defaults.Credential;
        if (cookie is null)
        {
            problems.Add("BoundCookie: required.");
        }
        else
        {
            try
            {
                using DbscBoundCookieService probe = new(probeKey, cookie);
                credential = probe.Credential;
            }
            catch (ArgumentException)
            {
                problems.Add("BoundCookie: a name that starts with __Host- (an RFC 9110 token of at most 256 characters), a defined SameSite, and a Max-Age between 30 seconds and one hour.");
            }
        }

        if (options.ChallengeLifetime < DbscChallengeService.MinLifetime || options.ChallengeLifetime > DbscChallengeService.MaxLifetime)
        {
            problems.Add("ChallengeLifetime: between 10 seconds and 10 minutes.");
        }

        bool registration = CheckPath(problems, "RegistrationPath", options.RegistrationPath, path => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, path, DummyChallenge));
        bool refresh = CheckPath(problems, "RefreshPath", options.RefreshPath, path => _ = new DbscSessionInstructions(DummyIdentifier, path, [credential]));
        if (registration && refresh && string.Equals(options.RegistrationPath, options.RefreshPath, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("RefreshPath: the refresh endpoint needs a path of its own.");
        }

        if (options.Origin is { } origin)
        {
            try
            {
                _ = new DbscSessionInstructions(DummyIdentifier, "/", [credential]) { Origin = origin };
            }
            catch (ArgumentException)
            {
                problems.Add("Origin: an https origin (http only on localhost), scheme://host[:port] in lower case, or null for the registration's origin.");
            }
        }

        if (options.RequireBinding is not null && !options.OfferRegistration)
        {
            problems.Add("OfferRegistration: a policy that requires binding must offer registration, or required sessions could never bind.");
        }

        if (string.IsNullOrWhiteSpace(options.SessionScheme))
        {
            problems.Add("SessionScheme: " + Error.EmptyString);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("DBSC options are not valid: " + string.Join(" ", problems), nameof(options));
        }

        return new DbscSettings
        {
            // A copy: the caller may clear its array after registration.
            Key = options.Key is { } configured ? configured.ToArray() : RandomNumberGenerator.GetBytes(DbscChallengeService.KeySize),
            BoundCookie = cookie!,
            ChallengeLifetime = options.ChallengeLifetime,
            RegistrationPath = options.RegistrationPath,
            RefreshPath = options.RefreshPath,
            Origin = options.Origin,
            OfferRegistration = options.OfferRegistration,
            RequireBinding = options.RequireBinding,
            SessionScheme = options.SessionScheme,
        };
    }

    /// <summary>An endpoint that ASP.NET Core routing can map and the core can hand a browser.</summary>
    private static bool CheckPath(List<string> problems, string property, string? path, Action<string> core)
    {
        string message = property + ": an origin-relative path with a single leading '/', printable ASCII without '\\', '?', '#', '{' or '}', at most 2048 characters.";
        if (path is null || path.Length is < 1 or > 2048 || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal) || path.AsSpan().IndexOfAny("\\?#{}") >= 0)
        {
            problems.Add(message);
            return false;
        }

        try
        {
            core(path);
            return true;
        }
        catch (ArgumentException)
        {
            problems.Add(message);
            return false;
        }
    }
}
