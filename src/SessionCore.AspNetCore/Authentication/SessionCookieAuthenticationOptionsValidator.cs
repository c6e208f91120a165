using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;
using SessionCore.Http;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>
/// Validates <see cref="SessionCookieAuthenticationOptions"/> at start-up and reports every problem at once.
/// </summary>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public sealed class SessionCookieAuthenticationOptionsValidator : IValidateOptions<SessionCookieAuthenticationOptions>
{
    /// <summary>Checks the cookies as the core's cookie builder would, and the <c>acr</c> map.</summary>
    /// <param name="name">The scheme name.</param>
    /// <param name="options">The options.</param>
    /// <returns>Success, or every failure found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public ValidateOptionsResult Validate(string? name, SessionCookieAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        Check(failures, "Cookie", options.Cookie);
        if (options.DeviceCookie is { } device)
        {
            Check(failures, "DeviceCookie", device);
            if (options.Cookie is not null && string.Equals(device.Name, options.Cookie.Name, StringComparison.Ordinal))
            {
                failures.Add("DeviceCookie: the device cookie needs a name of its own.");
            }
        }

        foreach (KeyValuePair<int, string> acr in options.AuthenticationContextClasses)
        {
            if (acr.Key < 1 || string.IsNullOrWhiteSpace(acr.Value))
            {
                failures.Add("AuthenticationContextClasses: levels start at 1 and every acr value is non-empty.");
                break;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string property, SessionCookieOptions? cookie)
    {
        if (cookie is null)
        {
            failures.Add(property + ": required.");
            return;
        }

        try
        {
            _ = new SessionCookieBuilder(cookie);
        }
        catch (ArgumentException e)
        {
            failures.Add(property + ": " + e.Message);
        }
    }
}
