using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Jwt;
using Xunit;

namespace SessionCore.Tests.Keys;

/// <summary>A ring of keys of different algorithms, and what a hostile JWKS is refused for.</summary>
public sealed partial class SigningKeyRingTests
{
    [Fact]
    public void Ring_Es256AndRs256AtOnce_EachTokenVerifiesOnlyWithItsOwnKeyAndAlgorithm()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        using SigningKey rsa = Registry.NewKey(SigningAlgorithm.Rs256);
        fixture.Ring.AddVerificationKey(rsa);
        string es256Token = fixture.Issue("alice");
        fixture.Ring.Rotate(rsa);
        string rs256Token = fixture.Issue("bob");

        Assert.Equal("alice", fixture.Validator.ValidateOffline(es256Token).Value.Subject);
        Assert.Equal("bob", fixture.Validator.ValidateOffline(rs256Token).Value.Subject);
        Assert.Same(rsa, fixture.Validator.ValidateOffline(rs256Token).Value.Key);

        // Signed by the RSA key, but the header names the ES256 key: the named key decides, and it is ES256.
        string payload = fixture.DefaultPayload;
        Assert.Equal(AccessTokenValidationStatus.AlgorithmMismatch, fixture.Validator.ValidateOffline(
            Sign(rsa, $$"""{"alg":"RS256","typ":"at+jwt","kid":"{{fixture.Key.KeyId}}"}""", payload)).Status);
        Assert.Equal(AccessTokenValidationStatus.AlgorithmMismatch, fixture.Validator.ValidateOffline(
            Sign(fixture.Key, $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{rsa.KeyId}}"}""", payload)).Status);

        // The ES256 signature under the RSA key's own header: the wrong size for that key, refused before any maths.
        string[] es = es256Token.Split('.');
        string[] rs = rs256Token.Split('.');
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ValidateOffline(rs[0] + "." + rs[1] + "." + es[2]).Status);
    }

    [Fact]
    public void Rotate_ThroughEveryAlgorithm_OlderTokensVerifyUntilTheirKeyRetires()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        using SigningKey ps256 = Registry.NewKey(SigningAlgorithm.Ps256);
        using SigningKey edDsa = SigningKey.Generate(SigningAlgorithm.EdDsa);
        using SigningKey rs256 = Registry.NewKey(SigningAlgorithm.Rs256);
        string[] tokens = new string[4];
        tokens[0] = Issue(fixture);
        fixture.Ring.Rotate(ps256);
        tokens[1] = Issue(fixture);
        fixture.Time.Advance(TimeSpan.FromMinutes(30));
        fixture.Ring.Rotate(edDsa);
        tokens[2] = Issue(fixture);
        fixture.Ring.Rotate(rs256);
        tokens[3] = Issue(fixture);

        Assert.All(tokens, t => Assert.True(fixture.Validator.ValidateOffline(t).IsSuccess));
        Assert.Equal(["ES256", "PS256", "EdDSA", "RS256"], tokens.Select(t => fixture.Validator.ValidateOffline(t).Value.Key.Algorithm.Name));

        // The ES256 key retired 30 minutes before the others; after its retention only it has gone.
        fixture.Time.Advance(SigningKeyRing.DefaultRetiredKeyRetention - TimeSpan.FromMinutes(30));
        Assert.Equal(AccessTokenValidationStatus.UnknownKey, fixture.Validator.ValidateOffline(tokens[0]).Status);
        Assert.Equal(3, fixture.Ring.Keys.Count);
    }

    [Fact]
    public void ExportJwks_MixedRing_PublishesEachKeyWithItsAlgorithmAndImportsBack()
    {
        using SigningKey es = SigningKey.Generate(SigningAlgorithm.Es256);
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport);
        using SigningKey ps = Registry.NewKey(SigningAlgorithm.Ps256);
        SigningKeyRing ring = new(rs);
        ring.AddVerificationKey(es);
        ring.AddVerificationKey(ps);

        string jwks = ring.ExportJwks();
        using JsonDocument document = JsonDocument.Parse(jwks);
        SigningKeyRing imported = SigningKeyRing.ImportJwks(jwks);

        JsonElement[] keys = [.. document.RootElement.GetProperty("keys").EnumerateArray()];
        Assert.Equal(["RS256", "ES256", "PS256"], keys.Select(k => k.GetProperty("alg").GetString()));
        foreach (JsonElement rsaKey in keys.Where(k => k.GetProperty("kty").GetString() == "RSA"))
        {
            Assert.Equal(["e", "kty", "n", "kid", "alg", "use"], rsaKey.EnumerateObject().Select(m => m.Name));
        }

        foreach (SigningKey key in (SigningKey[])[es, rs, ps])
        {
            Assert.True(imported.TryGetKey(key.KeyId, out SigningKey? copy));
            Assert.Same(key.Algorithm, copy.Algorithm);
            Assert.False(copy.HasPrivateKey);
        }

        Assert.DoesNotContain(JsonNode.Parse(rs.ExportPrivateJwk())!["d"]!.GetValue<string>(), jwks, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportJwks_SameKeyListedTwiceUnderOneAlgorithm_KeepsItOnce()
    {
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256);
        string jwk = rs.ExportPublicJwk();

        SigningKeyRing ring = SigningKeyRing.ImportJwks($$"""{"keys":[{{jwk}},{{jwk}}]}""");

        Assert.Single(ring.Keys);
    }

    [Theory]
    [MemberData(nameof(HostileJwks))]
    public void ImportJwks_HostileKeySet_ThrowsArgumentWithItsReason(string name, string jwks, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SigningKeyRing.ImportJwks(jwks));

        Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), name + ": " + error.Message);
    }

    [Fact]
    public void ImportJwks_OneModulusAsRs256AndAsPs256_IsRefusedAsTwoAlgorithms()
    {
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256);
        string rsJwk = rs.ExportPublicJwk();
        string psJwk = rsJwk.Replace("\"alg\":\"RS256\"", "\"alg\":\"PS256\"", StringComparison.Ordinal);

        ArgumentException error = Assert.Throws<ArgumentException>(() => SigningKeyRing.ImportJwks($$"""{"keys":[{{rsJwk}},{{psJwk}}]}"""));

        Assert.Contains("two algorithms", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> HostileJwks()
    {
        using SigningKey rs = Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport);
        using SigningKey es = SigningKey.Generate(SigningAlgorithm.Es256);
        JsonObject rsa = JsonNode.Parse(rs.ExportPublicJwk())!.AsObject();
        JsonObject ec = JsonNode.Parse(es.ExportPublicJwk())!.AsObject();
        string Set(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.DeepClone())]) }.ToJsonString();
        JsonObject With(JsonObject key, string member, string? value)
        {
            JsonObject copy = key.DeepClone().AsObject();
            copy.Remove("kid");
            if (value is null)
            {
                copy.Remove(member);
            }
            else
            {
                copy[member] = value;
            }

            return copy;
        }

        byte[] n = Base64UrlStrict.TryDecode(rsa["n"]!.GetValue<string>())!;
        const string Invalid = "not a JSON Web Key Set";
        return new TheoryData<string, string, string>
        {
            { "RSA key whose alg is ES256", Set(ec, With(rsa, "alg", "ES256")), Invalid },
            { "EC key whose alg is RS256", Set(With(ec, "alg", "RS256"), rsa), Invalid },
            { "EC key whose alg is PS256", Set(With(ec, "alg", "PS256")), Invalid },
            { "RSA key without alg", Set(With(rsa, "alg", null)), Invalid },
            { "RSA key of 1024 bits", Set(With(rsa, "n", Base64UrlStrict.Encode([.. n.AsSpan(0, 127), 1]))), Invalid },
            { "RSA key of 4104 bits", Set(With(rsa, "n", Base64UrlStrict.Encode([.. n, .. n, 1]))), Invalid },
            { "RSA exponent 1", Set(With(rsa, "e", "AQ")), Invalid },
            { "RSA exponent even", Set(With(rsa, "e", "AQAA")), Invalid },
            { "RSA exponent with a leading zero", Set(With(rsa, "e", "AAEAAQ")), Invalid },
            { "RSA private key", Set(JsonNode.Parse(rs.ExportPrivateJwk())!.AsObject()), "private" },
            { "RSA modulus as RS256 and as PS256", Set(rsa, With(rsa, "alg", "PS256")), "two algorithms" },
            { "33 keys", Set([.. Enumerable.Repeat(ec, 33)]), Invalid },
            { "longer than MaxJwksLength", Set(With(rsa, "x5c", new string('A', SigningKeyRing.MaxJwksLength))), Invalid },
        };
    }

    private static string Issue(JwtFixture fixture) =>
        fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "user-1", Lifetime = AccessTokenOptions.MaxLifetime });

    private static string Sign(SigningKey key, string headerJson, string payloadJson)
    {
        string input = JwtFixture.B64(headerJson) + "." + JwtFixture.B64(payloadJson);
        return input + "." + Base64UrlStrict.Encode(key.Algorithm.Sign(key, Encoding.ASCII.GetBytes(input)));
    }
}
