using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Interop;

/// <summary>
/// Keys, tokens and the two jose runs every <see cref="JoseInteropTests"/> case reads: one node launch
/// verifies all our tokens in jose, one signs all of jose's tokens, so the class costs two processes.
/// </summary>
public sealed class JoseFixture : IAsyncLifetime
{
    public const string Issuer = "https://login.example";
    public const string Audience = "api://orders";
    public const string ClientId = "orders-web";

    public static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly List<SigningKey> _keys = [];

    public JoseFixture()
    {
        Time = new FakeTimeProvider(Now);
        Es256 = Key(SigningAlgorithm.Es256);
        EdDsa = Key(SigningAlgorithm.EdDsa);
        StrangerEs256 = Key(SigningAlgorithm.Es256);
        StrangerEdDsa = Key(SigningAlgorithm.EdDsa);
        Ring = new SigningKeyRing(Es256, Time);
        Ring.AddVerificationKey(EdDsa);
        Validator = Builder(Ring).BuildValidator();
    }

    public FakeTimeProvider Time { get; }

    public SigningKey Es256 { get; }

    public SigningKey EdDsa { get; }

    public SigningKey StrangerEs256 { get; }

    public SigningKey StrangerEdDsa { get; }

    public SigningKeyRing Ring { get; }

    public AccessTokenValidator Validator { get; }

    /// <summary>Gets the tokens we issued, by case name.</summary>
    public Dictionary<string, string> OurTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets jose's verdict on each of our tokens, by case name.</summary>
    public Dictionary<string, JsonNode> JoseVerdicts { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the tokens jose signed, by case name.</summary>
    public Dictionary<string, string> JoseTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets why the tests cannot run here, or <see langword="null"/>.</summary>
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        SkipReason = NodeScript.Missing;
        if (SkipReason is not null)
        {
            return;
        }

        AccessTokenIssuer es256Issuer = Builder(Ring).BuildIssuer();
        AccessTokenIssuer edDsaIssuer = Builder(new SigningKeyRing(EdDsa, Time)).BuildIssuer();
        OurTokens["es256"] = es256Issuer.Issue(new AccessTokenRequest { Subject = "alice", Scope = "orders:read" });
        OurTokens["eddsa"] = edDsaIssuer.Issue(new AccessTokenRequest { Subject = "bob", Scope = "orders:read" });
        string es256 = OurTokens["es256"];
        OurTokens["es256-tampered"] = es256[..^2] + (es256[^2] == 'A' ? "Q" : "A") + es256[^1];
        OurTokens["es256-other-audience"] = es256Issuer.Issue(new AccessTokenRequest { Subject = "alice", Audience = "api://billing" });

        JsonArray verifyCases =
        [
            Case("es256", OurTokens["es256"], "ES256"),
            Case("eddsa", OurTokens["eddsa"], "EdDSA"),
            Case("es256-tampered", OurTokens["es256-tampered"], "ES256"),
            Case("es256-other-audience", OurTokens["es256-other-audience"], "ES256"),
            Case("eddsa-algorithm-not-allowed", OurTokens["eddsa"], "ES256"),
        ];
        JsonNode verified = await NodeScript.RunAsync("jose-verify.mjs", new JsonObject
        {
            ["jwks"] = JsonNode.Parse(Ring.ExportJwks()),
            ["issuer"] = Issuer,
            ["audience"] = Audience,
            ["now"] = Now.ToUnixTimeSeconds() + 60,
            ["cases"] = verifyCases,
        }, TestContext.Current.CancellationToken);
        foreach (JsonNode? result in verified["results"]!.AsArray())
        {
            JoseVerdicts[(string)result!["name"]!] = result;
        }

        JsonArray signCases =
        [
            SignCase("es256", Es256, Es256),
            SignCase("eddsa", EdDsa, EdDsa),
            SignCase("es256-stranger-key", StrangerEs256, Es256),
            SignCase("eddsa-stranger-key", StrangerEdDsa, EdDsa),
            SignCase("es256-wrong-audience", Es256, Es256, audience: "api://billing"),
            SignCase("es256-no-typ", Es256, Es256, typ: null),
            SignCase("eddsa-expired", EdDsa, EdDsa, lifetime: -600),
        ];
        JsonNode signed = await NodeScript.RunAsync("jose-sign.mjs", new JsonObject { ["now"] = Now.ToUnixTimeSeconds(), ["cases"] = signCases }, TestContext.Current.CancellationToken);
        foreach (JsonNode? result in signed["results"]!.AsArray())
        {
            string name = (string)result!["name"]!;
            JoseTokens[name] = (string?)result["token"] ?? throw new InvalidOperationException($"jose could not sign {name}: {result["error"]}");
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (SigningKey key in _keys)
        {
            key.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static JsonObject Case(string name, string token, string algorithm) =>
        new() { ["name"] = name, ["token"] = token, ["algorithms"] = new JsonArray(algorithm) };

    // jose signs with `signer`'s private JWK but names `named`'s kid, so a stranger key poses as ours.
    private static JsonObject SignCase(string name, SigningKey signer, SigningKey named, string audience = Audience, string? typ = "at+jwt", int lifetime = 600) => new()
    {
        ["name"] = name,
        ["jwk"] = JsonNode.Parse(signer.ExportPrivateJwk()),
        ["alg"] = signer.Algorithm.Name,
        ["kid"] = named.KeyId,
        ["typ"] = typ,
        ["issuer"] = Issuer,
        ["audience"] = audience,
        ["subject"] = "carol",
        ["jti"] = "jose-" + name,
        ["lifetime"] = lifetime,
        ["claims"] = new JsonObject { ["scope"] = "orders:write" },
    };

    private AccessTokenBuilder Builder(SigningKeyRing ring) => new()
    {
        KeyRing = ring,
        Options = { Issuer = Issuer, Audience = Audience, DefaultClientId = ClientId, ValidationMode = AccessTokenValidationMode.Offline },
        TimeProvider = Time,
    };

    private SigningKey Key(SigningAlgorithm algorithm)
    {
        SigningKey key = SigningKey.Generate(algorithm, SigningKeyExportPolicies.AllowPrivateExport);
        _keys.Add(key);
        return key;
    }
}
