using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionCore.AspNetCore.Internal;
using SessionCore.Jwt;

namespace SessionCore.AspNetCore.Authentication;

/// <summary>Validates <see cref="SessionCoreBearerOptions"/> at start-up and reports every problem at once.</summary>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public sealed class SessionCoreBearerOptionsValidator : IValidateOptions<SessionCoreBearerOptions>
{
    private readonly IServiceProvider _services;

    /// <summary>Initializes a new instance of the <see cref="SessionCoreBearerOptionsValidator"/> class.</summary>
    /// <param name="services">The application's services, to check that access tokens are registered.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public SessionCoreBearerOptionsValidator(IServiceProvider services) => _services = Throw.IfNull(services);

    /// <summary>Checks the realm and that an <see cref="AccessTokenValidator"/> is registered.</summary>
    /// <param name="name">The scheme name.</param>
    /// <param name="options">The options.</param>
    /// <returns>Success, or every failure found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public ValidateOptionsResult Validate(string? name, SessionCoreBearerOptions options)
    {
        Throw.IfNull(options);
        List<string> failures = [];
        if (options.Realm is { } realm && (realm.Length == 0 || realm.Any(c => c is < ' ' or > '~' or '"' or '\\')))
        {
            failures.Add("Realm: " + Error.RealmInvalid);
        }

        if (_services.GetService<AccessTokenValidator>() is null)
        {
            failures.Add(Error.ValidatorMissing);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
