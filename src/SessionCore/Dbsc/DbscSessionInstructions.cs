using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>
/// The JSON session instructions of a registration or refresh answer (DBSC §9.6 to §9.9):
/// <c>session_identifier</c>, <c>refresh_url</c>, <c>continue</c>, <c>scope</c> (<c>origin</c>,
/// <c>include_site</c>, <c>scope_specification</c>), <c>credentials</c> and <c>allowed_refresh_initiators</c>.
/// </summary>
/// <remarks>
/// Every member is written explicitly, including those with a default in the spec, so that no browser has
/// to guess. A refresh answer may carry new instructions, which replace the old ones; they must keep the
/// session identifier (browsers end a session whose refresh answer names another).
/// </remarks>
/// <threadsafety>Immutable once constructed (init-only properties); safe to share.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscSessionInstructions
{
    /// <summary>The most credentials, scope rules or refresh initiators accepted.</summary>
    public const int MaxEntries = 64;

    /// <summary>The most credentials accepted.</summary>
    public const int MaxCredentials = 16;

    private readonly string? _origin;
    private readonly IReadOnlyList<DbscScopeRule> _scopeRules = [];
    private readonly IReadOnlyList<string> _allowedRefreshInitiators = [];

    /// <summary>Initializes a new instance of the <see cref="DbscSessionInstructions"/> class.</summary>
    /// <param name="sessionIdentifier">The DBSC session identifier (see <see cref="DbscHeaderWriter.IsSessionIdentifier"/>); the same for the life of the session.</param>
    /// <param name="refreshUrl">The refresh endpoint: an origin-relative path or an absolute https URL of the same site.</param>
    /// <param name="credentials">The cookies the session protects, usually just <see cref="DbscBoundCookieService.Credential"/>; 1 to 16.</param>
    /// <exception cref="ArgumentNullException">An argument or a credential is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    public DbscSessionInstructions(string sessionIdentifier, string refreshUrl, IEnumerable<DbscCookieCredential> credentials)
    {
        Throw.IfNull(sessionIdentifier);
        Throw.IfNull(refreshUrl);
        Throw.IfNull(credentials);
        DbscHeaderWriter.CheckSessionIdentifier(sessionIdentifier, nameof(sessionIdentifier));
        if (!DbscHeaderWriter.IsEndpoint(refreshUrl))
        {
            throw new ArgumentException(Error.DbscRefreshUrlInvalid, nameof(refreshUrl));
        }

        List<DbscCookieCredential> list = [];
        foreach (DbscCookieCredential credential in credentials)
        {
            Throw.IfNull(credential);
            list.Add(credential);
            if (list.Count > MaxCredentials)
            {
                break;
            }
        }

        if (list.Count is 0 or > MaxCredentials)
        {
            throw new ArgumentException(Error.DbscCredentialsEmpty, nameof(credentials));
        }

        SessionIdentifier = sessionIdentifier;
        RefreshUrl = refreshUrl;
        Credentials = list.AsReadOnly();
    }

    /// <summary>Gets the DBSC session identifier.</summary>
    public string SessionIdentifier { get; }

    /// <summary>Gets the refresh endpoint.</summary>
    public string RefreshUrl { get; }

    /// <summary>Gets the protected cookies.</summary>
    public IReadOnlyList<DbscCookieCredential> Credentials { get; }

    /// <summary>Gets the origin the session applies to (<c>scope.origin</c>).</summary>
    /// <value><see langword="null"/>: not written, and browsers use the origin of the endpoint that answered. Otherwise an https origin (or http on localhost) in the form <c>https://host[:port]</c>.</value>
    /// <exception cref="ArgumentException">The value is not such an origin.</exception>
    public string? Origin
    {
        get => _origin;
        init => _origin = value is null || IsOrigin(value) ? value : throw new ArgumentException(Error.DbscOriginInvalid, nameof(value));
    }

    /// <summary>Gets a value indicating whether the session covers the whole site rather than one origin (<c>scope.include_site</c>).</summary>
    /// <value><see langword="false"/>. A browser accepts <see langword="true"/> only when the origin's host is the registrable domain (or a <c>.well-known</c> file allows it).</value>
    public bool IncludeSite { get; init; }

    /// <summary>Gets the scope rules (<c>scope.scope_specification</c>), checked by browsers from last to first.</summary>
    /// <value>Empty: the whole origin (or site). At most 64 rules.</value>
    /// <exception cref="ArgumentNullException">The value or a rule is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are more than 64 rules.</exception>
    public IReadOnlyList<DbscScopeRule> ScopeRules
    {
        get => _scopeRules;
        init => _scopeRules = Copy(value, static _ => true, Error.DbscTooManyEntries);
    }

    /// <summary>Gets the host patterns of other sites allowed to trigger a refresh (<c>allowed_refresh_initiators</c>).</summary>
    /// <value>Empty: only requests from the session's own origin (or site) do. At most 64 patterns, each <c>*</c>, <c>*.host</c> or a host.</value>
    /// <exception cref="ArgumentNullException">The value or a pattern is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A pattern is invalid, or there are more than 64.</exception>
    /// <remarks>Security: every site listed here can make the browser refresh the session, and time it, from a page of its own (a login-state leak, DBSC §3.2).</remarks>
    public IReadOnlyList<string> AllowedRefreshInitiators
    {
        get => _allowedRefreshInitiators;
        init => _allowedRefreshInitiators = Copy(value, DbscScopeRule.IsHostPattern, Error.DbscScopeDomainInvalid);
    }

    /// <summary>Writes the instructions as UTF-8 JSON (with <c>"continue": true</c>).</summary>
    /// <returns>The JSON body of the answer.</returns>
    public byte[] ToUtf8Json()
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("session_identifier"u8, SessionIdentifier);
            writer.WriteString("refresh_url"u8, RefreshUrl);
            writer.WriteBoolean("continue"u8, true);
            writer.WriteStartObject("scope"u8);
            if (_origin is not null)
            {
                writer.WriteString("origin"u8, _origin);
            }

            writer.WriteBoolean("include_site"u8, IncludeSite);
            writer.WriteStartArray("scope_specification"u8);
            foreach (DbscScopeRule rule in _scopeRules)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, rule.Type == DbscScopeRuleType.Include ? "include"u8 : "exclude"u8);
                writer.WriteString("domain"u8, rule.Domain);
                writer.WriteString("path"u8, rule.Path);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("credentials"u8);
            foreach (DbscCookieCredential credential in Credentials)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "cookie"u8);
                writer.WriteString("name"u8, credential.Name);
                writer.WriteString("attributes"u8, credential.Attributes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("allowed_refresh_initiators"u8);
            foreach (string initiator in _allowedRefreshInitiators)
            {
                writer.WriteStringValue(initiator);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the session identifier (not secret).</summary>
    /// <returns>The session identifier.</returns>
    public override string ToString() => SessionIdentifier;

    /// <summary>The instructions that end a session: <c>{"continue":false}</c> (§9.6).</summary>
    internal static byte[] TerminationJson() => "{\"continue\":false}"u8.ToArray();

    /// <summary>An https origin, or http on a loopback host, as <c>scheme://host[:port]</c> in lower case.</summary>
    internal static bool IsOrigin(string value)
    {
        ReadOnlySpan<char> rest;
        bool secure;
        if (value.StartsWith("https://", StringComparison.Ordinal))
        {
            rest = value.AsSpan(8);
            secure = true;
        }
        else if (value.StartsWith("http://", StringComparison.Ordinal))
        {
            rest = value.AsSpan(7);
            secure = false;
        }
        else
        {
            return false;
        }

        int colon = rest.IndexOf(':');
        ReadOnlySpan<char> host = colon < 0 ? rest : rest[..colon];
        if (colon >= 0)
        {
            ReadOnlySpan<char> port = rest[(colon + 1)..];
            if (port.IsEmpty || port.Length > 5 || port[0] == '0' || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535)
            {
                return false;
            }
        }

        return DbscScopeRule.IsHost(host) && (secure || host.SequenceEqual("localhost") || host.SequenceEqual("127.0.0.1"));
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<T> Copy<T>(IReadOnlyList<T> value, Func<T, bool> isValid, string invalidMessage)
        where T : class
    {
        Throw.IfNull(value);
        if (value.Count > MaxEntries)
        {
            throw new ArgumentException(Error.DbscTooManyEntries, nameof(value));
        }

        T[] copy = new T[value.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            T item = value[i];
            Throw.IfNull(item);
            copy[i] = isValid(item) ? item : throw new ArgumentException(invalidMessage, nameof(value));
        }

        return Array.AsReadOnly(copy);
    }
}
