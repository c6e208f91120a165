using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dpop;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Tests.Dpop;

/// <summary>
/// Makes DPoP proofs with real keys for the validator tests: a header and payload as JSON objects (or raw text, for
/// malformed JSON), signed by any key, with the request it is checked against. Each validator it builds has its own
/// in-memory store and a fake clock.
/// </summary>
internal sealed class DpopKit : IDisposable
{
    public const string Scope = "https://server.example.com";
    public const string TokenEndpoint = "https://server.example.com/token";
    public const string AccessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";

    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Writes JSON the way clients do: '+' and other characters unescaped.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public DpopKit()
    {
        Time = new FakeTimeProvider(Now);
        Es256 = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        EdDsa = SigningKey.Generate(SigningAlgorithm.EdDsa, SigningKeyExportPolicies.AllowPrivateExport);
        OtherEs256 = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        OtherEdDsa = SigningKey.Generate(SigningAlgorithm.EdDsa, SigningKeyExportPolicies.AllowPrivateExport);
    }

    public FakeTimeProvider Time { get; }

    public SigningKey Es256 { get; }

    public SigningKey EdDsa { get; }

    public SigningKey OtherEs256 { get; }

    public SigningKey OtherEdDsa { get; }

    public static string B64(ReadOnlySpan<byte> bytes) => Base64UrlStrict.Encode(bytes);

    public static string B64(string text) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>The public JWK of <paramref name="key"/> with its required members only (as DPoP clients send it).</summary>
    public static JsonObject Jwk(SigningKey key)
    {
        JsonObject full = JsonNode.Parse(key.ExportPublicJwk())!.AsObject();
        if ((string?)full["kty"] == "RSA")
        {
            return new JsonObject { ["kty"] = "RSA", ["n"] = full["n"]!.DeepClone(), ["e"] = full["e"]!.DeepClone() };
        }

        JsonObject jwk = new() { ["kty"] = full["kty"]!.DeepClone(), ["crv"] = full["crv"]!.DeepClone(), ["x"] = full["x"]!.DeepClone() };
        if (full["y"] is { } y)
        {
            jwk["y"] = y.DeepClone();
        }

        return jwk;
    }

    /// <summary>The private JWK of <paramref name="key"/> (a test-only exportable key).</summary>
    public static JsonObject PrivateJwk(SigningKey key) => JsonNode.Parse(key.ExportPrivateJwk())!.AsObject();

    public static string AlgorithmOf(SigningKey key) => key.Algorithm.Name;

    public static string NewJti() => B64(RandomNumberGenerator.GetBytes(16));

    /// <summary>base64url(SHA-256(token)), the <c>ath</c> of <paramref name="token"/>.</summary>
    public static string Ath(string token) => B64(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Signs <paramref name="headerJson"/>.<paramref name="payloadJson"/> with <paramref name="signer"/>.</summary>
    public static string Sign(SigningKey signer, string headerJson, string payloadJson) =>
        Sign(signer, Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson));

    /// <summary>Signs raw header and payload bytes (which need not be valid UTF-8).</summary>
    public static string Sign(SigningKey signer, byte[] header, byte[] payload)
    {
        string input = B64(header) + "." + B64(payload);
        byte[] signature = signer.Algorithm.Sign(signer, Encoding.ASCII.GetBytes(input));
        return input + "." + B64(signature);
    }

    public ProofSpec Spec(SigningKey key) => new(this, key);

    public DpopProofValidator Validator(Action<DpopOptions>? configure = null, ISessionStore? store = null, TimeProvider? time = null)
    {
        DpopOptions options = new() { ReplayScope = Scope };
        configure?.Invoke(options);
        return new DpopProofValidatorBuilder { Options = options, Store = store ?? new InMemorySessionStore(), TimeProvider = time ?? Time }.Build();
    }

    public void Dispose()
    {
        Es256.Dispose();
        EdDsa.Dispose();
        OtherEs256.Dispose();
        OtherEdDsa.Dispose();
    }

    /// <summary>One proof and its request, valid until a test changes something.</summary>
    internal sealed class ProofSpec
    {
        private readonly DpopKit _kit;

        public ProofSpec(DpopKit kit, SigningKey key)
        {
            _kit = kit;
            Key = key;
            Signer = key;
            Header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = AlgorithmOf(key), ["jwk"] = Jwk(key) };
            Payload = new JsonObject { ["jti"] = NewJti(), ["htm"] = "POST", ["htu"] = TokenEndpoint, ["iat"] = kit.Time.GetUtcNow().ToUnixTimeSeconds() };
        }

        public DpopKit Kit => _kit;

        public SigningKey Key { get; }

        public SigningKey Signer { get; set; }

        public JsonObject Header { get; set; }

        public JsonObject Payload { get; set; }

        /// <summary>Gets or sets header JSON text used instead of <see cref="Header"/>.</summary>
        public string? RawHeader { get; set; }

        /// <summary>Gets or sets payload JSON text used instead of <see cref="Payload"/>.</summary>
        public string? RawPayload { get; set; }

        /// <summary>Gets or sets payload bytes used instead of <see cref="Payload"/> (for invalid UTF-8).</summary>
        public byte[]? RawPayloadBytes { get; set; }

        /// <summary>Gets or sets a change to the compact proof after signing.</summary>
        public Func<string, string>? AfterSigning { get; set; }

        public string Method { get; set; } = "POST";

        public string TargetUri { get; set; } = TokenEndpoint;

        public string? AccessToken { get; set; }

        public string? ExpectedKeyThumbprint { get; set; }

        public string Build()
        {
            string proof = Sign(
                Signer,
                Encoding.UTF8.GetBytes(RawHeader ?? Header.ToJsonString(Relaxed)),
                RawPayloadBytes ?? Encoding.UTF8.GetBytes(RawPayload ?? Payload.ToJsonString(Relaxed)));
            return AfterSigning is null ? proof : AfterSigning(proof);
        }

        public DpopProofRequest Request(string? proof = null) => new()
        {
            Proof = proof ?? Build(),
            Method = Method,
            TargetUri = TargetUri,
            AccessToken = AccessToken,
            ExpectedKeyThumbprint = ExpectedKeyThumbprint,
        };

        /// <summary>Makes the proof a resource request with <see cref="DpopKit.AccessToken"/> and its <c>ath</c>.</summary>
        public ProofSpec ForResource(string uri = "https://resource.example.org/protectedresource")
        {
            Method = "GET";
            TargetUri = uri;
            AccessToken = DpopKit.AccessToken;
            Payload["htm"] = "GET";
            Payload["htu"] = uri;
            Payload["ath"] = Ath(DpopKit.AccessToken);
            return this;
        }

        public async ValueTask<DpopProofValidationResult> ValidateAsync(DpopProofValidator validator) =>
            await validator.ValidateAsync(Request(), Xunit.TestContext.Current.CancellationToken);

        public DateTimeOffset Now => _kit.Time.GetUtcNow();
    }
}

/// <summary>A store whose single-use primitive fails like a dead database.</summary>
internal sealed class FailingSingleUseStore(Exception failure) : TestSupport.DelegatingStore(new InMemorySessionStore())
{
    public override ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, System.Threading.CancellationToken cancellationToken = default) =>
        ValueTask.FromException<bool>(failure);
}

/// <summary>JSON helpers for the corpus.</summary>
internal static class JsonText
{
    public static string Escape(string value) => JsonSerializer.Serialize(value);
}
