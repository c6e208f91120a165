using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionCore.Dpop;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Benchmarks;

/// <summary>
/// Validating an ES256 DPoP proof (every RFC 9449 §4.3 check, and the single-use check of its jti on the in-memory
/// store) against one raw P-256 verification of the same proof; JsonWebTokenHandler validating the same JWT (with the
/// key handed to it, not read from the header) is the allocation peer.
/// </summary>
/// <remarks>
/// Each call presents a fresh proof (a different jti), so every call is accepted and records its id, as a server sees
/// it. The proofs are signed once in setup; after the last one the store and validator are replaced (once every
/// <see cref="ProofCount"/> calls, so the rebuild and the first key import after it are amortised away).
/// </remarks>
[MemoryDiagnoser]
public class DpopBenchmarks
{
    internal const int ProofCount = 4096;
    private const string TokenEndpoint = "https://server.example.com/token";

    private SigningKey _clientKey = null!;
    private ECDsa _publicKey = null!;
    private string[] _proofs = [];
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private DpopProofValidator _validator = null!;
    private int _next;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clientKey = SigningKey.Generate(SigningAlgorithm.Es256);
        JsonObject jwk = JsonNode.Parse(_clientKey.ExportPublicJwk())!.AsObject();
        string header = new JsonObject
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = (string)jwk["x"]!, ["y"] = (string)jwk["y"]! },
        }.ToJsonString();
        string encodedHeader = Base64Url(Encoding.UTF8.GetBytes(header));
        _proofs = new string[ProofCount];
        for (int i = 0; i < ProofCount; i++)
        {
            string payload = "{\"jti\":\"" + Base64Url(RandomNumberGenerator.GetBytes(16)) + "\",\"htm\":\"POST\",\"htu\":\"" + TokenEndpoint + "\",\"iat\":" + FixedClock.Now.ToUnixTimeSeconds() + "}";
            string input = encodedHeader + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
            _proofs[i] = input + "." + Base64Url(SigningAlgorithm.Es256.Sign(_clientKey, Encoding.ASCII.GetBytes(input)));
        }

        _signingInput = Encoding.ASCII.GetBytes(_proofs[0][.._proofs[0].LastIndexOf('.')]);
        _signature = Convert.FromBase64String(ToBase64(_proofs[0][(_proofs[0].LastIndexOf('.') + 1)..]));
        _publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Convert.FromBase64String(ToBase64((string)jwk["x"]!)), Y = Convert.FromBase64String(ToBase64((string)jwk["y"]!)) },
        });
        _handler = new JsonWebTokenHandler();
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new ECDsaSecurityKey(_publicKey),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["dpop+jwt"],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        Reset();
        if (!DpopProofValidatorValidateAsync().IsSuccess || !RawEcdsaVerifyData() || !JsonWebTokenHandlerValidateTokenAsync().IsValid)
        {
            throw new InvalidOperationException("The benchmark proof does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validator.Dispose();
        _publicKey.Dispose();
        _clientKey.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool RawEcdsaVerifyData() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public DpopProofValidationResult DpopProofValidatorValidateAsync()
    {
        if (_next == ProofCount)
        {
            Reset();
        }

        return Complete(_validator.ValidateAsync(new DpopProofRequest { Proof = _proofs[_next++], Method = "POST", TargetUri = TokenEndpoint }));
    }

    [Benchmark]
    public TokenValidationResult JsonWebTokenHandlerValidateTokenAsync() => _handler.ValidateTokenAsync(_proofs[0], _parameters).GetAwaiter().GetResult();

    // The in-memory store never awaits, so the validation completes synchronously.
    private static T Complete<T>(System.Threading.Tasks.ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToBase64(string base64Url)
    {
        string text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }

    private void Reset()
    {
        _validator?.Dispose();
        _validator = new DpopProofValidatorBuilder
        {
            Store = new InMemorySessionStore(),
            TimeProvider = new FixedClock(),
            Options = { ReplayScope = "https://server.example.com" },
        }.Build();
        _next = 0;
    }
}
