using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Http;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>
/// A member of <c>scope_specification</c> (DBSC §9.8): URLs whose host matches <see cref="Domain"/> and whose
/// path matches <see cref="Path"/> are included in, or excluded from, the session's scope. Browsers check
/// rules from last to first and apply the first that matches (§8.2).
/// </summary>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscScopeRule
{
    /// <summary>The longest path accepted.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Initializes a new instance of the <see cref="DbscScopeRule"/> class.</summary>
    /// <param name="type">Include or exclude.</param>
    /// <param name="domain">A host pattern (§8.4): <c>*</c>, <c>*.example.com</c> (subdomains only) or a host; lower case.</param>
    /// <param name="path">A path prefix starting with <c>/</c>; <c>/static</c> matches <c>/static</c> and <c>/static/…</c>, not <c>/statics</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="domain"/> or <paramref name="path"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is undefined.</exception>
    public DbscScopeRule(DbscScopeRuleType type, string domain = "*", string path = "/")
    {
        if (type is not (DbscScopeRuleType.Include or DbscScopeRuleType.Exclude))
        {
            throw new ArgumentOutOfRangeException(nameof(type), Error.DbscRuleTypeInvalid);
        }

        Throw.IfNull(domain);
        Throw.IfNull(path);
        if (!IsHostPattern(domain))
        {
            throw new ArgumentException(Error.DbscScopeDomainInvalid, nameof(domain));
        }

        if (path.Length is 0 or > MaxPathLength || path[0] != '/' || !StructuredFieldWriter.IsStringContent(path))
        {
            throw new ArgumentException(Error.DbscScopePathInvalid, nameof(path));
        }

        Type = type;
        Domain = domain;
        Path = path;
    }

    /// <summary>Gets whether matching URLs are included or excluded.</summary>
    public DbscScopeRuleType Type { get; }

    /// <summary>Gets the host pattern.</summary>
    public string Domain { get; }

    /// <summary>Gets the path prefix.</summary>
    public string Path { get; }

    /// <summary>Returns the rule in the form <c>exclude *.example.com/static</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => string.Concat(Type == DbscScopeRuleType.Include ? "include " : "exclude ", Domain, Path);

    /// <summary><c>*</c>, <c>*.</c> followed by a host, or a host of lower-case letters, digits, '-' and '.'.</summary>
    internal static bool IsHostPattern(string pattern)
    {
        if (pattern == "*")
        {
            return true;
        }

        return IsHost(pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern.AsSpan(2) : pattern);
    }

    internal static bool IsHost(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty || host.Length > 253 || host[0] is '.' or '-' || host[^1] is '.' or '-' || host.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in host)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
