using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>Minting a session token against the raw CSPRNG call it is built on.</summary>
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
    public SessionId ParseAndHashSessionToken() =>
        SessionToken.TryParse(_token, out SessionToken? token) ? token.Id : default;
}
