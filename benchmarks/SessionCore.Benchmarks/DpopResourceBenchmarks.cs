using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SessionCore.Dpop;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Benchmarks;

/// <summary>
/// A DPoP-bound access token check at a resource server (RFC 9449 §7): <see cref="ResourceAccessValidator"/> parsing
/// <c>Authorization: DPoP</c>, validating the ES256 access token offline (signature cache off, so its signature is
/// verified every call) and a fresh ES256 proof with <c>ath</c> and the key thumbprint, and spending the proof id in the
/// in-memory store; against one raw P-256 verification. Two signature verifications are the floor, so the target is
/// at most about 2.15x.
/// </summary>
/// <remarks>
/// Each call presents a fresh proof (its own <c>jti</c>), signed in setup; after the last one the store and the proof
/// validator are replaced (once every <see cref="DpopBenchmarks.ProofCount"/> calls).
/// </remarks>
[MemoryDiagnoser]
public class DpopResourceBenchmarks
{
    private const string Resource = "https://api.example.com/orders";

    private SigningKey _clientKey = null!;
    private SigningKey _issuerKey = null!;
    private ECDsa _publicKey = null!;
    private string _authorization = string.Empty;
    private string[][] _proofs = [];
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private AccessTokenValidator _tokens = null!;
    private DpopProofValidator _proofValidator = null!;
    private ResourceAccessValidator _validator = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        FixedClock clock = new();
        _issuerKey = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenBuilder builder = new()
        {
            KeyRing = new SigningKeyRing(_issuerKey, clock),
            TimeProvider = clock,
            Options = new AccessTokenOptions { Issuer = "https://login.example.com", Audience = "api", DefaultClientId = "app", ValidationMode = AccessTokenValidationMode.Offline },
        };
        _tokens = builder.BuildValidator();

        _clientKey = SigningKey.Generate(SigningAlgorithm.Es256);
        string token = builder.BuildIssuer().Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = _clientKey.KeyId });
        _authorization = "DPoP " + token;
        string ath = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        JsonObject jwk = JsonNode.Parse(_clientKey.ExportPublicJwk())!.AsObject();
        string header = new JsonObject
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = (string)jwk["x"]!, ["y"] = (string)jwk["y"]! },
        }.ToJsonString();
        string encodedHeader = Base64Url(Encoding.UTF8.GetBytes(header));
        _proofs = new string[DpopBenchmarks.ProofCount][];
        for (int i = 0; i < _proofs.Length; i++)
        {
            string payload = "{\"jti\":\"" + Base64Url(RandomNumberGenerator.GetBytes(16)) + "\",\"htm\":\"GET\",\"htu\":\"" + Resource + "\",\"iat\":" + FixedClock.Now.ToUnixTimeSeconds() + ",\"ath\":\"" + ath + "\"}";
            string input = encodedHeader + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
            _proofs[i] = [input + "." + Base64Url(SigningAlgorithm.Es256.Sign(_clientKey, Encoding.ASCII.GetBytes(input)))];
        }

        string first = _proofs[0][0];
        _signingInput = Encoding.ASCII.GetBytes(first[..first.LastIndexOf('.')]);
        _signature = Convert.FromBase64String(ToBase64(first[(first.LastIndexOf('.') + 1)..]));
        _publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Convert.FromBase64String(ToBase64((string)jwk["x"]!)), Y = Convert.FromBase64String(ToBase64((string)jwk["y"]!)) },
        });
        Reset();
        if (!ResourceAccessValidatorValidateAsync().IsSuccess || !RawEcdsaVerifyData())
        {
            throw new InvalidOperationException("The benchmark request does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _proofValidator.Dispose();
        _publicKey.Dispose();
        _clientKey.Dispose();
        _issuerKey.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool RawEcdsaVerifyData() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public ResourceAccessResult ResourceAccessValidatorValidateAsync()
    {
        if (_next == _proofs.Length)
        {
            Reset();
        }

        System.Threading.Tasks.ValueTask<ResourceAccessResult> pending = _validator.ValidateAsync(
            new ResourceAccessRequest { Authorization = _authorization, DpopHeaders = _proofs[_next++], Method = "GET", TargetUri = Resource });

        // The in-memory store never awaits, so the validation completes synchronously.
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToBase64(string base64Url)
    {
        string text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }

    private void Reset()
    {
        _proofValidator?.Dispose();
        _proofValidator = new DpopProofValidatorBuilder
        {
            Store = new InMemorySessionStore(),
            TimeProvider = new FixedClock(),
            Options = { ReplayScope = "https://api.example.com" },
        }.Build();
        _validator = new ResourceAccessValidator(_tokens, _proofValidator);
        _next = 0;
    }
}
