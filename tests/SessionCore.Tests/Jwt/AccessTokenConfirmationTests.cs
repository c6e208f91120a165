using System;
using System.Security.Cryptography;
using System.Text.Json;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

/// <summary>The DPoP confirmation (<c>cnf.jkt</c>, RFC 9449 §6.1): written by the issuer, read strictly, refused on the bearer paths.</summary>
public sealed class AccessTokenConfirmationTests
{
    private static readonly string Thumbprint = Base64Url(SHA256.HashData("client key"u8));

    public static TheoryData<string, string> HostileConfirmations => new()
    {
        { "a string", "\"" + Thumbprint + "\"" },
        { "null", "null" },
        { "an array", "[\"" + Thumbprint + "\"]" },
        { "an empty object", "{}" },
        { "a number jkt", "{\"jkt\":42}" },
        { "a null jkt", "{\"jkt\":null}" },
        { "an object jkt", "{\"jkt\":{}}" },
        { "a short jkt", "{\"jkt\":\"" + Thumbprint[..42] + "\"}" },
        { "a long jkt", "{\"jkt\":\"" + Thumbprint + "A\"}" },
        { "a padded jkt", "{\"jkt\":\"" + Thumbprint + "=\"}" },
        { "an empty jkt", "{\"jkt\":\"\"}" },
        { "a non-canonical last character", "{\"jkt\":\"" + Thumbprint[..42] + NonCanonical(Thumbprint[42]) + "\"}" },
        { "standard base64 characters", "{\"jkt\":\"+" + Thumbprint[1..42] + "A\"}" },
        { "an escaped jkt", "{\"jkt\":\"\\u0041" + Thumbprint[1..] + "\"}" },
        { "another confirmation method", "{\"x5t#S256\":\"" + Thumbprint + "\"}" },
        { "jkt and another method", "{\"jkt\":\"" + Thumbprint + "\",\"x5t#S256\":\"" + Thumbprint + "\"}" },
        { "another method and jkt", "{\"x5t#S256\":\"" + Thumbprint + "\",\"jkt\":\"" + Thumbprint + "\"}" },
        { "an embedded jwk", "{\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + Thumbprint + "\"}}" },
        { "a duplicate jkt", "{\"jkt\":\"" + Thumbprint + "\",\"jkt\":\"" + Thumbprint + "\"}" },
    };

    [Theory]
    [MemberData(nameof(Registry.Algorithms), MemberType = typeof(Registry))]
    public void Issue_WithConfirmationThumbprint_WritesCnfJktAndTheValidatorExposesIt(string algorithm)
    {
        using JwtFixture fixture = new(Registry.Get(algorithm));
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = Thumbprint });

        AccessTokenValidationResult result = fixture.Validator.ValidateOffline(token, allowBound: true);

        Assert.True(result.IsSuccess);
        Assert.Equal(Thumbprint, result.Value.ConfirmationThumbprint);
        Assert.True(result.Value.TryGetClaim("cnf", out JsonElement cnf));
        Assert.Equal("{\"jkt\":\"" + Thumbprint + "\"}", cnf.GetRawText());
    }

    [Fact]
    public void Issue_WithoutConfirmationThumbprint_WritesNoCnf()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        AccessTokenClaims claims = fixture.Validator.ValidateOffline(fixture.Issue()).Value;

        Assert.Null(claims.ConfirmationThumbprint);
        Assert.False(claims.TryGetClaim("cnf", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Issue_MalformedConfirmationThumbprint_Throws(string thumbprint)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = thumbprint }));
    }

    [Fact]
    public void Issue_CnfAsCustomClaim_Throws()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        Assert.Throws<ArgumentException>(() => fixture.Issuer_.Issue(new AccessTokenRequest
        {
            Subject = "alice",
            Claims = new System.Collections.Generic.Dictionary<string, object> { ["cnf"] = JsonDocument.Parse("{\"jkt\":\"" + Thumbprint + "\"}").RootElement },
        }));
    }

    [Fact]
    public async System.Threading.Tasks.Task ValidateAsync_BoundToken_IsRefusedAsProofRequired()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = Thumbprint });

        Assert.Equal(AccessTokenValidationStatus.ProofRequired, (await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(AccessTokenValidationStatus.ProofRequired, fixture.Validator.ValidateOffline(token).Status);
        Assert.Equal(AccessTokenValidationStatus.ProofRequired, fixture.Validator.ValidateOffline(System.Text.Encoding.ASCII.GetBytes(token)).Status);
    }

    [Fact]
    public void ReadForRevocation_BoundToken_ReadsItsClaimsButNeverATamperedOne()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string token = fixture.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = Thumbprint });
        // A character inside the signature (the last one also carries padding bits, whose change is Malformed instead).
        int inside = token.Length - 10;
        string tampered = string.Concat(token.AsSpan(0, inside), token[inside] == 'A' ? "B" : "A", token.AsSpan(inside + 1));

        AccessTokenValidationResult read = fixture.Validator.ReadForRevocation(token);

        Assert.True(read.TryGetValue(out AccessTokenClaims? claims));
        Assert.Equal(Thumbprint, claims.ConfirmationThumbprint);
        Assert.Equal(AccessTokenValidationStatus.InvalidSignature, fixture.Validator.ReadForRevocation(tampered).Status);
        Assert.Equal(AccessTokenValidationStatus.Malformed, fixture.Validator.ReadForRevocation("junk").Status);
    }

    [Theory]
    [MemberData(nameof(HostileConfirmations))]
    public void Validate_HostileConfirmation_IsMalformed(string name, string cnfJson)
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string payload = fixture.DefaultPayload[..^1] + ",\"cnf\":" + cnfJson + "}";
        string token = fixture.Craft(fixture.DefaultHeader, payload);

        Assert.True(AccessTokenValidationStatus.Malformed == fixture.Validator.ValidateOffline(token, allowBound: true).Status, name);
        Assert.True(AccessTokenValidationStatus.Malformed == fixture.Validator.ValidateOffline(token).Status, name);
    }

    [Fact]
    public void Validate_CraftedValidConfirmation_IsReadWhateverItsPosition()
    {
        using JwtFixture fixture = new(SigningAlgorithm.Es256);
        string first = fixture.Craft(fixture.DefaultHeader, "{\"cnf\":{\"jkt\":\"" + Thumbprint + "\"}," + fixture.DefaultPayload[1..]);
        string last = fixture.Craft(fixture.DefaultHeader, fixture.DefaultPayload[..^1] + ",\"cnf\":{\"jkt\":\"" + Thumbprint + "\"}}");

        Assert.Equal(Thumbprint, fixture.Validator.ValidateOffline(first, allowBound: true).Value.ConfirmationThumbprint);
        Assert.Equal(Thumbprint, fixture.Validator.ValidateOffline(last, allowBound: true).Value.ConfirmationThumbprint);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The 43rd character of a 32-byte encoding carries two unused low bits; set one.
    private static char NonCanonical(char last)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return Alphabet[Alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
    }
}
