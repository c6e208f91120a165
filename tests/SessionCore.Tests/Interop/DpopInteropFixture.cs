using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dpop;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Interop;

/// <summary>
/// One node run of tests/js/dpop-interop.mjs: proofs from the npm `dpop` package, and a refresh grant plus a nonce
/// challenge and retry driven through oauth4webapi's DPoP handle, answered with our own challenge and nonce.
/// </summary>
public sealed class DpopInteropFixture : IAsyncLifetime
{
    public const string Issuer = "https://server.example.com";
    public const string TokenEndpoint = "https://server.example.com/token";
    public const string Resource = "https://resource.example.org/me";
    public const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private readonly byte[] _nonceKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Gets the clock of the validators: the node run's time plus one second.</summary>
    public FakeTimeProvider Time { get; } = new();

    /// <summary>Gets the nonce our server handed out with its challenge.</summary>
    public string Nonce { get; private set; } = string.Empty;

    /// <summary>Gets the challenge our server answered the first resource request with.</summary>
    public string Challenge { get; } = DpopChallenge.ForDpop(DpopSigningAlgorithms.Default, DpopChallengeError.UseDpopNonce);

    /// <summary>Gets the `dpop` package's proofs and key thumbprints, by case name.</summary>
    public Dictionary<string, (string Proof, string Thumbprint)> DpopProofs { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets what oauth4webapi sent.</summary>
    public JsonNode? OAuth { get; private set; }

    /// <summary>Gets why the tests cannot run here, or <see langword="null"/>.</summary>
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        SkipReason = NodeScript.Missing;
        if (SkipReason is not null)
        {
            return;
        }

        using (DpopProofValidator issuer = Validator(new FakeTimeProvider(TimeProvider.System.GetUtcNow()), requireNonce: true))
        {
            Nonce = issuer.CreateNonce();
        }

        JsonNode output = await NodeScript.RunAsync("dpop-interop.mjs", new JsonObject
        {
            ["dpop"] = new JsonArray(
                Case("es256-token", "ES256", "POST", TokenEndpoint),
                Case("ed25519-token", "Ed25519", "POST", TokenEndpoint),
                Case("es256-resource", "ES256", "GET", Resource, accessToken: AccessToken),
                Case("ed25519-resource", "Ed25519", "GET", Resource, accessToken: AccessToken),
                Case("es256-nonce", "ES256", "POST", TokenEndpoint, nonce: Nonce),
                Case("es256-other-uri", "ES256", "POST", "https://server.example.com/par")),
            ["oauth"] = new JsonObject
            {
                ["issuer"] = Issuer,
                ["tokenEndpoint"] = TokenEndpoint,
                ["resource"] = Resource,
                ["refreshToken"] = "refresh-token-value",
                ["accessToken"] = AccessToken,
                ["challenge"] = Challenge,
                ["nonce"] = Nonce,
            },
        }, TestContext.Current.CancellationToken);

        Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds((long)output["now"]!) + TimeSpan.FromSeconds(1));
        foreach (JsonNode? result in output["dpop"]!.AsArray())
        {
            DpopProofs[(string)result!["name"]!] = ((string)result["proof"]!, (string)result["thumbprint"]!);
        }

        OAuth = output["oauth"];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A validator of this server: a fresh replay cache, the shared nonce key.</summary>
    public DpopProofValidator Validator(FakeTimeProvider? time = null, bool requireNonce = false, ISessionStore? store = null) => new DpopProofValidatorBuilder
    {
        Store = store ?? new InMemorySessionStore(),
        TimeProvider = time ?? Time,
        Options = { ReplayScope = Issuer, RequireNonce = requireNonce, NonceKey = _nonceKey },
    }.Build();

    private static JsonObject Case(string name, string alg, string htm, string htu, string? accessToken = null, string? nonce = null) => new()
    {
        ["name"] = name,
        ["alg"] = alg,
        ["htm"] = htm,
        ["htu"] = htu,
        ["accessToken"] = accessToken,
        ["nonce"] = nonce,
    };
}
