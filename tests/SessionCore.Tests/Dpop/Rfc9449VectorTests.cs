using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dpop;
using SessionCore.Keys;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Dpop;

/// <summary>Known answers from RFC 9449 (Vectors/rfc/rfc9449_examples.json, transcribed from the RFC's figures).</summary>
public sealed class Rfc9449VectorTests
{
    private static readonly JsonElement s_vectors = Load();

    public static TheoryData<string> ProofNames => ["figure-5-token-request", "figure-7-refresh-request", "figure-13-resource-request"];

    [Fact]
    public void Thumbprint_ExampleKey_IsTheRfcValue()
    {
        string jwk = s_vectors.GetProperty("example_key").GetRawText();
        using SigningKey key = SigningKey.ImportJwk(jwk);

        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", s_vectors.GetProperty("example_key_thumbprint").GetString());
        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", key.KeyId);
        Assert.Equal(ProofJwsStatus.Valid, PublicJwk.TryImport(Encoding.UTF8.GetBytes(jwk), ProofAlgorithm.Es256, null, out SigningKey? imported));
        Assert.Equal(key.KeyId, imported!.KeyId);
    }

    [Fact]
    public void Ath_ExampleAccessToken_IsTheRfcValue()
    {
        string token = s_vectors.GetProperty("access_token").GetString()!;
        Span<byte> ath = stackalloc byte[43];

        DpopProofValidator.ComputeTokenHash(token, ath);

        Assert.Equal("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", s_vectors.GetProperty("access_token_ath").GetString());
        Assert.Equal("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", Encoding.ASCII.GetString(ath));
    }

    [Theory]
    [MemberData(nameof(ProofNames))]
    public async Task Validate_RfcExampleProofAtItsOwnTime_IsValid(string name)
    {
        JsonElement example = Example(name);
        DateTimeOffset iat = DateTimeOffset.FromUnixTimeSeconds(example.GetProperty("iat").GetInt64());
        using DpopProofValidator validator = Validator(new FakeTimeProvider(iat), out _);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(example), TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", result.Value.KeyThumbprint);
        Assert.Equal("ES256", result.Value.Algorithm);
        Assert.Equal(iat, result.Value.IssuedAt);
    }

    [Theory]
    [MemberData(nameof(ProofNames))]
    public async Task Validate_RfcExampleProofPresentedTwice_IsReplayed(string name)
    {
        JsonElement example = Example(name);
        FakeTimeProvider time = new(DateTimeOffset.FromUnixTimeSeconds(example.GetProperty("iat").GetInt64()));
        using DpopProofValidator validator = Validator(time, out _);
        Assert.True((await validator.ValidateAsync(Request(example), TestContext.Current.CancellationToken)).IsSuccess);
        time.Advance(TimeSpan.FromSeconds(10));

        DpopProofValidationResult again = await validator.ValidateAsync(Request(example), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.Replayed, again.Status);
    }

    [Theory]
    [MemberData(nameof(ProofNames))]
    public async Task Validate_RfcExampleProofMinutesLater_IsTooOld(string name)
    {
        JsonElement example = Example(name);
        DateTimeOffset iat = DateTimeOffset.FromUnixTimeSeconds(example.GetProperty("iat").GetInt64());
        using DpopProofValidator validator = Validator(new FakeTimeProvider(iat.AddSeconds(61)), out _);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(example), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.TooOld, result.Status);
    }

    [Fact]
    public async Task Validate_ResourceProofWithAnotherToken_IsAccessTokenHashMismatch()
    {
        JsonElement example = Example("figure-13-resource-request");
        using DpopProofValidator validator = Validator(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(example.GetProperty("iat").GetInt64())), out _);
        DpopProofRequest request = Request(example);

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest { Proof = request.Proof, Method = request.Method, TargetUri = request.TargetUri, AccessToken = request.AccessToken + "x" },
            TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.AccessTokenHashMismatch, result.Status);
    }

    [Fact]
    public async Task Validate_ResourceProofWithTheBoundTokensJkt_IsValid()
    {
        JsonElement example = Example("figure-13-resource-request");
        using DpopProofValidator validator = Validator(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(example.GetProperty("iat").GetInt64())), out _);
        DpopProofRequest request = Request(example);
        string jkt = s_vectors.GetProperty("bound_access_token").GetProperty("cnf_jkt").GetString()!;

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest { Proof = request.Proof, Method = request.Method, TargetUri = request.TargetUri, AccessToken = request.AccessToken, ExpectedKeyThumbprint = jkt },
            TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Fact]
    public async Task Validate_RefreshProofAtTheTokenProofsTime_IsIssuedInFuture()
    {
        // Figures 5 and 7 share a jti; figure 7 was made 2680 s later, so at figure 5's time it lies in the future.
        JsonElement refresh = Example("figure-7-refresh-request");
        using DpopProofValidator validator = Validator(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Example("figure-5-token-request").GetProperty("iat").GetInt64())), out _);

        DpopProofValidationResult result = await validator.ValidateAsync(Request(refresh), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.IssuedInFuture, result.Status);
    }

    private static DpopProofValidator Validator(FakeTimeProvider time, out InMemorySessionStore store)
    {
        store = new InMemorySessionStore();
        return new DpopProofValidatorBuilder { Store = store, TimeProvider = time, Options = { ReplayScope = "https://server.example.com" } }.Build();
    }

    private static DpopProofRequest Request(JsonElement example) => new()
    {
        Proof = example.GetProperty("proof").GetString(),
        Method = example.GetProperty("method").GetString()!,
        TargetUri = example.GetProperty("target_uri").GetString()!,
        AccessToken = example.TryGetProperty("access_token", out JsonElement token) ? token.GetString() : null,
    };

    private static JsonElement Example(string name)
    {
        foreach (JsonElement proof in s_vectors.GetProperty("proofs").EnumerateArray())
        {
            if (proof.GetProperty("name").GetString() == name)
            {
                return proof;
            }
        }

        throw new KeyNotFoundException(name);
    }

    private static JsonElement Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc", "rfc9449_examples.json")));
        return document.RootElement.Clone();
    }
}
