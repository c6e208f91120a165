using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionCore.AspNetCore.Internal;
using SessionCore.Dpop;
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

    /// <summary>
    /// Checks the realm, the public origin, that an <see cref="AccessTokenValidator"/> is registered and, when DPoP is
    /// accepted, a <see cref="DpopProofValidator"/>.
    /// </summary>
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

        if (options.PublicOrigin is { } origin && !IsOrigin(origin))
        {
            failures.Add("PublicOrigin: " + Error.PublicOriginInvalid);
        }

        if (_services.GetService<AccessTokenValidator>() is null)
        {
            failures.Add(Error.ValidatorMissing);
        }

        // Asked without building it, so a missing store is reported by the validator's own registration, not here.
        if (options.AcceptDpop && _services.GetService<IServiceProviderIsService>()?.IsService(typeof(DpopProofValidator)) != true)
        {
            failures.Add("AcceptDpop: " + Error.DpopMissing);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.UserInfo.Length == 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && !origin.EndsWith('/')
        && !origin.Contains('?', StringComparison.Ordinal)
        && !origin.Contains('#', StringComparison.Ordinal);
}
