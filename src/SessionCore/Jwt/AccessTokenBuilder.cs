using System;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>Builds an <see cref="AccessTokenIssuer"/> and an <see cref="AccessTokenValidator"/> without any container.</summary>
/// <example>
/// <code>
/// using var key = SigningKey.Generate(SigningAlgorithm.Es256);
/// var builder = new AccessTokenBuilder
/// {
///     KeyRing = new SigningKeyRing(key),
///     Store = store,
///     Options = { Issuer = "https://login.example", Audience = "api", DefaultClientId = "web" },
/// };
/// AccessTokenIssuer issuer = builder.BuildIssuer();
/// AccessTokenValidator validator = builder.BuildValidator();
/// </code>
/// </example>
/// <threadsafety>Not thread-safe. Each build validates and snapshots the options, so later changes do not reach built instances.</threadsafety>
public sealed class AccessTokenBuilder
{
    /// <summary>Gets or sets the key ring. Required.</summary>
    /// <value><see langword="null"/>.</value>
    public SigningKeyRing? KeyRing { get; set; }

    /// <summary>Gets or sets the options; validated and copied by each build.</summary>
    /// <value>Defaults: 15-minute lifetime, 30-second skew, 8 KiB tokens, online validation, no signature cache. Issuer and audience are required; issuing also needs a default client id.</value>
    public AccessTokenOptions Options { get; set; } = new();

    /// <summary>Gets or sets the time source.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the session store for online validation; required when <see cref="AccessTokenOptions.ValidationMode"/> is <see cref="AccessTokenValidationMode.Online"/>.</summary>
    /// <value><see langword="null"/>.</value>
    public ISessionStore? Store { get; set; }

    /// <summary>Gets or sets the randomness seam; reachable by tests only.</summary>
    internal Action<Span<byte>>? RandomFill { get; set; }

    /// <summary>Validates the configuration and builds an issuer.</summary>
    /// <returns>The issuer.</returns>
    /// <exception cref="InvalidOperationException">No key ring is set.</exception>
    /// <exception cref="ArgumentException">An option is missing (including <see cref="AccessTokenOptions.DefaultClientId"/>) or out of bounds.</exception>
    public AccessTokenIssuer BuildIssuer()
    {
        SigningKeyRing ring = KeyRing ?? Throw.InvalidOperation<SigningKeyRing>(Error.KeyRingMissing);
        AccessTokenSettings settings = AccessTokenSettings.CreateForIssuer(Options);
        return new AccessTokenIssuer(ring, settings, Throw.IfNull(TimeProvider), RandomFill is null ? TokenSource.System : new TokenSource(RandomFill));
    }

    /// <summary>Validates the configuration and builds a validator.</summary>
    /// <returns>The validator.</returns>
    /// <exception cref="InvalidOperationException">No key ring is set, or online mode has no store.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    public AccessTokenValidator BuildValidator()
    {
        SigningKeyRing ring = KeyRing ?? Throw.InvalidOperation<SigningKeyRing>(Error.KeyRingMissing);
        AccessTokenSettings settings = AccessTokenSettings.Create(Options);
        if (settings.ValidationMode == AccessTokenValidationMode.Online && Store is null)
        {
            Throw.InvalidOperation(Error.OnlineNeedsStore);
        }

        return new AccessTokenValidator(ring, settings, Throw.IfNull(TimeProvider), settings.ValidationMode == AccessTokenValidationMode.Online ? Store : null);
    }
}
