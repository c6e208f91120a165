using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.TestSupport;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenPropertyTests : IDisposable
{
    private readonly JwtFixture _es256 = new(SigningAlgorithm.Es256);
    private readonly JwtFixture _edDsa = new(SigningAlgorithm.EdDsa);
    private readonly JwtFixture _rs256 = new(SigningAlgorithm.Rs256);
    private readonly JwtFixture _ps256 = new(SigningAlgorithm.Ps256);

    public void Dispose()
    {
        _es256.Dispose();
        _edDsa.Dispose();
        _rs256.Dispose();
        _ps256.Dispose();
    }

    [Property(MaxTest = 200)]
    public bool SignVerifyRoundTrip_Holds(byte algorithm, NonEmptyString subject, Dictionary<NonEmptyString, string> strings, long number)
    {
        JwtFixture fixture = Fixture(algorithm);
        Dictionary<string, object> claims = [];
        int i = 0;
        foreach (KeyValuePair<NonEmptyString, string> entry in strings.Where(e => e.Value is not null).Take(8))
        {
            // Lower-case hex keeps the generated name out of the forbidden-fragment rule (every fragment has a
            // letter beyond 'f'); that rule has its own tests.
            string key = entry.Key.Get.Length > 4 ? entry.Key.Get[..4] : entry.Key.Get;
            claims["c" + i++ + "_" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key))] = entry.Value;
        }

        claims["n"] = number;
        string sub = subject.Get.Length > 1024 ? subject.Get[..1024] : subject.Get;
        if (string.IsNullOrWhiteSpace(sub))
        {
            sub = "x";
        }

        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(fixture.Issuer_.Issue(new AccessTokenRequest { Subject = sub, Claims = claims }));
        if (!result.TryGetValue(out AccessTokenClaims? read) || read.Subject != sub)
        {
            return false;
        }

        foreach (KeyValuePair<string, object> claim in claims)
        {
            if (!read.TryGetClaim(claim.Key, out JsonElement value))
            {
                return false;
            }

            bool same = claim.Value is string text ? value.GetString() == text : value.GetInt64() == (long)claim.Value;
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 300)]
    public bool AnySingleBitFlip_FailsValidation_Holds(byte algorithm, PositiveInt position, byte bit)
    {
        JwtFixture fixture = Fixture(algorithm);
        string token = fixture.Issue();
        string[] parts = token.Split('.');
        byte[][] segments = [.. parts.Select(p => Base64UrlStrict.TryDecode(p)!)];
        int total = segments.Sum(s => s.Length);
        int index = position.Get % total;
        int segment = 0;
        while (index >= segments[segment].Length)
        {
            index -= segments[segment].Length;
            segment++;
        }

        segments[segment][index] ^= (byte)(1 << (bit % 8));
        string mutated = string.Join('.', segments.Select(s => Base64UrlStrict.Encode(s)));

        return !fixture.Validator.ValidateOffline(mutated).IsSuccess;
    }

    [Property(MaxTest = 500)]
    public bool AnyString_NeverThrows_Holds(string? input)
    {
        AccessTokenValidationResult a = _es256.Validator.ValidateOffline(input);
        AccessTokenValidationResult b = _edDsa.Validator.ValidateAsync(input, TestContextCt).AsTask().GetAwaiter().GetResult();
        return !a.IsSuccess && !b.IsSuccess;
    }

    [Property(MaxTest = 500)]
    public bool NearTokens_NeverThrow_Holds(PositiveInt position, char replacement, bool insert)
    {
        // Random edits of a valid token explore the parser far deeper than random strings do.
        string token = _es256.Issue();
        int index = position.Get % token.Length;
        string mutated = insert ? token.Insert(index, replacement.ToString()) : token.Remove(index, 1).Insert(index, replacement.ToString());
        AccessTokenValidationResult result = _es256.Validator.ValidateOffline(mutated);
        return mutated == token || !result.IsSuccess;
    }

    [Property(MaxTest = 500)]
    public Property NearTokens_PayloadOrSignatureAltered_InvalidSignatureOrMalformed() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte>(), Gen.Choose(0, 5).ToArbitrary(), NearFormat.Edits.ToArbitrary(), (algorithm, variant, edit) =>
        {
            JwtFixture fixture = Fixture(algorithm);
            string token = fixture.Issue();
            string[] parts = token.Split('.');
            string[] other = fixture.Issue("user-2").Split('.');
            int payloadStart = parts[0].Length + 1;
            int signatureStart = payloadStart + parts[1].Length + 1;
            string mutated = variant switch
            {
                0 => edit.ApplyWithin(token, payloadStart, signatureStart - 1),
                1 => edit.ApplyWithin(token, signatureStart, token.Length),
                2 => parts[0] + "." + other[1] + "." + parts[2],
                3 => parts[0] + "." + parts[1] + "." + other[2],
                4 => parts[0] + "." + parts[1],
                _ => token + "." + parts[2],
            };

            // The header is untouched, so the only refusals left are a broken compact serialization (Malformed) and a
            // signature that does not cover these bytes (InvalidSignature); which one follows from the format alone.
            string[] segments = mutated.Split('.');
            AccessTokenValidationStatus expected = mutated == token ? AccessTokenValidationStatus.Valid
                : segments.Length != 3 || !Array.TrueForAll(segments, NearFormat.IsCanonicalBase64Url) ? AccessTokenValidationStatus.Malformed
                : AccessTokenValidationStatus.InvalidSignature;
            return fixture.Validator.ValidateOffline(mutated).Status == expected
                && fixture.Validator.ValidateOffline(Encoding.UTF8.GetBytes(mutated)).Status == expected;
        });

    [Property(MaxTest = 300)]
    public bool ArbitraryJsonSegments_NeverThrow_Holds(string? header, string? payload)
    {
        string token = _edDsa.Craft(header ?? string.Empty, payload ?? string.Empty);
        return !_edDsa.Validator.ValidateOffline(token).IsSuccess;
    }

    [Property(MaxTest = 300)]
    public bool TryImportJwk_ArbitraryString_NeverThrows_Holds(string? input)
    {
        bool imported = SigningKey.TryImportJwk(input, SigningKeyExportPolicies.None, out SigningKey? key);
        key?.Dispose();
        return !imported;
    }

    [Property(MaxTest = 200)]
    public Property Rfc9068ClaimsRoundTrip_Holds()
    {
        Gen<char> visible = Gen.Choose(0x21, 0x7E).Select(c => (char)c);
        Gen<char> scopeChar = visible.Where(c => c is not ('"' or '\\'));
        Gen<string> clientIds = Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(visible, n)).Select(c => new string(c));
        Gen<string> scopeTokens = Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(scopeChar, n)).Select(c => new string(c));
        Gen<string[]> scopes = Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(scopeTokens, n));
        return Prop.ForAll(ArbMap.Default.ArbFor<byte>(), clientIds.ToArbitrary(), scopes.ToArbitrary(), (algorithm, clientId, tokens) =>
        {
            JwtFixture fixture = Fixture(algorithm);
            string scope = string.Join(' ', tokens);
            AccessTokenValidationResult result = fixture.Validator.ValidateOffline(fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "u", ClientId = clientId, Scope = scope }));
            return result.TryGetValue(out AccessTokenClaims? claims)
                && claims.ClientId == clientId && claims.Scope == scope
                && tokens.All(claims.HasScope) && !claims.HasScope(scope + "x");
        });
    }

    [Property(MaxTest = 300)]
    public Property RsaJwkOfArbitraryNumbers_ImportsOnlyWhenWellFormed_Holds()
    {
        Gen<byte[]> numbers = Gen.Elements(0, 1, 3, 4, 5, 128, 255, 256, 257, 384, 512, 513).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n));
        return Prop.ForAll(numbers.ToArbitrary(), numbers.ToArbitrary(), (n, e) =>
        {
            string jwk = $$"""{"kty":"RSA","alg":"PS256","n":"{{Base64UrlStrict.Encode(n)}}","e":"{{Base64UrlStrict.Encode(e)}}"}""";
            bool imported = SigningKey.TryImportJwk(jwk, SigningKeyExportPolicies.None, out SigningKey? key);
            int bits = n.Length == 0 ? 0 : ((n.Length - 1) * 8) + 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0]);
            bool wellFormed = n.Length > 0 && n[0] != 0 && bits is >= 2048 and <= 4096 && (n[^1] & 1) == 1
                && e.Length is > 0 and <= 4 && e[0] != 0 && (e[^1] & 1) == 1 && (e.Length > 1 || e[0] > 1);
            key?.Dispose();
            return imported == wellFormed;
        });
    }

    private static System.Threading.CancellationToken TestContextCt => Xunit.TestContext.Current.CancellationToken;

    /// <summary>One of the four algorithms' fixtures (the RSA ones with 2048-bit keys).</summary>
    private JwtFixture Fixture(byte algorithm) => (algorithm % 4) switch
    {
        0 => _es256,
        1 => _edDsa,
        2 => _rs256,
        _ => _ps256,
    };
}
