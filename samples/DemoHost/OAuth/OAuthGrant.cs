using System;
using System.Collections.Generic;
using System.Linq;
using SessionCore.Sessions;

namespace SessionCore.Samples.DemoHost.OAuth;

/// <summary>
/// What a grant was issued to: the client (RFC 6749 <c>client_id</c>) and the scope. Kept in the data bag of
/// the grant's session, so a refresh or a revocation can be checked against the client that got the grant and
/// every access token of the grant names them (RFC 9068 <c>client_id</c>, <c>scope</c>).
/// </summary>
internal sealed record OAuthGrant(string ClientId, string Scope)
{
    /// <summary>Reads <c>/api/me</c>. The one scope this demo has, and the default when a request names none.</summary>
    public const string ProfileScope = "profile";

    /// <summary>The demo has no client registry; a client id is any short run of visible ASCII (RFC 6749 A.1 VSCHAR, less the space).</summary>
    public const int MaxClientIdLength = 128;

    private const string GrantKey = "grant";
    private const string ClientIdKey = "client_id";
    private const string ScopeKey = "scope";

    private static readonly string[] s_supportedScopes = [ProfileScope];

    /// <summary>The grant recorded in a session's data bag; sessions from before client ids were recorded count as the default client with the default scope.</summary>
    public static OAuthGrant FromSession(Session session) => new(
        session.Data.TryGetValue(ClientIdKey, out string? clientId) ? clientId : DemoServices.DefaultClientId,
        session.Data.TryGetValue(ScopeKey, out string? scope) ? scope : ProfileScope);

    /// <summary>The client id of a token or revocation request: absent means the default client; malformed is <see langword="false"/>.</summary>
    public static bool TryReadClientId(string? value, out string clientId)
    {
        clientId = value ?? DemoServices.DefaultClientId;
        return value is null || (value.Length is > 0 and <= MaxClientIdLength && value.All(c => c is > ' ' and <= '~'));
    }

    /// <summary>
    /// The scope of a token request (RFC 6749 §3.3): absent means <paramref name="granted"/> (or the default for a
    /// new grant); every requested token must be supported and, on a refresh, already granted (§6). Duplicates fold.
    /// </summary>
    public static bool TryReadScope(string? value, string? granted, out string scope)
    {
        scope = granted ?? ProfileScope;
        if (value is null)
        {
            return true;
        }

        string[] requested = value.Split(' ');
        string[] allowed = granted?.Split(' ') ?? s_supportedScopes;
        if (requested.Any(s => s.Length == 0 || !allowed.Contains(s, StringComparer.Ordinal)))
        {
            return false;
        }

        scope = string.Join(' ', s_supportedScopes.Where(s => requested.Contains(s, StringComparer.Ordinal)));
        return true;
    }

    public Dictionary<string, string> ToData(string grantType) => new(StringComparer.Ordinal)
    {
        [GrantKey] = grantType,
        [ClientIdKey] = ClientId,
        [ScopeKey] = Scope,
    };
}
