using System;
using System.Collections.Generic;
using SessionCore.AspNetCore.Csrf;
using SessionCore.AspNetCore.Internal;
using SessionCore.DependencyInjection;
using SessionCore.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CSRF and origin checks of the ASP.NET Core integration.</summary>
public static class CsrfSessionCoreBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="CsrfTokenService"/> (masked per-session tokens) and a <see cref="RequestOriginPolicy"/>
    /// for <c>UseSessionCoreCsrf()</c>, <c>RequireCsrfToken()</c>, <c>RequireSameOrigin()</c> and
    /// <c>HttpContext.GetCsrfToken()</c>. The options are validated now and every problem is reported at once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionCore</c>.</param>
    /// <param name="configure">Sets at least <see cref="SessionCoreCsrfOptions.ExpectedOrigin"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete or out of range; the message lists every problem.</exception>
    public static SessionCoreBuilder AddCsrfProtection(this SessionCoreBuilder builder, Action<SessionCoreCsrfOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        SessionCoreCsrfOptions options = new();
        configure(options);
        SessionCoreCsrfOptions snapshot = new()
        {
            ExpectedOrigin = options.ExpectedOrigin,
            HeaderName = options.HeaderName,
            SessionScheme = options.SessionScheme,
        };
        if (options.Key is { } key)
        {
            // A copy: the caller may clear its array after registration.
            snapshot.Key = key.ToArray();
        }

        Validate(snapshot);
        builder.Services.AddSingleton(_ => new CsrfProtection(snapshot));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<CsrfProtection>().Tokens);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<CsrfProtection>().Origins);
        return builder;
    }

    private static void Validate(SessionCoreCsrfOptions options)
    {
        List<string> problems = [];
        try
        {
            _ = new RequestOriginPolicy(options.ExpectedOrigin ?? string.Empty);
        }
        catch (ArgumentException)
        {
            problems.Add("ExpectedOrigin: " + Error.OriginMissing);
        }

        if (string.IsNullOrWhiteSpace(options.HeaderName) || options.HeaderName.Length > 64 || !IsToken(options.HeaderName))
        {
            problems.Add("HeaderName: a header name (an RFC 9110 token of at most 64 characters).");
        }

        if (options.Key is { } key && (key.Length < CsrfTokenService.MinKeySize || key.Length > CsrfTokenService.MaxKeySize))
        {
            problems.Add($"Key: between {CsrfTokenService.MinKeySize} and {CsrfTokenService.MaxKeySize} bytes, or null for a random key.");
        }

        if (string.IsNullOrWhiteSpace(options.SessionScheme))
        {
            problems.Add("SessionScheme: " + Error.EmptyString);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("CSRF protection options are not valid: " + string.Join(" ", problems), nameof(options));
        }
    }

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
