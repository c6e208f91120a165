using System;
using System.IO;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Fuzz.Tests;

/// <summary>The seeds that should pass the parser do, so the fuzzer starts from inputs that reach the deep paths.</summary>
public sealed class SeedCorpusTests
{
    private static readonly string s_corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    [Theory]
    [InlineData("issued-es256.txt")]
    [InlineData("issued-eddsa.txt")]
    [InlineData("crafted-es256-audience-array.txt")]
    [InlineData("crafted-escaped-names.txt")]
    [InlineData("crafted-nested-claims.txt")]
    public void JwtSeed_ValidToken_IsValidOnTheFixedClock(string file)
    {
        AccessTokenValidationResult result = FuzzTargets.Jwt.Validator.ValidateOffline(Read("jwt", file));

        Assert.Equal(AccessTokenValidationStatus.Valid, result.Status);
    }

    [Theory]
    [InlineData("fixed-es256-private.json")]
    [InlineData("fixed-eddsa-public.json")]
    [InlineData("rfc8037-a1-ed25519-private.json")]
    [InlineData("rfc7515-a3-ec-private.json")]
    [InlineData("rfc7515-a2-rsa-private.json")]
    [InlineData("rfc7515-a2-rsa-public-ps256.json")]
    public void JwkSeed_SupportedKey_Imports(string file)
    {
        Assert.True(SigningKey.TryImportJwk(Read("jwk", file), SigningKeyExportPolicies.None, out SigningKey? key));
        key.Dispose();
    }

    [Theory]
    [InlineData("rsa-public-without-alg.json")]
    [InlineData("rsa-even-exponent.json")]
    [InlineData("rfc7638-rsa.json")]
    public void JwkSeed_RefusedRsaKey_DoesNotImport(string file)
    {
        Assert.False(SigningKey.TryImportJwk(Read("jwk", file), SigningKeyExportPolicies.None, out _));
    }

    [Fact]
    public void OpaqueSeeds_Minted_Parse()
    {
        Assert.True(SessionToken.TryParse(Read("session-token", "minted.txt"), out _));
        Assert.True(RefreshToken.TryParse(Read("refresh-token", "minted.txt"), out _));
        Assert.True(CookieHeaderParser.Find(Read("cookie-header", "single.txt"), FuzzTargets.CookieName).IsSuccess);
        Assert.True(BearerTokenParser.Parse(Read("authorization-header", "bearer-opaque.txt")).IsSuccess);
    }

    [Theory]
    [InlineData("xff-chain.txt", ForwardingHeader.XForwardedFor, "203.0.113.7")]
    [InlineData("xff-junk-left.txt", ForwardingHeader.XForwardedFor, "203.0.113.7")]
    [InlineData("rfc7239-example.txt", ForwardingHeader.Forwarded, "198.51.100.17")]
    [InlineData("rfc7239-ipv6.txt", ForwardingHeader.Forwarded, "2001:db8:cafe::17")]
    [InlineData("quoted-comma.txt", ForwardingHeader.Forwarded, "198.51.100.1")]
    [InlineData("escapes.txt", ForwardingHeader.Forwarded, "198.51.100.1")]
    [InlineData("unterminated.txt", ForwardingHeader.Forwarded, "198.51.100.1")]
    public void ForwardedSeed_WellFormedRightEnd_ResolvesTheClient(string file, ForwardingHeader header, string expected)
    {
        ClientAddressOptions options = new() { Header = header };
        options.TrustedProxies.Add("10.0.0.0/8");
        string value = Read("forwarded-header", file);

        ClientAddressResult result = new ClientAddressResolver(options).Resolve(System.Net.IPAddress.Parse("10.0.0.1"), value, value);

        Assert.Equal(ClientAddressStatus.Forwarded, result.Status);
        Assert.Equal(expected, result.Value.ToString());
    }

    [Fact]
    public void CsrfSeed_Valid_Verifies()
    {
        using CsrfTokenService csrf = new(FuzzTargets.CsrfKey);

        Assert.Equal(CsrfTokenStatus.Valid, csrf.Verify(Read("csrf-token", "valid.txt"), SessionId.Parse(FuzzTargets.CsrfSessionId)));
    }

    [Fact]
    public async System.Threading.Tasks.Task DbscTarget_GenuineRegistrationProof_ReachesTheAcceptedPath()
    {
        // A proof over a challenge of the target's own key, clock and session: the harness checks it is accepted once.
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        System.Text.Json.Nodes.JsonObject jwk = System.Text.Json.Nodes.JsonNode.Parse(key.ExportPublicJwk())!.AsObject();
        string header = "{\"typ\":\"dbsc+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + jwk["x"] + "\",\"y\":\"" + jwk["y"] + "\"}}";
        string payload = "{\"jti\":\"" + FuzzTargets.DbscChallenges.Issue(FuzzTargets.DbscSession, SessionCore.Dbsc.DbscChallengePurpose.Registration) + "\"}";
        string input = B64(System.Text.Encoding.UTF8.GetBytes(header)) + "." + B64(System.Text.Encoding.UTF8.GetBytes(payload));
        string proof = input + "." + B64(SigningAlgorithm.Es256.Sign(key, System.Text.Encoding.ASCII.GetBytes(input)));
        SessionCore.Dbsc.DbscProofValidator validator = new(FuzzTargets.DbscChallenges, new SessionCore.Stores.InMemorySessionStore(), new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1767225600)));

        FuzzTargets.Find("dbsc-proof")!.Run(System.Text.Encoding.ASCII.GetBytes(proof));
        SessionCore.Dbsc.DbscProofResult result = await validator.ValidateRegistrationAsync(proof, FuzzTargets.DbscSession, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SessionCore.Dbsc.DbscProofStatus.Valid, result.Status);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async System.Threading.Tasks.Task DpopSeed_RfcTokenRequestProof_IsValidOnTheFixedClock()
    {
        // The harness itself asserts the invariants; here the seed must reach the deepest path (accepted once).
        FuzzTargets.Find("dpop-proof")!.Run(File.ReadAllBytes(Path.Combine(s_corpus, "dpop-proof", "rfc9449-figure-5-token-request.txt")));
        using SessionCore.Dpop.DpopProofValidator validator = new SessionCore.Dpop.DpopProofValidatorBuilder
        {
            Store = new SessionCore.Stores.InMemorySessionStore(),
            TimeProvider = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1562262616)),
            Options = { ReplayScope = "https://server.example.com" },
        }.Build();

        SessionCore.Dpop.DpopProofValidationResult result = await validator.ValidateAsync(new SessionCore.Dpop.DpopProofRequest
        {
            Proof = Read("dpop-proof", "rfc9449-figure-5-token-request.txt"),
            Method = "POST",
            TargetUri = FuzzTargets.DpopTargetUri,
        }, TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    private static string Read(string target, string file) => File.ReadAllText(Path.Combine(s_corpus, target, file));
}
