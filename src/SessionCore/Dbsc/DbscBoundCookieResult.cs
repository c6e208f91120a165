using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>The typed outcome of verifying a bound cookie.</summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscBoundCookieResult
{
    private static readonly DbscBoundCookieResult[] s_failures =
        [.. Enum.GetValues<DbscBoundCookieStatus>().Select(s => new DbscBoundCookieResult(s, null))];

    private readonly DbscBoundCookie? _cookie;

    private DbscBoundCookieResult(DbscBoundCookieStatus status, DbscBoundCookie? cookie)
    {
        Status = status;
        _cookie = cookie;
    }

    /// <summary>Gets the outcome.</summary>
    public DbscBoundCookieStatus Status { get; }

    /// <summary>Gets a value indicating whether the cookie was accepted.</summary>
    public bool IsSuccess => _cookie is not null;

    /// <summary>Gets what the accepted cookie says.</summary>
    /// <exception cref="InvalidOperationException">The cookie was refused.</exception>
    public DbscBoundCookie Value => _cookie ?? Throw.InvalidOperation<DbscBoundCookie>(Error.FailedResultHasNoValue);

    /// <summary>Gets what the accepted cookie says, when it was accepted.</summary>
    /// <param name="cookie">The cookie's contents.</param>
    /// <returns><see langword="true"/> when accepted.</returns>
    public bool TryGetValue([NotNullWhen(true)] out DbscBoundCookie? cookie)
    {
        cookie = _cookie;
        return cookie is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static DbscBoundCookieResult Valid(DbscBoundCookie cookie) => new(DbscBoundCookieStatus.Valid, cookie);

    internal static DbscBoundCookieResult Failure(DbscBoundCookieStatus status) => s_failures[(int)status];
}
