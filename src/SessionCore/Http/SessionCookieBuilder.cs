using System;
using System.Globalization;
using System.Text;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Http;

/// <summary>
/// Writes <c>Set-Cookie</c> header values for the session cookie (and its deletion at sign-out) with
/// no web framework: <c>name=value; Max-Age=n; Path=/; Secure; HttpOnly; SameSite=Strict</c>.
/// </summary>
/// <remarks>
/// Security: <c>HttpOnly</c> is always written, so scripts (and XSS) cannot read the token. The builder
/// refuses, when it is created, any combination browsers reject or that weakens the cookie: a
/// <c>__Host-</c> name with a <c>Domain</c> or a path other than <c>/</c>, a <c>__Secure-</c> or
/// <c>__Host-</c> name without <c>Secure</c>, <c>SameSite=None</c> without <c>Secure</c>, and names,
/// values, paths or domains outside the RFC 6265 grammar.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionCookieBuilder
{
    /// <summary>The most characters of name and value together (RFC 6265 §6.1 minimum capability; browsers drop larger cookies).</summary>
    public const int MaxValueLength = 4096;

    private readonly string _attributes;

    /// <summary>Initializes a new instance of the <see cref="SessionCookieBuilder"/> class.</summary>
    /// <param name="options">The cookie attributes, or <see langword="null"/> for the defaults; validated and copied.</param>
    /// <exception cref="ArgumentException">The options describe a cookie browsers would reject or that is weakened (see remarks).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SessionCookieOptions.MaxAge"/> is out of range.</exception>
    public SessionCookieBuilder(SessionCookieOptions? options = null)
    {
        options ??= new SessionCookieOptions();
        string name = options.Name;
        if (name is null || name.Length > 256 || !HttpGrammar.IsToken(name))
        {
            throw new ArgumentException(Error.CookieNameInvalid, nameof(options));
        }

        string path = options.Path ?? string.Empty;
        if (path.Length == 0 || path.Length > 1024 || path[0] != '/' || !IsAttributeValue(path))
        {
            throw new ArgumentException(Error.CookiePathInvalid, nameof(options));
        }

        string? domain = options.Domain;
        if (domain is not null && !IsDomain(domain))
        {
            throw new ArgumentException(Error.CookieDomainInvalid, nameof(options));
        }

        // RFC 6265bis matches the prefixes case-insensitively.
        if (name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) && (!options.Secure || domain is not null || path != "/"))
        {
            throw new ArgumentException(Error.CookieHostPrefix, nameof(options));
        }

        if (name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase) && !options.Secure)
        {
            throw new ArgumentException(Error.CookieSecurePrefix, nameof(options));
        }

        if (options.SameSite == CookieSameSite.None && !options.Secure)
        {
            throw new ArgumentException(Error.CookieSameSiteNoneInsecure, nameof(options));
        }

        if (options.MaxAge < TimeSpan.FromSeconds(1) || options.MaxAge > SessionCookieOptions.MaxAgeLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.CookieMaxAgeOutOfRange);
        }

        if (!Enum.IsDefined(options.SameSite))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.CookieSameSiteInvalid);
        }

        Name = name;
        MaxAge = options.MaxAge;
        StringBuilder attributes = new();
        attributes.Append("; Path=").Append(path);
        if (domain is not null)
        {
            attributes.Append("; Domain=").Append(domain);
        }

        if (options.Secure)
        {
            attributes.Append("; Secure");
        }

        attributes.Append("; HttpOnly; SameSite=").Append(options.SameSite switch
        {
            CookieSameSite.Lax => "Lax",
            CookieSameSite.None => "None",
            _ => "Strict",
        });
        _attributes = attributes.ToString();
    }

    /// <summary>Gets the cookie name.</summary>
    public string Name { get; }

    /// <summary>Gets the longest <c>Max-Age</c> this builder writes.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Gets the attributes after the name and value, without <c>Max-Age</c>: <c>Path=/; Secure; HttpOnly; SameSite=Strict</c>.</summary>
    internal string Attributes => _attributes[2..];

    /// <summary>Writes the cookie that hands a session token to the client.</summary>
    /// <param name="token">The token from sign-in or regeneration.</param>
    /// <param name="session">Its session; <c>Max-Age</c> ends no later than its absolute expiry.</param>
    /// <param name="now">The current time (from the manager's <see cref="TimeProvider"/>).</param>
    /// <returns>The <c>Set-Cookie</c> header value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The session has less than a second of absolute lifetime left.</exception>
    /// <remarks>Security: the return value contains the secret token; never log it.</remarks>
    public string Build(SessionToken token, Session session, DateTimeOffset now)
    {
        Throw.IfNull(token);
        Throw.IfNull(session);
        TimeSpan remaining = session.AbsoluteExpiresAt - now;
        if (remaining < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(Error.CookieSessionEnded, nameof(session));
        }

        return Format(token.Reveal(), remaining < MaxAge ? remaining : MaxAge);
    }

    /// <summary>Writes a cookie with any value (for example a device-id cookie from <see cref="SessionManager.MintDeviceId"/>).</summary>
    /// <param name="value">The value: RFC 6265 cookie-octets only; with the name, at most <see cref="MaxValueLength"/> characters.</param>
    /// <param name="maxAge">The lifetime: at least one second and at most <see cref="MaxAge"/>; fractions of a second are dropped.</param>
    /// <returns>The <c>Set-Cookie</c> header value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is outside the cookie grammar.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is out of range.</exception>
    public string Build(string value, TimeSpan maxAge)
    {
        Throw.IfNull(value);
        if (maxAge < TimeSpan.FromSeconds(1) || maxAge > MaxAge)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), Error.CookieMaxAgeOutOfRange);
        }

        return Format(value, maxAge);
    }

    /// <summary>Writes the cookie that deletes the session cookie at sign-out: same name and attributes, empty value, <c>Max-Age=0</c>.</summary>
    /// <returns>The <c>Set-Cookie</c> header value.</returns>
    public string BuildDeletion() => string.Concat(Name, "=; Max-Age=0", _attributes);

    /// <summary>Returns the cookie name (never a value).</summary>
    /// <returns>The cookie name.</returns>
    public override string ToString() => Name;

    private string Format(string value, TimeSpan maxAge)
    {
        if (value.Length == 0 || Name.Length + value.Length > MaxValueLength || !HttpGrammar.IsCookieValue(value))
        {
            throw new ArgumentException(Error.CookieValueInvalid, nameof(value));
        }

        long seconds = (long)Math.Floor(maxAge.TotalSeconds);
        return string.Concat(Name, "=", value, "; Max-Age=", seconds.ToString(CultureInfo.InvariantCulture), _attributes);
    }

    private static bool IsAttributeValue(string value)
    {
        // av-octet = %x20-3A / %x3C-7E: no control characters and no ';'.
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E || c == ';')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomain(string domain)
    {
        if (domain.Length == 0 || domain.Length > 253 || domain[0] == '.' || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in domain)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
