using System;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using SessionCore.Http;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// CSRF token minting and verification against the one HMAC-SHA256 they are built on.
/// </summary>
[MemoryDiagnoser]
public class CsrfBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _mac = new byte[32];
    private CsrfTokenService _service = null!;
    private SessionId _id;
    private byte[] _idBytes = [];
    private string _token = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _service = new CsrfTokenService(_key);
        _id = SessionToken.Mint(TokenSource.System).Id;
        _idBytes = Encoding.ASCII.GetBytes(_id.ToString());
        _token = _service.CreateToken(_id);
    }

    [GlobalCleanup]
    public void Cleanup() => _service.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawHmacSha256()
    {
        HMACSHA256.HashData(_key, _idBytes, _mac);
        return _mac;
    }

    [Benchmark]
    public string CreateToken() => _service.CreateToken(_id);

    [Benchmark]
    public CsrfTokenStatus VerifyToken() => _service.Verify(_token, _id);
}

/// <summary>
/// Reading the session cookie out of a realistic <c>Cookie</c> header against the naive split-and-trim parse
/// most code starts with. The parser adds checks the split lacks (duplicates, cookie-octets, size caps).
/// </summary>
[MemoryDiagnoser]
public class CookieHeaderBenchmarks
{
    private const string CookieName = "__Host-sc";
    private string _header = string.Empty;

    [GlobalSetup]
    public void Setup() =>
        _header = "_ga=GA1.2.1234567890.1700000000; theme=dark; lang=en-GB; " + CookieName + "=" + SessionToken.Mint(TokenSource.System).Reveal() + "; consent=yes";

    [Benchmark(Baseline = true)]
    public string? StringSplitParse()
    {
        foreach (string pair in _header.Split(';'))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual(CookieName))
            {
                return pair[(eq + 1)..].Trim();
            }
        }

        return null;
    }

    [Benchmark]
    public HeaderValueResult CookieHeaderParserFind() => CookieHeaderParser.Find(_header, CookieName);
}

/// <summary>
/// Reading a bearer token out of an <c>Authorization</c> header against a split on the first space.
/// The parser adds the RFC 6750 token68 check and size cap the split lacks.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationHeaderBenchmarks
{
    private string _header = string.Empty;

    [GlobalSetup]
    public void Setup() => _header = "Bearer " + SessionToken.Mint(TokenSource.System).Reveal();

    [Benchmark(Baseline = true)]
    public string? StringSplitParse()
    {
        string[] parts = _header.Split(' ', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? parts[1] : null;
    }

    [Benchmark]
    public HeaderValueResult BearerTokenParserParse() => BearerTokenParser.Parse(_header);
}
