using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Dbsc;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// Validating an ES256 DBSC refresh proof (strict JWS, the registered key found by thumbprint, the challenge's MAC and
/// age, its single use on the in-memory store) against one raw P-256 verification of the same proof.
/// </summary>
/// <remarks>
/// Each call answers a fresh challenge, so every call is accepted and records its challenge, as a server sees it. The
/// proofs are signed once in setup; after the last one the store and validator are replaced (once every
/// <see cref="ProofCount"/> calls, so the rebuild and the first key import after it are amortised away).
/// </remarks>
[MemoryDiagnoser]
public class DbscProofBenchmarks
{
    internal const int ProofCount = 4096;

    private SigningKey _browserKey = null!;
    private ECDsa _publicKey = null!;
    private DbscChallengeService _challenges = null!;
    private SessionId _sessionId;
    private SessionKeyBinding _binding = null!;
    private string[] _proofs = [];
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private DbscProofValidator _validator = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _browserKey = SigningKey.Generate(SigningAlgorithm.Es256);
        _challenges = new DbscChallengeService(RandomNumberGenerator.GetBytes(32), new FixedClock());
        _sessionId = SessionId.FromTokenValue("benchmark-session");
        _binding = new SessionKeyBinding(_browserKey.KeyId, _browserKey.ExportPublicJwk(), FixedClock.Now);
        string encodedHeader = Base64Url(Encoding.UTF8.GetBytes("{\"typ\":\"dbsc+jwt\",\"alg\":\"ES256\"}"));
        _proofs = new string[ProofCount];
        for (int i = 0; i < ProofCount; i++)
        {
            string payload = "{\"jti\":\"" + _challenges.Issue(_sessionId, DbscChallengePurpose.Refresh) + "\"}";
            string input = encodedHeader + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
            _proofs[i] = input + "." + Base64Url(SigningAlgorithm.Es256.Sign(_browserKey, Encoding.ASCII.GetBytes(input)));
        }

        _signingInput = Encoding.ASCII.GetBytes(_proofs[0][.._proofs[0].LastIndexOf('.')]);
        _signature = Convert.FromBase64String(ToBase64(_proofs[0][(_proofs[0].LastIndexOf('.') + 1)..]));
        System.Text.Json.Nodes.JsonNode jwk = System.Text.Json.Nodes.JsonNode.Parse(_binding.PublicKeyJwk)!;
        _publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Convert.FromBase64String(ToBase64((string)jwk["x"]!)), Y = Convert.FromBase64String(ToBase64((string)jwk["y"]!)) },
        });
        Reset();
        if (!DbscProofValidatorValidateRefreshAsync().IsSuccess || !RawEcdsaVerifyData())
        {
            throw new InvalidOperationException("The benchmark proof does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _challenges.Dispose();
        _publicKey.Dispose();
        _browserKey.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool RawEcdsaVerifyData() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public DbscProofResult DbscProofValidatorValidateRefreshAsync()
    {
        if (_next == ProofCount)
        {
            Reset();
        }

        return Complete(_validator.ValidateRefreshAsync(_proofs[_next++], _sessionId, _binding));
    }

    internal static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToBase64(string base64Url)
    {
        string text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }

    private void Reset()
    {
        _validator = new DbscProofValidator(_challenges, new InMemorySessionStore(), new FixedClock());
        _next = 0;
    }
}

/// <summary>
/// A request of a DBSC-bound session (session lookup plus the stateless bound-cookie check) against plain session
/// validation of an unbound session on the same in-memory store: the bound cookie costs one HMAC and no signature.
/// One raw P-256 verification is measured beside them for scale.
/// </summary>
[MemoryDiagnoser]
public class DbscBoundRequestBenchmarks
{
    private SessionManager _sessions = null!;
    private DbscChallengeService _challenges = null!;
    private DbscBoundCookieService _cookies = null!;
    private DbscSessionService _dbsc = null!;
    private string _unboundToken = string.Empty;
    private string _boundToken = string.Empty;
    private string _cookieHeader = string.Empty;
    private ECDsa _verifier = null!;
    private byte[] _data = [];
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        InMemorySessionStore store = new();
        FixedClock clock = new();
        _sessions = new SessionManagerBuilder { Store = store, TimeProvider = clock }.Build();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _challenges = new DbscChallengeService(key, clock);
        _cookies = new DbscBoundCookieService(key, timeProvider: clock);
        _dbsc = new DbscSessionService(_sessions, _challenges, _cookies);
        _unboundToken = DbscProofBenchmarks.Complete(_sessions.SignInAsync(new SignInRequest("alice"))).Value.Reveal();
        SignInResult bound = DbscProofBenchmarks.Complete(_sessions.SignInAsync(new SignInRequest("bob")));
        _boundToken = bound.Value.Reveal();
        using SigningKey browserKey = SigningKey.Generate(SigningAlgorithm.Es256);
        SessionBindResult binding = DbscProofBenchmarks.Complete(store.BindKeyAsync(
            bound.Session!.Id, new SessionKeyBinding(browserKey.KeyId, browserKey.ExportPublicJwk(), FixedClock.Now), _sessions.Rules, FixedClock.Now));
        string setCookie = _dbsc.IssueBoundCookie(binding.Session!);
        _cookieHeader = "__Host-session=" + _boundToken + "; " + setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        _verifier = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _data = Encoding.ASCII.GetBytes(_cookieHeader);
        _signature = _verifier.SignData(_data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (!ValidateUnboundSession().IsValid || ValidateBoundRequest().Status != DbscRequestStatus.Bound || !RawEcdsaVerifyData())
        {
            throw new InvalidOperationException("The benchmark sessions do not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _challenges.Dispose();
        _cookies.Dispose();
        _verifier.Dispose();
    }

    [Benchmark(Baseline = true)]
    public SessionValidationResult ValidateUnboundSession() => DbscProofBenchmarks.Complete(_sessions.ValidateAsync(_unboundToken));

    [Benchmark]
    public DbscRequestResult ValidateBoundRequest() => DbscProofBenchmarks.Complete(_dbsc.ValidateRequestAsync(_boundToken, _cookieHeader));

    [Benchmark]
    public bool RawEcdsaVerifyData() => _verifier.VerifyData(_data, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
