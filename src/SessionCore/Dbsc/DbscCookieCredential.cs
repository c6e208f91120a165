using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Http;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>
/// A cookie a DBSC session protects (a member of <c>credentials</c>, DBSC §9.9): the browser refreshes the
/// session whenever a request in scope would go out without a cookie of this name and these attributes.
/// </summary>
/// <remarks>
/// The attributes must be those of the <c>Set-Cookie</c> that delivers the cookie, without <c>Max-Age</c>
/// or <c>Expires</c> (browsers match Domain, Path, Secure, HttpOnly and SameSite). Take the credential from
/// <see cref="DbscBoundCookieService.Credential"/> so that the two cannot drift apart.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscCookieCredential
{
    /// <summary>The longest attributes string accepted.</summary>
    public const int MaxAttributesLength = 1024;

    /// <summary>Initializes a new instance of the <see cref="DbscCookieCredential"/> class.</summary>
    /// <param name="name">The cookie name (an RFC 9110 token).</param>
    /// <param name="attributes">The cookie attributes, for example <c>Path=/; Secure; HttpOnly; SameSite=Strict</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is not a token, or the attributes are not printable ASCII, are too long, or contain <c>Max-Age</c>, <c>Expires</c> or <c>Partitioned</c> (which makes browsers end the session, DBSC §8.9).</exception>
    public DbscCookieCredential(string name, string attributes)
    {
        Throw.IfNull(name);
        Throw.IfNull(attributes);
        if (name.Length > 256 || !HttpGrammar.IsToken(name))
        {
            throw new ArgumentException(Error.DbscCredentialNameInvalid, nameof(name));
        }

        if (attributes.Length > MaxAttributesLength || !StructuredFieldWriter.IsStringContent(attributes) || HasForbiddenAttribute(attributes))
        {
            throw new ArgumentException(Error.DbscCredentialAttributesInvalid, nameof(attributes));
        }

        Name = name;
        Attributes = attributes;
    }

    /// <summary>Gets the cookie name.</summary>
    public string Name { get; }

    /// <summary>Gets the cookie attributes.</summary>
    public string Attributes { get; }

    /// <summary>Returns the cookie name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    private static bool HasForbiddenAttribute(string attributes)
    {
        foreach (string part in attributes.Split(';'))
        {
            ReadOnlySpan<char> attribute = part.AsSpan().Trim();
            int equals = attribute.IndexOf('=');
            ReadOnlySpan<char> attributeName = (equals < 0 ? attribute : attribute[..equals]).Trim();
            if (attributeName.Equals("Max-Age", StringComparison.OrdinalIgnoreCase)
                || attributeName.Equals("Expires", StringComparison.OrdinalIgnoreCase)
                || attributeName.Equals("Partitioned", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
