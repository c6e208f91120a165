using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Tokens;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// A test server assembled from the library's DBSC building blocks (header writer and reader, challenges,
/// bound cookie, instructions, answers) so that <see cref="DbscSpecClient"/> can be run against them before the
/// session manager carries bindings. Its proof check is a minimal test double (signature, typ, jwk presence,
/// jti); the library's own proof validator is not part of this phase.
/// </summary>
internal sealed class DbscWriterServer : IDisposable
{
    public const string Origin = "https://app.example.com";
    public const string SessionCookie = "__Host-session";

    private readonly DbscChallengeService _challenges;
    private readonly DbscBoundCookieService _cookies;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private int _next;

    public DbscWriterServer(FakeTimeProvider time)
    {
        Time = time;
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _challenges = new DbscChallengeService(key, time);
        _cookies = new DbscBoundCookieService(key, timeProvider: time);
    }

    public FakeTimeProvider Time { get; }

    public DbscAlgorithms Offered { get; set; } = DbscAlgorithms.Es256 | DbscAlgorithms.Rs256;

    public bool PrimeChallenges { get; set; }

    public bool RefreshFails { get; set; }

    public IReadOnlyList<DbscScopeRule> ScopeRules { get; set; } = [];

    public Dictionary<SessionId, Binding> Sessions { get; } = [];

    /// <summary>Challenge outcomes seen by the refresh endpoint, in order.</summary>
    public List<DbscChallengeStatus> ChallengeResults { get; } = [];

    /// <summary>Skipped-session entries read from requests to the application.</summary>
    public List<DbscSkippedSession> Skipped { get; } = [];

    public DbscBoundCookieService BoundCookies => _cookies;

    public void Dispose()
    {
        _challenges.Dispose();
        _cookies.Dispose();
    }

    public async Task<SpecResponse> HandleAsync(SpecRequest request)
    {
        string path = request.Url.AbsolutePath;
        string? cookieHeader = request.Header("Cookie");
        HeaderValueResult token = CookieHeaderParser.Find(cookieHeader, SessionCookie);
        SessionId? id = token.TryGetValue(out string? value) ? SessionId.FromTokenValue(value) : null;
        Binding? binding = id is SessionId known && Sessions.TryGetValue(known, out Binding? b) ? b : null;

        switch (request.Method, path)
        {
            case ("GET", "/login"):
                return Login();
            case ("POST", "/dbsc/register") when binding is not null:
                return await RegisterAsync(request, id!.Value, binding);
            case ("POST", "/dbsc/refresh") when binding is not null:
                return await RefreshAsync(request, id!.Value, binding);
            case ("POST", "/dbsc/refresh"):
                return Answer(DbscAnswer.Terminated(_cookies.BuildDeletion()));
            case ("GET", _) when binding is not null:
                if (DbscHeaderReader.ReadSkipped(request.Header(DbscHeaders.Skipped)).TryGetValue(out IReadOnlyList<DbscSkippedSession>? skipped))
                {
                    Skipped.AddRange(skipped);
                }

                bool allowed = !binding.Revoked && (binding.Thumbprint is null || _cookies.VerifyCookieHeader(cookieHeader, id!.Value, binding.Thumbprint).IsSuccess);
                return new SpecResponse(allowed ? 200 : 401, [], Encoding.UTF8.GetBytes(allowed ? "ok" : "no"));
            default:
                return new SpecResponse(401, [], []);
        }
    }

    private SpecResponse Login()
    {
        string token = "sc_login" + Interlocked.Increment(ref _next);
        SessionId id = SessionId.FromTokenValue(token);
        Sessions[id] = new Binding { Authorization = "auth-" + _next };
        string registration = DbscHeaderWriter.FormatRegistration(Offered, "/dbsc/register", _challenges.Issue(id, DbscChallengePurpose.Registration), Sessions[id].Authorization);
        return new SpecResponse(200, [new("Set-Cookie", $"{SessionCookie}={token}; Max-Age=86400; Path=/; Secure; HttpOnly; SameSite=Strict"), new(DbscHeaders.Registration, registration)], []);
    }

    private async Task<SpecResponse> RegisterAsync(SpecRequest request, SessionId id, Binding binding)
    {
        if (!DbscHeaderReader.ReadProof(request.Header(DbscHeaders.Response)).TryGetValue(out string? proof)
            || TestProof.Read(proof, registeredJwk: null) is not (JsonObject jwk, JsonObject payload)
            || (string?)payload["authorization"] != binding.Authorization
            || request.Header("Authorization") != binding.Authorization)
        {
            return Answer(DbscAnswer.Refused());
        }

        DbscChallengeResult challenge = await _challenges.ConsumeAsync((string?)payload["jti"], id, DbscChallengePurpose.Registration, UseOnceAsync);
        if (!challenge.IsSuccess)
        {
            return Answer(DbscAnswer.Refused());
        }

        binding.Jwk = jwk;
        binding.Thumbprint = TestProof.Thumbprint(jwk);
        binding.Identifier = "dbsc_" + _next;
        DbscAnswer answer = DbscAnswer.Registered(Instructions(binding), _cookies.Issue(id, binding.Thumbprint, Time.GetUtcNow().AddDays(1)));
        return Answer(PrimeChallenges ? answer.WithChallenge(DbscHeaderWriter.FormatChallenge(_challenges.Issue(id, DbscChallengePurpose.Refresh), binding.Identifier)) : answer);
    }

    private async Task<SpecResponse> RefreshAsync(SpecRequest request, SessionId id, Binding binding)
    {
        if (binding.Revoked)
        {
            return Answer(DbscAnswer.Terminated(_cookies.BuildDeletion()));
        }

        if (RefreshFails)
        {
            return new SpecResponse(500, [], []);
        }

        if (!DbscHeaderReader.ReadSessionIdentifier(request.Header(DbscHeaders.SessionId)).TryGetValue(out string? identifier) || identifier != binding.Identifier)
        {
            return Answer(DbscAnswer.Refused());
        }

        if (!DbscHeaderReader.ReadProof(request.Header(DbscHeaders.Response)).TryGetValue(out string? proof))
        {
            return Answer(DbscAnswer.ChallengeRequired(DbscHeaderWriter.FormatChallenge(_challenges.Issue(id, DbscChallengePurpose.Refresh), identifier)));
        }

        if (TestProof.Read(proof, binding.Jwk) is not (_, JsonObject payload))
        {
            return Answer(DbscAnswer.Refused(401));
        }

        DbscChallengeResult challenge = await _challenges.ConsumeAsync((string?)payload["jti"], id, DbscChallengePurpose.Refresh, UseOnceAsync);
        ChallengeResults.Add(challenge.Status);
        if (!challenge.IsSuccess)
        {
            return Answer(DbscAnswer.ChallengeRequired(DbscHeaderWriter.FormatChallenge(_challenges.Issue(id, DbscChallengePurpose.Refresh), identifier)));
        }

        DbscAnswer answer = DbscAnswer.Refreshed(_cookies.Issue(id, binding.Thumbprint!, Time.GetUtcNow().AddDays(1)));
        return Answer(PrimeChallenges ? answer.WithChallenge(DbscHeaderWriter.FormatChallenge(_challenges.Issue(id, DbscChallengePurpose.Refresh), identifier)) : answer);
    }

    private DbscSessionInstructions Instructions(Binding binding) =>
        new(binding.Identifier!, "/dbsc/refresh", [_cookies.Credential]) { Origin = Origin, ScopeRules = ScopeRules };

    private ValueTask<bool> UseOnceAsync(DbscChallengeUse use, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_used.TryAdd(use.Value, use.ExpiresAt));

    private static SpecResponse Answer(DbscAnswer answer) => new(answer.StatusCode, answer.Headers, answer.Body.ToArray());

    internal sealed class Binding
    {
        public string? Authorization { get; init; }

        public string? Identifier { get; set; }

        public string? Thumbprint { get; set; }

        public JsonObject? Jwk { get; set; }

        public bool Revoked { get; set; }
    }
}

/// <summary>A minimal proof check for the test server: typ, alg, jwk presence as the spec requires, and the signature.</summary>
internal static class TestProof
{
    public static (JsonObject Jwk, JsonObject Payload)? Read(string proof, JsonObject? registeredJwk)
    {
        string[] parts = proof.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        JsonObject? header = JsonNode.Parse(Decode(parts[0])) as JsonObject;
        JsonObject? payload = JsonNode.Parse(Decode(parts[1])) as JsonObject;
        if (header is null || payload is null || (string?)header["typ"] != "dbsc+jwt")
        {
            return null;
        }

        // The jwk is required at registration and forbidden at refresh (§9.10).
        JsonObject? jwk = registeredJwk is null ? header["jwk"] as JsonObject : (header.ContainsKey("jwk") ? null : registeredJwk);
        if (jwk is null)
        {
            return null;
        }

        byte[] data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature = Decode(parts[2]);
        bool valid = ((string?)header["alg"], (string?)jwk["kty"]) switch
        {
            ("ES256", "EC") => VerifyEs256(jwk, data, signature),
            ("RS256", "RSA") => VerifyRs256(jwk, data, signature),
            _ => false,
        };
        return valid ? (jwk, payload) : null;
    }

    public static string Thumbprint(JsonObject jwk)
    {
        string canonical = (string?)jwk["kty"] == "EC"
            ? $"{{\"crv\":\"{jwk["crv"]}\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}"
            : $"{{\"e\":\"{jwk["e"]}\",\"kty\":\"RSA\",\"n\":\"{jwk["n"]}\"}}";
        return SpecKey.B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static bool VerifyEs256(JsonObject jwk, byte[] data, byte[] signature)
    {
        using ECDsa ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Decode((string)jwk["x"]!), Y = Decode((string)jwk["y"]!) } });
        return ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool VerifyRs256(JsonObject jwk, byte[] data, byte[] signature)
    {
        using RSA rsa = RSA.Create(new RSAParameters { Modulus = Decode((string)jwk["n"]!), Exponent = Decode((string)jwk["e"]!) });
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static byte[] Decode(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
