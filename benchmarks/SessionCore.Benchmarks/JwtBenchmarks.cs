using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NSec.Cryptography;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>What every JWT benchmark class shares: a key ring, an issuer, an offline validator and one request.</summary>
public abstract class JwtBenchmarksBase
{
    internal const string Issuer = "https://issuer.example";
    internal const string Audience = "https://api.example";
    internal const string ClientId = "bench-client";

    private protected SigningKeyRing Ring { get; private set; } = null!;

    private protected AccessTokenIssuer TokenIssuer { get; private set; } = null!;

    private protected AccessTokenValidator Validator { get; private set; } = null!;

    private protected AccessTokenRequest Request { get; private set; } = null!;

    /// <summary>A destination for <see cref="AccessTokenIssuer.TryIssue"/>, the allocation-free issue path (room for a 4096-bit RSA token).</summary>
    private protected byte[] Destination { get; } = new byte[4096];

    /// <summary>A token issued once, to validate.</summary>
    private protected string Token { get; private set; } = string.Empty;

    /// <summary>The token's signing input (<c>header.payload</c>), so the raw baselines sign the same number of bytes.</summary>
    private protected byte[] SigningInput { get; private set; } = [];

    private protected void SetUpJwt(SigningAlgorithm algorithm)
    {
        Ring = new SigningKeyRing(SigningKey.Generate(algorithm));
        var builder = new AccessTokenBuilder
        {
            KeyRing = Ring,
            Options = new AccessTokenOptions
            {
                Issuer = Issuer,
                Audience = Audience,
                DefaultClientId = ClientId,
                ValidationMode = AccessTokenValidationMode.Offline,
            },
        };
        TokenIssuer = builder.BuildIssuer();
        Validator = builder.BuildValidator();
        Request = new AccessTokenRequest { Subject = "user-1234", SessionId = SessionToken.Mint(TokenSource.System).Id, SecurityEpoch = 1 };
        Token = TokenIssuer.Issue(Request);
        SigningInput = Encoding.ASCII.GetBytes(Token[..Token.LastIndexOf('.')]);
        if (!Validator.ValidateOffline(Token).IsSuccess)
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    private protected static SecurityTokenDescriptor HandlerDescriptor(SigningCredentials credentials, AccessTokenRequest request) => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object>
        {
            ["sub"] = request.Subject,
            ["sid"] = request.SessionId.ToString(),
            ["sep"] = request.SecurityEpoch,
        },
        Expires = DateTime.UtcNow.AddMinutes(15),
        SigningCredentials = credentials,
    };

    private protected static TokenValidationParameters HandlerParameters(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
    };

    /// <summary>The peer's version of our RS256/PS256 token: the same header type and the same claims (iss, sub, aud, exp, iat, nbf, jti, client_id, sid, sc_epoch).</summary>
    private protected static SecurityTokenDescriptor Rfc9068HandlerDescriptor(SigningCredentials credentials, AccessTokenRequest request) => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        TokenType = "at+jwt",
        Claims = new Dictionary<string, object>
        {
            ["sub"] = request.Subject,
            ["jti"] = "AAAAAAAAAAAAAAAAAAAAAA",
            ["client_id"] = ClientId,
            ["sid"] = request.SessionId.ToString(),
            ["sc_epoch"] = request.SecurityEpoch,
        },
        Expires = DateTime.UtcNow.AddMinutes(15),
        SigningCredentials = credentials,
    };

    private protected static TokenValidationParameters Rfc9068HandlerParameters(SecurityKey key, string algorithm) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidTypes = ["at+jwt"],
        IssuerSigningKey = key,
        ValidAlgorithms = [algorithm],
    };
}

/// <summary>Issuing an ES256 access token against the raw P-256 signature it needs, with JsonWebTokenHandler as the peer.</summary>
[MemoryDiagnoser]
public class JwtEs256IssueBenchmarks : JwtBenchmarksBase
{
    private ECDsa _ecdsa = null!;
    private JsonWebTokenHandler _handler = null!;
    private SecurityTokenDescriptor _descriptor = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(SigningAlgorithm.Es256);
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true };
        _descriptor = HandlerDescriptor(new SigningCredentials(new ECDsaSecurityKey(_ecdsa), SecurityAlgorithms.EcdsaSha256), Request);
    }

    [GlobalCleanup]
    public void Cleanup() => _ecdsa.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawEcdsaSignData() => _ecdsa.SignData(SigningInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public string AccessTokenIssuerIssue() => TokenIssuer.Issue(Request);

    [Benchmark]
    public int AccessTokenIssuerTryIssue() => TokenIssuer.TryIssue(Request, Destination, out int written) ? written : 0;

    [Benchmark]
    public string JsonWebTokenHandlerCreateToken() => _handler.CreateToken(_descriptor);
}

/// <summary>
/// Issuing an EdDSA (Ed25519) access token against the raw NSec signature it needs. JsonWebTokenHandler
/// (Microsoft.IdentityModel 8.x) has no EdDSA support, so this class has no peer.
/// </summary>
[MemoryDiagnoser]
public class JwtEdDsaIssueBenchmarks : JwtBenchmarksBase
{
    private Key _key = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(SigningAlgorithm.EdDsa);
        _key = Key.Create(SignatureAlgorithm.Ed25519);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawNSecEd25519Sign() => SignatureAlgorithm.Ed25519.Sign(_key, SigningInput);

    [Benchmark]
    public string AccessTokenIssuerIssue() => TokenIssuer.Issue(Request);

    [Benchmark]
    public int AccessTokenIssuerTryIssue() => TokenIssuer.TryIssue(Request, Destination, out int written) ? written : 0;
}

/// <summary>Validating an ES256 access token (offline: signature and claims) against the raw P-256 verification, with JsonWebTokenHandler as the peer.</summary>
[MemoryDiagnoser]
public class JwtEs256ValidateBenchmarks : JwtBenchmarksBase
{
    private ECDsa _ecdsa = null!;
    private byte[] _signature = [];
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;
    private string _handlerToken = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(SigningAlgorithm.Es256);
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = _ecdsa.SignData(SigningInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var key = new ECDsaSecurityKey(_ecdsa);
        _handler = new JsonWebTokenHandler();
        _handlerToken = _handler.CreateToken(HandlerDescriptor(new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256), Request));
        _parameters = HandlerParameters(key);
        if (!_handler.ValidateTokenAsync(_handlerToken, _parameters).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The peer token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _ecdsa.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawEcdsaVerifyData() => _ecdsa.VerifyData(SigningInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public AccessTokenValidationResult AccessTokenValidatorValidateOffline() => Validator.ValidateOffline(Token);

    [Benchmark]
    public TokenValidationResult JsonWebTokenHandlerValidateTokenAsync() => _handler.ValidateTokenAsync(_handlerToken, _parameters).GetAwaiter().GetResult();
}

/// <summary>
/// Validating an EdDSA access token (offline) against the raw NSec Ed25519 verification. JsonWebTokenHandler has no
/// EdDSA support, so this class has no peer.
/// </summary>
[MemoryDiagnoser]
public class JwtEdDsaValidateBenchmarks : JwtBenchmarksBase
{
    private Key _key = null!;
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(SigningAlgorithm.EdDsa);
        _key = Key.Create(SignatureAlgorithm.Ed25519);
        _signature = SignatureAlgorithm.Ed25519.Sign(_key, SigningInput);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawNSecEd25519Verify() => SignatureAlgorithm.Ed25519.Verify(_key.PublicKey, SigningInput, _signature);

    [Benchmark]
    public AccessTokenValidationResult AccessTokenValidatorValidateOffline() => Validator.ValidateOffline(Token);
}

/// <summary>
/// A repeat validation of the same ES256 token with the signature cache on, against a fresh validation with the cache
/// off. The cache skips only the signature maths; claims are still checked on every call.
/// </summary>
[MemoryDiagnoser]
public class JwtSignatureCacheBenchmarks : JwtBenchmarksBase
{
    private AccessTokenValidator _cached = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(SigningAlgorithm.Es256);
        _cached = new AccessTokenBuilder
        {
            KeyRing = Ring,
            Options = new AccessTokenOptions { Issuer = Issuer, Audience = Audience, ValidationMode = AccessTokenValidationMode.Offline, SignatureCacheSize = 1024 },
        }.BuildValidator();
        if (!_cached.ValidateOffline(Token).IsSuccess)
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    [Benchmark(Baseline = true)]
    public AccessTokenValidationResult FreshValidation() => Validator.ValidateOffline(Token);

    [Benchmark]
    public AccessTokenValidationResult CachedRepeatValidation() => _cached.ValidateOffline(Token);
}

/// <summary>
/// Issuing an RS256 or PS256 access token with a key of the default size (3072 bits) against the raw
/// <see cref="RSA.SignData(byte[], HashAlgorithmName, RSASignaturePadding)"/> it needs, with JsonWebTokenHandler
/// signing the same claims as the peer.
/// </summary>
public abstract class JwtRsaIssueBenchmarksBase : JwtBenchmarksBase
{
    private RSA _rsa = null!;
    private JsonWebTokenHandler _handler = null!;
    private SecurityTokenDescriptor _descriptor = null!;

    private protected abstract SigningAlgorithm Algorithm { get; }

    private protected abstract RSASignaturePadding Padding { get; }

    private protected abstract string HandlerAlgorithm { get; }

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(Algorithm);
        _rsa = RSA.Create(SigningKey.DefaultRsaKeySize);
        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true };
        _descriptor = Rfc9068HandlerDescriptor(new SigningCredentials(new RsaSecurityKey(_rsa), HandlerAlgorithm), Request);
        if (!TokenIssuer.TryIssue(Request, Destination, out _))
        {
            throw new InvalidOperationException("The destination is too small for the benchmark token.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _rsa.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawRsaSignData() => _rsa.SignData(SigningInput, HashAlgorithmName.SHA256, Padding);

    [Benchmark]
    public string AccessTokenIssuerIssue() => TokenIssuer.Issue(Request);

    [Benchmark]
    public int AccessTokenIssuerTryIssue() => TokenIssuer.TryIssue(Request, Destination, out int written) ? written : 0;

    [Benchmark]
    public string JsonWebTokenHandlerCreateToken() => _handler.CreateToken(_descriptor);
}

/// <summary>
/// Validating an RS256 or PS256 access token (offline: signature and claims) against the raw
/// <see cref="RSA.VerifyData(byte[], byte[], HashAlgorithmName, RSASignaturePadding)"/>, with JsonWebTokenHandler
/// validating a token of the same claims as the peer.
/// </summary>
public abstract class JwtRsaValidateBenchmarksBase : JwtBenchmarksBase
{
    private RSA _rsa = null!;
    private byte[] _signature = [];
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;
    private string _handlerToken = string.Empty;

    private protected abstract SigningAlgorithm Algorithm { get; }

    private protected abstract RSASignaturePadding Padding { get; }

    private protected abstract string HandlerAlgorithm { get; }

    [GlobalSetup]
    public void Setup()
    {
        SetUpJwt(Algorithm);
        _rsa = RSA.Create(SigningKey.DefaultRsaKeySize);
        _signature = _rsa.SignData(SigningInput, HashAlgorithmName.SHA256, Padding);
        RsaSecurityKey key = new(_rsa);
        _handler = new JsonWebTokenHandler();
        _handlerToken = _handler.CreateToken(Rfc9068HandlerDescriptor(new SigningCredentials(key, HandlerAlgorithm), Request));
        _parameters = Rfc9068HandlerParameters(key, HandlerAlgorithm);
        if (!_handler.ValidateTokenAsync(_handlerToken, _parameters).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The peer token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _rsa.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawRsaVerifyData() => _rsa.VerifyData(SigningInput, _signature, HashAlgorithmName.SHA256, Padding);

    [Benchmark]
    public AccessTokenValidationResult AccessTokenValidatorValidateOffline() => Validator.ValidateOffline(Token);

    [Benchmark]
    public TokenValidationResult JsonWebTokenHandlerValidateTokenAsync() => _handler.ValidateTokenAsync(_handlerToken, _parameters).GetAwaiter().GetResult();
}

/// <summary>RS256 (RSASSA-PKCS1-v1_5, SHA-256) issue.</summary>
[MemoryDiagnoser]
public class JwtRs256IssueBenchmarks : JwtRsaIssueBenchmarksBase
{
    private protected override SigningAlgorithm Algorithm => SigningAlgorithm.Rs256;

    private protected override RSASignaturePadding Padding => RSASignaturePadding.Pkcs1;

    private protected override string HandlerAlgorithm => SecurityAlgorithms.RsaSha256;
}

/// <summary>RS256 (RSASSA-PKCS1-v1_5, SHA-256) validate.</summary>
[MemoryDiagnoser]
public class JwtRs256ValidateBenchmarks : JwtRsaValidateBenchmarksBase
{
    private protected override SigningAlgorithm Algorithm => SigningAlgorithm.Rs256;

    private protected override RSASignaturePadding Padding => RSASignaturePadding.Pkcs1;

    private protected override string HandlerAlgorithm => SecurityAlgorithms.RsaSha256;
}

/// <summary>PS256 (RSASSA-PSS, SHA-256, MGF1, salt 32) issue.</summary>
[MemoryDiagnoser]
public class JwtPs256IssueBenchmarks : JwtRsaIssueBenchmarksBase
{
    private protected override SigningAlgorithm Algorithm => SigningAlgorithm.Ps256;

    private protected override RSASignaturePadding Padding => RSASignaturePadding.Pss;

    private protected override string HandlerAlgorithm => SecurityAlgorithms.RsaSsaPssSha256;
}

/// <summary>PS256 (RSASSA-PSS, SHA-256, MGF1, salt 32) validate.</summary>
[MemoryDiagnoser]
public class JwtPs256ValidateBenchmarks : JwtRsaValidateBenchmarksBase
{
    private protected override SigningAlgorithm Algorithm => SigningAlgorithm.Ps256;

    private protected override RSASignaturePadding Padding => RSASignaturePadding.Pss;

    private protected override string HandlerAlgorithm => SecurityAlgorithms.RsaSsaPssSha256;
}
