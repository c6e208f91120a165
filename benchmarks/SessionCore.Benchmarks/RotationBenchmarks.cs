using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// A full refresh redemption on the in-memory store (so the numbers are the service's own cost: hashing, minting,
/// sealing, one compare-and-swap, and the new ES256 access token) against the one ES256 signature it cannot avoid.
/// Each invocation redeems a fresh family issued in the untimed iteration setup: one long chain would measure the
/// growth of the family's spent-hash list instead.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class RotationBenchmarks
{
    private const int Invocations = 1024;

    private readonly RefreshToken[] _fresh = new RefreshToken[Invocations];
    private readonly RefreshToken[] _freshPlain = new RefreshToken[Invocations];
    private RefreshTokenService _service = null!;
    private RefreshTokenService _plain = null!;
    private SigningKeyRing _ring = null!;
    private ECDsa _ecdsa = null!;
    private byte[] _signingInput = [];
    private SessionToken _session = null!;
    private RefreshToken _rotated = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedClock();
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore(), TimeProvider = clock }.Build();
        _ring = new SigningKeyRing(SigningKey.Generate(SigningAlgorithm.Es256), clock);
        AccessTokenIssuer issuer = new AccessTokenBuilder
        {
            KeyRing = _ring,
            TimeProvider = clock,
            Options = new AccessTokenOptions { Issuer = JwtBenchmarksBase.Issuer, Audience = JwtBenchmarksBase.Audience, DefaultClientId = JwtBenchmarksBase.ClientId, ValidationMode = AccessTokenValidationMode.Offline },
        }.BuildIssuer();
        _service = new RefreshTokenService(manager, accessTokens: issuer);
        _plain = new RefreshTokenService(manager);
        _session = Complete(manager.SignInAsync(new SignInRequest("bench"))).Value;

        // The baseline signs an input of exactly an access token's length, with the same curve.
        string accessToken = Complete(_service.IssueAsync(_session)).AccessToken ?? throw new InvalidOperationException("No access token was issued.");
        _signingInput = Encoding.ASCII.GetBytes(accessToken[..accessToken.LastIndexOf('.')]);
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        _rotated = Complete(_service.IssueAsync(_session)).Value;
        Complete(_service.RedeemAsync(_rotated));
    }

    [IterationSetup(Targets = [nameof(RedeemWithAccessToken), nameof(RedeemWithoutAccessToken)])]
    public void IssueFreshFamilies()
    {
        for (int i = 0; i < Invocations; i++)
        {
            _fresh[i] = Complete(_service.IssueAsync(_session)).Value;
            _freshPlain[i] = Complete(_plain.IssueAsync(_session)).Value;
        }

        _next = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _service.Dispose();
        _plain.Dispose();
        _ecdsa.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] RawEs256Signature() => _ecdsa.SignData(_signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public RefreshTokenResult RedeemWithAccessToken() => Complete(_service.RedeemAsync(_fresh[_next++ % Invocations]));

    [Benchmark]
    public RefreshTokenResult RedeemWithoutAccessToken() => Complete(_plain.RedeemAsync(_freshPlain[_next++ % Invocations]));

    [Benchmark]
    public RefreshTokenResult GraceRetryOfRotatedToken() => Complete(_service.RedeemAsync(_rotated));

    // The in-memory store completes synchronously; block only when it did not.
    private static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
