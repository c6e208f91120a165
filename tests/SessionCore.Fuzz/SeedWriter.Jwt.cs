using System;
using System.Collections.Generic;
using System.Text;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Fuzz;

internal static partial class SeedWriter
{
    private static void WriteJwt(string corpusRoot, TokenSource source)
    {
        FuzzTargets.JwtFixture jwt = FuzzTargets.Jwt;
        string es256 = Issue(jwt.Ring, source, new AccessTokenRequest { Subject = "user-42", SessionId = SessionId.Parse(FuzzTargets.CsrfSessionId), SecurityEpoch = 3 });
        string eddsa = Issue(new SigningKeyRing(jwt.EdDsa, FixedClock.Instance), source, new AccessTokenRequest { Subject = "user-42", Scope = "orders:read", Claims = new Dictionary<string, object> { ["tier"] = 2L } });
        string es256Kid = jwt.Es256.KeyId;
        long now = FixedClock.Instance.Now.ToUnixTimeSeconds();
        string header = $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{es256Kid}}"}""";
        string payload = $$"""{"iss":"{{FuzzTargets.JwtIssuer}}","sub":"user-42","aud":"{{FuzzTargets.JwtAudience}}","exp":{{now + 600}},"iat":{{now - 60}},"nbf":{{now - 60}},"jti":"j1"}""";
        string[] parts = es256.Split('.');

        Write(corpusRoot, "jwt", new()
        {
            ["issued-es256.txt"] = es256,
            ["issued-eddsa.txt"] = eddsa,
            ["crafted-es256-audience-array.txt"] = Craft(jwt.Es256, header, payload.Replace($"\"aud\":\"{FuzzTargets.JwtAudience}\"", $"\"aud\":[\"other\",\"{FuzzTargets.JwtAudience}\"]", StringComparison.Ordinal)),
            ["crafted-expired.txt"] = Craft(jwt.Es256, header, payload.Replace($"\"exp\":{now + 600}", $"\"exp\":{now - 3600}", StringComparison.Ordinal)),
            ["crafted-wrong-typ.txt"] = Craft(jwt.Es256, header.Replace("at+jwt", "JWT", StringComparison.Ordinal), payload),
            ["crafted-crit.txt"] = Craft(jwt.Es256, header.Replace("}", ",\"crit\":[\"exp\"]}", StringComparison.Ordinal), payload),
            ["crafted-duplicate-member.txt"] = Craft(jwt.Es256, header, payload.Replace("\"sub\":\"user-42\"", "\"sub\":\"user-42\",\"sub\":\"admin\"", StringComparison.Ordinal)),
            ["crafted-escaped-names.txt"] = Craft(jwt.Es256, header.Replace("\"kid\"", "\"\\u006bid\"", StringComparison.Ordinal), payload.Replace("\"iss\"", "\"\\u0069ss\"", StringComparison.Ordinal)),
            ["crafted-eddsa-alg-with-es256-kid.txt"] = Craft(jwt.EdDsa, header.Replace("ES256", "EdDSA", StringComparison.Ordinal), payload),
            ["crafted-fractional-exp.txt"] = Craft(jwt.Es256, header, payload.Replace($"\"exp\":{now + 600}", $"\"exp\":{now + 600}.5", StringComparison.Ordinal)),
            ["crafted-nested-claims.txt"] = Craft(jwt.Es256, header, payload.Replace("}", ",\"x\":[[[[{\"a\":[1,2,{\"b\":null}]}]]]]}", StringComparison.Ordinal)),
            ["tampered-payload.txt"] = parts[0] + "." + B64(payload.Replace("user-42", "admin", StringComparison.Ordinal)) + "." + parts[2],
            ["padded-signature.txt"] = es256 + "==",
            ["two-segments.txt"] = parts[0] + "." + parts[1],
            ["four-segments.txt"] = es256 + ".e30",
            ["empty-segments.txt"] = "..",
            ["jws-json-serialization.txt"] = $$"""{"protected":"{{parts[0]}}","payload":"{{parts[1]}}","signature":"{{parts[2]}}"}""",
        });

        Write(corpusRoot, "jwk", new()
        {
            ["fixed-es256-private.json"] = FuzzTargets.Es256PrivateJwk,
            ["fixed-eddsa-private.json"] = FuzzTargets.EdDsaPrivateJwk,
            ["fixed-es256-public.json"] = jwt.Es256.ExportPublicJwk(),
            ["fixed-eddsa-public.json"] = jwt.EdDsa.ExportPublicJwk(),
            ["es256-point-off-curve.json"] = FuzzTargets.Es256PrivateJwk.Replace("\"y\":\"S", "\"y\":\"T", StringComparison.Ordinal),
            ["es256-private-of-other-key.json"] = FuzzTargets.Es256PrivateJwk.Replace("\"d\":\"Z", "\"d\":\"Y", StringComparison.Ordinal),
            ["duplicate-member.json"] = FuzzTargets.EdDsaPrivateJwk.Replace("{", "{\"kty\":\"oct\",", StringComparison.Ordinal),
            ["oct-key.json"] = """{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","alg":"HS256"}""",
            ["x25519-key.json"] = """{"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}""",
            ["alg-mismatch.json"] = FuzzTargets.EdDsaPrivateJwk.Replace("\"alg\":\"EdDSA\"", "\"alg\":\"ES256\"", StringComparison.Ordinal),
        });

        string jwks = jwt.Ring.ExportJwks();
        Write(corpusRoot, "jwks", new()
        {
            ["fixed-ring.json"] = jwks,
            ["empty.json"] = """{"keys":[]}""",
            ["keys-not-array.json"] = """{"keys":{}}""",
            ["duplicate-kid.json"] = $$"""{"keys":[{{jwt.Es256.ExportPublicJwk()}},{{jwt.Es256.ExportPublicJwk()}}]}""",
            ["with-private-key.json"] = $$"""{"keys":[{{FuzzTargets.EdDsaPrivateJwk}}]}""",
            ["extra-members.json"] = jwks.Replace("{\"keys\"", "{\"x\":1,\"keys\"", StringComparison.Ordinal),
        });
    }

    private static string Issue(SigningKeyRing ring, TokenSource source, AccessTokenRequest request) =>
        new AccessTokenBuilder
        {
            KeyRing = ring,
            Options = { Issuer = FuzzTargets.JwtIssuer, Audience = FuzzTargets.JwtAudience, DefaultClientId = "fuzz-seeds", ValidationMode = AccessTokenValidationMode.Offline },
            TimeProvider = FixedClock.Instance,
            RandomFill = source.Fill,
        }.BuildIssuer().Issue(request);

    private static string Craft(SigningKey key, string headerJson, string payloadJson)
    {
        string input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64UrlStrict.Encode(key.Algorithm.Sign(key, Encoding.ASCII.GetBytes(input)));
    }

    private static string B64(string json) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));
}
