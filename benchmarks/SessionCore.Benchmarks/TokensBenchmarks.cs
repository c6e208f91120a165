using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// Minting session and refresh tokens against the raw CSPRNG call they are built on (32 bytes), and parsing a
/// presented token down to its stored id (one SHA-256).
/// </summary>
[MemoryDiagnoser]
public class TokensBenchmarks
{
    private readonly byte[] _buffer = new byte[TokenSource.SecretLength];
    private string _token = string.Empty;

    [GlobalSetup]
    public void Setup() => _token = SessionToken.Mint(TokenSource.System).Reveal();

    [Benchmark(Baseline = true)]
    public byte[] RandomNumberGeneratorFill()
    {
        RandomNumberGenerator.Fill(_buffer);
        return _buffer;
    }

    [Benchmark]
    public SessionToken MintSessionToken() => SessionToken.Mint(TokenSource.System);

    [Benchmark]
    public RefreshToken MintRefreshToken() => RefreshToken.Mint(TokenSource.System);

    [Benchmark]
    public SessionId ParseAndHashSessionToken() =>
        SessionToken.TryParse(_token, out SessionToken? token) ? token.Id : default;
}
