using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
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

        // RS256 at the default size (3072 bits), PS256 at the smallest (2048).
        Rs256 = Own(SigningKey.Generate(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport));
        Ps256 = Own(Registry.NewKey(SigningAlgorithm.Ps256, SigningKeyExportPolicies.AllowPrivateExport));
        StrangerRs256 = Own(Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport, index: 1));
        StrangerPs256 = Own(Registry.NewKey(SigningAlgorithm.Ps256, SigningKeyExportPolicies.AllowPrivateExport, index: 1));
        Ring = new SigningKeyRing(Es256, Time);
        Ring.AddVerificationKey(EdDsa);
        Ring.AddVerificationKey(Rs256);
        Ring.AddVerificationKey(Ps256);
        Validator = Builder(Ring).BuildValidator();
    }

    public FakeTimeProvider Time { get; }

    public SigningKey Es256 { get; }

    public SigningKey EdDsa { get; }

    public SigningKey StrangerEs256 { get; }

    public SigningKey StrangerEdDsa { get; }

    public SigningKey Rs256 { get; }

    public SigningKey Ps256 { get; }

    public SigningKey StrangerRs256 { get; }

    public SigningKey StrangerPs256 { get; }

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
        AccessTokenIssuer rs256Issuer = Builder(new SigningKeyRing(Rs256, Time)).BuildIssuer();
        AccessTokenIssuer ps256Issuer = Builder(new SigningKeyRing(Ps256, Time)).BuildIssuer();
        OurTokens["es256"] = es256Issuer.Issue(new AccessTokenRequest { Subject = "alice", Scope = "orders:read" });
        OurTokens["eddsa"] = edDsaIssuer.Issue(new AccessTokenRequest { Subject = "bob", Scope = "orders:read" });
        OurTokens["rs256"] = rs256Issuer.Issue(new AccessTokenRequest { Subject = "dave", Scope = "orders:read" });
        OurTokens["ps256"] = ps256Issuer.Issue(new AccessTokenRequest { Subject = "erin", Scope = "orders:read" });
        OurTokens["es256-tampered"] = Tamper(OurTokens["es256"]);
        OurTokens["rs256-tampered"] = Tamper(OurTokens["rs256"]);
        OurTokens["ps256-tampered"] = Tamper(OurTokens["ps256"]);
        OurTokens["es256-other-audience"] = es256Issuer.Issue(new AccessTokenRequest { Subject = "alice", Audience = "api://billing" });

        JsonArray verifyCases =
        [
            Case("es256", OurTokens["es256"], "ES256"),
            Case("eddsa", OurTokens["eddsa"], "EdDSA"),
            Case("rs256", OurTokens["rs256"], "RS256"),
            Case("ps256", OurTokens["ps256"], "PS256"),
            Case("es256-tampered", OurTokens["es256-tampered"], "ES256"),
            Case("rs256-tampered", OurTokens["rs256-tampered"], "RS256"),
            Case("ps256-tampered", OurTokens["ps256-tampered"], "PS256"),
            Case("es256-other-audience", OurTokens["es256-other-audience"], "ES256"),
            Case("eddsa-algorithm-not-allowed", OurTokens["eddsa"], "ES256"),
            Case("rs256-as-ps256-not-allowed", OurTokens["rs256"], "PS256"),
            Case("ps256-as-rs256-not-allowed", OurTokens["ps256"], "RS256"),
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
            SignCase("rs256", Rs256, Rs256),
            SignCase("ps256", Ps256, Ps256),
            SignCase("rs256-stranger-key", StrangerRs256, Rs256),
            SignCase("ps256-stranger-key", StrangerPs256, Ps256),
            SignCase("rs256-key-signs-ps256", Rs256, Rs256, alg: "PS256"),
            SignCase("ps256-key-signs-rs256", Ps256, Ps256, alg: "RS256"),
            SignCase("ps256-wrong-audience", Ps256, Ps256, audience: "api://billing"),
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

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? "Q" : "A") + token[^1];

    // jose signs with `signer`'s private JWK but names `named`'s kid, so a stranger key poses as ours; `alg` other
    // than the signer's makes jose use an RSA key under the other RSA algorithm (the JWK's own alg is dropped).
    private static JsonObject SignCase(string name, SigningKey signer, SigningKey named, string audience = Audience, string? typ = "at+jwt", int lifetime = 600, string? alg = null) => new()
    {
        ["name"] = name,
        ["jwk"] = PrivateJwk(signer, keepAlg: alg is null),
        ["alg"] = alg ?? signer.Algorithm.Name,
        ["kid"] = named.KeyId,
        ["typ"] = typ,
        ["issuer"] = Issuer,
        ["audience"] = audience,
        ["subject"] = "carol",
        ["jti"] = "jose-" + name,
        ["lifetime"] = lifetime,
        ["claims"] = new JsonObject { ["scope"] = "orders:write", ["client_id"] = "jose-client" },
    };

    private static JsonObject PrivateJwk(SigningKey key, bool keepAlg)
    {
        JsonObject jwk = JsonNode.Parse(key.ExportPrivateJwk())!.AsObject();
        if (!keepAlg)
        {
            jwk.Remove("alg");
        }

        return jwk;
    }

    private AccessTokenBuilder Builder(SigningKeyRing ring) => new()
    {
        KeyRing = ring,
        Options = { Issuer = Issuer, Audience = Audience, DefaultClientId = ClientId, ValidationMode = AccessTokenValidationMode.Offline },
        TimeProvider = Time,
    };

    private SigningKey Key(SigningAlgorithm algorithm) => Own(SigningKey.Generate(algorithm, SigningKeyExportPolicies.AllowPrivateExport));

    private SigningKey Own(SigningKey key)
    {
        _keys.Add(key);
        return key;
    }
}
