using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace SessionCore.Tests.Dbsc;

/// <summary>An HTTP request as the spec client sends it.</summary>
internal sealed record SpecRequest(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) => Headers.LastOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>An HTTP response as the spec client receives it.</summary>
internal sealed record SpecResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public IEnumerable<string> All(string name) => Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}

/// <summary>What the user agent did with a registration or refresh request.</summary>
internal enum SpecOutcome
{
    /// <summary>Nothing was sent (for example another site).</summary>
    NotSent,

    /// <summary>A session was created or its configuration replaced.</summary>
    SessionCreated,

    /// <summary>A refresh succeeded without a configuration change (empty body).</summary>
    Refreshed,

    /// <summary>The session was removed (a 4xx, <c>continue: false</c>, or instructions that fail validation).</summary>
    Terminated,

    /// <summary>The session was kept without a refresh (3xx, 5xx, 407, 429, or a 403 at registration).</summary>
    Kept,
}

/// <summary>A device bound session in the user agent's session store (DBSC §7.3).</summary>
internal sealed class SpecSession
{
    public required string Id { get; init; }

    public required Uri RefreshUrl { get; init; }

    public required string ScopeOrigin { get; init; }

    public required bool IncludeSite { get; init; }

    public required IReadOnlyList<(string Type, string Domain, string Path)> ScopeSpecifications { get; init; }

    public required IReadOnlyList<(string Name, string Attributes)> Credentials { get; init; }

    public required IReadOnlyList<string> AllowedRefreshInitiators { get; init; }

    public required SpecKey Key { get; init; }

    public string? CachedChallenge { get; set; }
}

/// <summary>A session key pair (§7.3 "session key pair"), ES256 or RS256, and the JWS it signs.</summary>
internal sealed class SpecKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private SpecKey(string algorithm, ECDsa? ec, RSA? rsa)
    {
        Algorithm = algorithm;
        _ec = ec;
        _rsa = rsa;
    }

    public string Algorithm { get; }

    public static SpecKey Create(string algorithm) => algorithm switch
    {
        "ES256" => new SpecKey(algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256), null),
        "RS256" => new SpecKey(algorithm, null, RSA.Create(2048)),
        _ => throw new ArgumentException("unsupported algorithm", nameof(algorithm)),
    };

    /// <summary>The public key as a JWK (RFC 7517/7518): only the public members.</summary>
    public JsonObject PublicJwk()
    {
        if (_ec is not null)
        {
            ECParameters p = _ec.ExportParameters(false);
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }

        RSAParameters r = _rsa!.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["n"] = B64(r.Modulus!), ["e"] = B64(r.Exponent!) };
    }

    /// <summary>The RFC 7638 thumbprint of the public key.</summary>
    public string Thumbprint()
    {
        JsonObject jwk = PublicJwk();
        string canonical = _ec is not null
            ? $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}"
            : $"{{\"e\":\"{jwk["e"]}\",\"kty\":\"RSA\",\"n\":\"{jwk["n"]}\"}}";
        return B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Signs a compact JWS (RFC 7515 §7.1) over the header and payload.</summary>
    public string SignCompact(JsonObject header, JsonObject payload)
    {
        string signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        byte[] data = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = _ec is not null
            ? _ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + B64(signature);
    }

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A host-only cookie jar with Max-Age expiry, enough for the bound-cookie flows (RFC 6265bis §5.6 subset).</summary>
internal sealed class SpecCookieJar
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string Value, string Path, bool Secure, DateTimeOffset? Expires)> _cookies = new(StringComparer.Ordinal);

    public SpecCookieJar(TimeProvider time) => _time = time;

    public SpecCookieJar CopyTo(SpecCookieJar other)
    {
        foreach (var (name, cookie) in _cookies)
        {
            other._cookies[name] = cookie;
        }

        return other;
    }

    public void Store(string setCookie)
    {
        string[] parts = setCookie.Split(';');
        int equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return;
        }

        string name = parts[0][..equals].Trim();
        string value = parts[0][(equals + 1)..].Trim();
        string path = "/";
        bool secure = false;
        DateTimeOffset? expires = null;
        foreach (string part in parts.Skip(1))
        {
            string[] av = part.Split('=', 2);
            string key = av[0].Trim();
            string arg = av.Length > 1 ? av[1].Trim() : "";
            if (key.Equals("Max-Age", StringComparison.OrdinalIgnoreCase) && long.TryParse(arg, out long seconds))
            {
                expires = _time.GetUtcNow().AddSeconds(Math.Max(seconds, 0));
            }
            else if (key.Equals("Path", StringComparison.OrdinalIgnoreCase) && arg.StartsWith('/'))
            {
                path = arg;
            }
            else if (key.Equals("Secure", StringComparison.OrdinalIgnoreCase))
            {
                secure = true;
            }
        }

        if (expires is DateTimeOffset e && e <= _time.GetUtcNow())
        {
            _cookies.Remove(name);
            return;
        }

        _cookies[name] = (value, path, secure, expires);
    }

    public bool Has(string name, Uri url) => Attached(url).Any(c => c.Name == name);

    public string? Value(string name) => _cookies.TryGetValue(name, out var c) && !Expired(c.Expires) ? c.Value : null;

    public void Remove(string name) => _cookies.Remove(name);

    public string? HeaderFor(Uri url)
    {
        List<(string Name, string Value)> attached = [.. Attached(url)];
        return attached.Count == 0 ? null : string.Join("; ", attached.Select(c => c.Name + "=" + c.Value));
    }

    private IEnumerable<(string Name, string Value)> Attached(Uri url)
    {
        bool secureContext = url.Scheme == Uri.UriSchemeHttps || url.IsLoopback;
        foreach (var (name, c) in _cookies)
        {
            if (Expired(c.Expires) || (c.Secure && !secureContext))
            {
                continue;
            }

            string path = url.AbsolutePath;
            if (path == c.Path || (path.StartsWith(c.Path, StringComparison.Ordinal) && (c.Path.EndsWith('/') || path[c.Path.Length] == '/')))
            {
                yield return (name, c.Value);
            }
        }
    }

    private bool Expired(DateTimeOffset? expires) => expires is DateTimeOffset e && e <= _time.GetUtcNow();
}

/// <summary>
/// A DBSC user agent written from the W3C Device Bound Session Credentials Editor's Draft (spec.bs, §8 and §9),
/// not from SessionCore's server code: it parses <c>Secure-Session-Registration</c> and
/// <c>Secure-Session-Challenge</c> as structured fields (with its own RFC 9651 parser), creates a key per
/// session, signs <c>dbsc+jwt</c> proofs, follows the "send request" algorithm for registration and refresh
/// (403 → retry with the cached challenge, 4xx → terminate, 5xx/3xx/407/429 → keep), validates the JSON session
/// instructions, and defers requests whose bound cookie is missing until a refresh. It is transport-agnostic:
/// the tests hand it a function that answers requests.
/// </summary>
internal sealed class DbscSpecClient : IDisposable
{
    /// <summary>Chromium gives up after this many challenges in one registration or refresh; so does this client.</summary>
    public const int MaxChallenges = 5;

    private readonly Func<SpecRequest, Task<SpecResponse>> _transport;
    private readonly Dictionary<string, SpecSession> _sessions = new(StringComparer.Ordinal);
    private readonly string[] _algorithms;

    public DbscSpecClient(Func<SpecRequest, Task<SpecResponse>> transport, TimeProvider time, params string[] supportedAlgorithms)
    {
        _transport = transport;
        Cookies = new SpecCookieJar(time);
        _algorithms = supportedAlgorithms.Length == 0 ? ["ES256", "RS256"] : supportedAlgorithms;
    }

    public SpecCookieJar Cookies { get; }

    public IReadOnlyDictionary<string, SpecSession> Sessions => _sessions;

    /// <summary>Every request this client sent, in order (for assertions).</summary>
    public List<SpecRequest> Sent { get; } = [];

    /// <summary>Outcomes of registrations and refreshes, in order.</summary>
    public List<SpecOutcome> Outcomes { get; } = [];

    /// <summary>When set, refreshes are never attempted (a client that lost its keys, or a thief with copied cookies).</summary>
    public bool NeverRefresh { get; set; }

    /// <summary>
    /// A fetch by a document of the same origin: runs "identify a session needing refresh" (§8.5) and the refresh
    /// first, then sends the request, then processes the response's DBSC headers (Fetch integration, §10.1).
    /// </summary>
    public async Task<SpecResponse> FetchAsync(string method, Uri url, params KeyValuePair<string, string>[] headers)
    {
        List<KeyValuePair<string, string>> extra = [.. headers];
        HashSet<string> deferred = new(StringComparer.Ordinal);
        while (!NeverRefresh && IdentifySessionNeedingRefresh(url, deferred) is SpecSession session)
        {
            deferred.Add(session.Id);
            SpecOutcome outcome = await SendRequestAsync(url, session.Key, session.RefreshUrl, session.Id, session.CachedChallenge, authorization: null);
            if (outcome == SpecOutcome.Kept && _sessions.ContainsKey(session.Id))
            {
                // §8.8 step 1 and §8.12: the request goes out without the bound cookie; tell the site why.
                extra.Add(new("Secure-Session-Skipped", "server_error;session_identifier=" + SpecStructuredFields.SerializeBare(session.Id)));
            }
        }

        SpecResponse response = await SendAsync(method, url, extra);
        await ProcessRegistrationAsync(url, response);
        return response;
    }

    /// <summary>Refreshes a session now (browsers may do so proactively, §5).</summary>
    public Task<SpecOutcome> RefreshAsync(string sessionId)
    {
        SpecSession session = _sessions[sessionId];
        return SendRequestAsync(session.RefreshUrl, session.Key, session.RefreshUrl, session.Id, session.CachedChallenge, authorization: null);
    }

    /// <summary>Gives another client this client's sessions and keys (to model a browser restart, never a thief).</summary>
    public void ShareSessionsWith(DbscSpecClient other)
    {
        foreach (var (id, session) in _sessions)
        {
            other._sessions[id] = session;
        }
    }

    /// <summary>Replaces the key of a session, as malware without the original key would have to.</summary>
    public void ReplaceKey(string sessionId, SpecKey key)
    {
        SpecSession s = _sessions[sessionId];
        _sessions[sessionId] = new SpecSession
        {
            Id = s.Id,
            RefreshUrl = s.RefreshUrl,
            ScopeOrigin = s.ScopeOrigin,
            IncludeSite = s.IncludeSite,
            ScopeSpecifications = s.ScopeSpecifications,
            Credentials = s.Credentials,
            AllowedRefreshInitiators = s.AllowedRefreshInitiators,
            Key = key,
            CachedChallenge = s.CachedChallenge,
        };
    }

    public void Dispose()
    {
        foreach (SpecSession session in _sessions.Values)
        {
            session.Key.Dispose();
        }
    }

    /// <summary>§8.2 "determine if a URL is in scope".</summary>
    public static bool InScope(Uri url, SpecSession session)
    {
        Uri origin = new(session.ScopeOrigin);
        bool sameOriginOrSite = session.IncludeSite ? SameSite(url, origin) : SameOrigin(url, origin);
        if (!sameOriginOrSite || url.GetLeftPart(UriPartial.Path) == session.RefreshUrl.GetLeftPart(UriPartial.Path))
        {
            return false;
        }

        foreach (var (type, domain, path) in session.ScopeSpecifications.Reverse())
        {
            if (!HostMatches(url.Host, domain))
            {
                continue;
            }

            string urlPath = url.AbsolutePath;
            if (urlPath == path || (path.EndsWith('/') && urlPath.StartsWith(path, StringComparison.Ordinal)) || urlPath.StartsWith(path + "/", StringComparison.Ordinal))
            {
                return type == "include";
            }
        }

        return true;
    }

    /// <summary>§8.4 "determine if a host matches a pattern".</summary>
    public static bool HostMatches(string host, string pattern)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith('*'))
        {
            return pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.Ordinal);
        }

        return host == pattern;
    }

    // Registrable domains are approximated by the last two labels (the tests use example.com hosts and localhost).
    private static bool SameSite(Uri a, Uri b) => a.Scheme == b.Scheme && Site(a.Host) == Site(b.Host);

    private static string Site(string host) => !host.Contains('.', StringComparison.Ordinal) ? host : string.Join('.', host.Split('.')[^2..]);

    private static bool SameOrigin(Uri a, Uri b) => a.Scheme == b.Scheme && a.Host == b.Host && a.Port == b.Port;

    /// <summary>§8.5 "identify a session needing refresh", with the request initiated by a same-origin document.</summary>
    private SpecSession? IdentifySessionNeedingRefresh(Uri url, HashSet<string> deferred)
    {
        foreach (SpecSession session in _sessions.Values)
        {
            if (deferred.Contains(session.Id) || !InScope(url, session))
            {
                continue;
            }

            // §8.6 "identify if missing session credential": a credential whose cookie would not be attached.
            if (session.Credentials.Any(c => !Cookies.Has(c.Name, url)))
            {
                return session;
            }
        }

        return null;
    }

    private async Task<SpecResponse> SendAsync(string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers)
    {
        List<KeyValuePair<string, string>> all = [.. headers];
        if (Cookies.HeaderFor(url) is string cookie)
        {
            all.Add(new("Cookie", cookie));
        }

        SpecRequest request = new(method, url, all);
        Sent.Add(request);
        SpecResponse response = await _transport(request);
        foreach (string setCookie in response.All("Set-Cookie"))
        {
            Cookies.Store(setCookie);
        }

        // Fetch integration (§10.1): challenges are processed on every response.
        ProcessChallenges(url, response);
        return response;
    }

    /// <summary>§8.10 "process a session registration".</summary>
    private async Task ProcessRegistrationAsync(Uri responseUrl, SpecResponse response)
    {
        string[] values = [.. response.All("Secure-Session-Registration")];
        if (values.Length == 0)
        {
            return;
        }

        List<SpecMember>? list = SpecStructuredFields.ParseList(string.Join(", ", values));
        if (list is null)
        {
            return;
        }

        foreach (SpecMember entry in list)
        {
            if (entry.InnerList is null || entry.Parameter("path") is not string path)
            {
                continue;
            }

            object? challenge = entry.Parameter("challenge");
            object? authorization = entry.Parameter("authorization");
            if ((challenge is not null and not string) || (authorization is not null and not string))
            {
                continue;
            }

            // §8.11 "create a session key pair": the first offered algorithm this client supports.
            string? algorithm = entry.InnerList.Select(i => i.Value).OfType<SpecToken>().Select(t => t.Value).FirstOrDefault(a => _algorithms.Contains(a));
            if (algorithm is null)
            {
                return;
            }

            Uri endpoint = new(responseUrl, path);
            await SendRequestAsync(responseUrl, SpecKey.Create(algorithm), endpoint, sessionId: null, (string?)challenge, (string?)authorization);
        }
    }

    /// <summary>§8.7 "process a challenge".</summary>
    private void ProcessChallenges(Uri responseUrl, SpecResponse response)
    {
        string[] values = [.. response.All("Secure-Session-Challenge")];
        if (values.Length == 0 || SpecStructuredFields.ParseList(string.Join(", ", values)) is not List<SpecMember> list)
        {
            return;
        }

        foreach (SpecMember member in list)
        {
            if (member.Item?.Value is string challenge && member.Parameter("id") is string id && _sessions.TryGetValue(id, out SpecSession? session) && SameSite(responseUrl, session.RefreshUrl))
            {
                session.CachedChallenge = challenge;
            }
        }
    }

    /// <summary>§8.8 "send a request" for registration (<paramref name="sessionId"/> null) or refresh.</summary>
    private async Task<SpecOutcome> SendRequestAsync(Uri originating, SpecKey key, Uri destination, string? sessionId, string? challenge, string? authorization)
    {
        SpecOutcome outcome = await SendRequestCoreAsync(originating, key, destination, sessionId, challenge, authorization);
        Outcomes.Add(outcome);
        if (sessionId is null && outcome != SpecOutcome.SessionCreated)
        {
            key.Dispose();
        }

        return outcome;
    }

    private async Task<SpecOutcome> SendRequestCoreAsync(Uri originating, SpecKey key, Uri destination, string? sessionId, string? challenge, string? authorization)
    {
        if (!SameSite(originating, destination))
        {
            return SpecOutcome.NotSent;
        }

        for (int attempt = 0; attempt < MaxChallenges; attempt++)
        {
            List<KeyValuePair<string, string>> headers = [];
            if (challenge is not null || authorization is not null)
            {
                // §9.10: typ and alg always; the public jwk only at registration; jti is the challenge,
                // authorization is copied when the registration header had one.
                JsonObject header = new() { ["alg"] = key.Algorithm, ["typ"] = "dbsc+jwt" };
                if (sessionId is null)
                {
                    header["jwk"] = key.PublicJwk();
                }

                JsonObject payload = [];
                if (challenge is not null)
                {
                    payload["jti"] = challenge;
                }

                if (authorization is not null)
                {
                    payload["authorization"] = authorization;
                }

                headers.Add(new("Secure-Session-Response", SpecStructuredFields.SerializeBare(key.SignCompact(header, payload))));
            }

            if (sessionId is not null)
            {
                headers.Add(new("Sec-Secure-Session-Id", SpecStructuredFields.SerializeBare(sessionId)));
            }

            if (authorization is not null)
            {
                headers.Add(new("Authorization", authorization));
            }

            SpecResponse response = await SendAsync("POST", destination, headers);
            int status = response.Status;
            if (status is 407 or 429 or (>= 300 and < 400))
            {
                return SpecOutcome.Kept;
            }

            if (status == 403)
            {
                if (sessionId is null || !_sessions.TryGetValue(sessionId, out SpecSession? session))
                {
                    return SpecOutcome.Kept;
                }

                challenge = session.CachedChallenge;
                continue;
            }

            if (status is >= 400 and < 500)
            {
                return Terminate(sessionId);
            }

            if (status >= 500)
            {
                return SpecOutcome.Kept;
            }

            if (sessionId is not null && response.Body.Length == 0)
            {
                return SpecOutcome.Refreshed;
            }

            return CreateSession(response, destination, sessionId, key);
        }

        return SpecOutcome.Kept;
    }

    private SpecOutcome Terminate(string? sessionId)
    {
        if (sessionId is not null && _sessions.Remove(sessionId, out SpecSession? removed))
        {
            removed.Key.Dispose();
        }

        return SpecOutcome.Terminated;
    }

    /// <summary>§8.9 "create a session", with the JSON formats of §9.6 to §9.9.</summary>
    private SpecOutcome CreateSession(SpecResponse response, Uri destination, string? sessionId, SpecKey key)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(response.Body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return Terminate(sessionId);
        }

        if (json["continue"] is JsonValue c && c.TryGetValue(out bool keep) && !keep)
        {
            return Terminate(sessionId);
        }

        if (json["session_identifier"]?.GetValueKind() != JsonValueKind.String
            || json["scope"] is not JsonObject scope
            || scope["include_site"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            || json["credentials"] is not JsonArray credentialsJson)
        {
            return Terminate(sessionId);
        }

        string id = json["session_identifier"]!.GetValue<string>();
        Uri origin = scope["origin"] is JsonValue o && o.TryGetValue(out string? originText) ? new Uri(originText) : new Uri(destination.GetLeftPart(UriPartial.Authority));
        Uri refreshUrl = json["refresh_url"] is JsonValue r && r.TryGetValue(out string? refreshText) ? new Uri(destination, refreshText) : destination;
        bool includeSite = scope["include_site"]!.GetValue<bool>();

        List<(string, string, string)> specifications = [];
        foreach (JsonNode? rule in scope["scope_specification"] as JsonArray ?? [])
        {
            string? type = rule?["type"]?.GetValue<string>();
            if (type is not ("include" or "exclude"))
            {
                return Terminate(sessionId);
            }

            specifications.Add((type, rule!["domain"]?.GetValue<string>() ?? "*", rule["path"]?.GetValue<string>() ?? "/"));
        }

        List<(string, string)> credentials = [];
        foreach (JsonNode? credential in credentialsJson)
        {
            string? name = credential?["name"]?.GetValue<string>();
            if (credential?["type"]?.GetValue<string>() != "cookie" || string.IsNullOrEmpty(name))
            {
                return Terminate(sessionId);
            }

            string attributes = credential["attributes"]?.GetValue<string>() ?? "";
            if (attributes.Split(';').Any(a => a.Trim().Equals("Partitioned", StringComparison.OrdinalIgnoreCase)))
            {
                return Terminate(sessionId);
            }

            credentials.Add((name, attributes));
        }

        bool refreshSecure = refreshUrl.Scheme == Uri.UriSchemeHttps || refreshUrl.IsLoopback;
        if ((sessionId is not null && sessionId != id) || !SameSite(origin, destination) || !refreshSecure || !SameSite(refreshUrl, destination)
            || (includeSite && origin.Host != Site(destination.Host)))
        {
            return Terminate(sessionId);
        }

        List<string> initiators = [.. (json["allowed_refresh_initiators"] as JsonArray ?? []).Select(n => n!.GetValue<string>())];
        SpecSession created = new()
        {
            Id = id,
            RefreshUrl = refreshUrl,
            ScopeOrigin = origin.GetLeftPart(UriPartial.Authority),
            IncludeSite = includeSite,
            ScopeSpecifications = specifications,
            Credentials = credentials,
            AllowedRefreshInitiators = initiators,
            Key = key,
            CachedChallenge = _sessions.TryGetValue(id, out SpecSession? previous) ? previous.CachedChallenge : null,
        };
        _sessions[id] = created;
        ProcessChallenges(destination, response);
        return SpecOutcome.SessionCreated;
    }
}
