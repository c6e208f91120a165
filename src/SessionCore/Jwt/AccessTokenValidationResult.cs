using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Jwt;

/// <summary>The typed outcome of validating an access token.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class AccessTokenValidationResult
{
    private static readonly AccessTokenValidationResult[] s_failures =
        [.. Enum.GetValues<AccessTokenValidationStatus>().Select(s => new AccessTokenValidationResult(s, null))];

    private readonly AccessTokenClaims? _claims;

    private AccessTokenValidationResult(AccessTokenValidationStatus status, AccessTokenClaims? claims)
    {
        Status = status;
        _claims = claims;
    }

    /// <summary>Gets the outcome.</summary>
    public AccessTokenValidationStatus Status { get; }

    /// <summary>Gets a value indicating whether the token is valid.</summary>
    public bool IsSuccess => _claims is not null;

    /// <summary>Gets the validated claims.</summary>
    /// <exception cref="InvalidOperationException">The validation failed.</exception>
    public AccessTokenClaims Value => _claims ?? Throw.InvalidOperation<AccessTokenClaims>(Error.FailedResultHasNoValue);

    /// <summary>Gets the claims when the token is valid.</summary>
    /// <param name="claims">The claims, when valid.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public bool TryGetValue([NotNullWhen(true)] out AccessTokenClaims? claims)
    {
        claims = _claims;
        return claims is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static AccessTokenValidationResult Success(AccessTokenClaims claims) => new(AccessTokenValidationStatus.Valid, claims);

    internal static AccessTokenValidationResult Failure(AccessTokenValidationStatus status) => s_failures[(int)status];
}
