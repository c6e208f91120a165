using System;
using SessionCore.Dpop;
using Xunit;

namespace SessionCore.Tests.Dpop;

/// <summary>The challenge strings, checked against the shapes of RFC 9449 figures 15-18 and RFC 6750 §3.</summary>
public sealed class DpopChallengeTests
{
    [Fact]
    public void ForDpop_NoError_IsTheBareChallenge() =>
        Assert.Equal("DPoP algs=\"ES256 EdDSA Ed25519\"", DpopChallenge.ForDpop(DpopSigningAlgorithms.Default));

    [Fact]
    public void ForDpop_Es256Only_ListsOneAlgorithm() =>
        Assert.Equal("DPoP algs=\"ES256\"", DpopChallenge.ForDpop(DpopSigningAlgorithms.Es256));

    [Fact]
    public void ForDpop_UseNonce_HasErrorDescriptionAndAlgs() =>
        Assert.Equal(
            "DPoP error=\"use_dpop_nonce\", error_description=\"A DPoP nonce is required; use the DPoP-Nonce value\", algs=\"ES256\"",
            DpopChallenge.ForDpop(DpopSigningAlgorithms.Es256, DpopChallengeError.UseDpopNonce));

    [Fact]
    public void ForDpop_WithRealm_QuotesAndEscapesIt() =>
        Assert.Equal(
            "DPoP realm=\"api \\\"v1\\\" \\\\x\", error=\"invalid_token\", error_description=\"Invalid token\", algs=\"EdDSA\"",
            DpopChallenge.ForDpop(DpopSigningAlgorithms.EdDsa, DpopChallengeError.InvalidToken, "api \"v1\" \\x"));

    [Fact]
    public void ForBearerAndDpop_NoCredentials_CarriesNoError() =>
        Assert.Equal("Bearer, DPoP algs=\"ES256 EdDSA Ed25519\"", DpopChallenge.ForBearerAndDpop(DpopSigningAlgorithms.Default));

    [Fact]
    public void ForBearerAndDpop_InvalidBearerToken_PutsTheErrorOnBearer() =>
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"Invalid token\", DPoP algs=\"ES256\"",
            DpopChallenge.ForBearerAndDpop(DpopSigningAlgorithms.Es256, bearerError: DpopChallengeError.InvalidToken));

    [Fact]
    public void ForBearerAndDpop_InvalidProof_PutsTheErrorOnDpop() =>
        Assert.Equal(
            "Bearer realm=\"r\", DPoP realm=\"r\", error=\"invalid_dpop_proof\", error_description=\"Invalid DPoP proof\", algs=\"ES256\"",
            DpopChallenge.ForBearerAndDpop(DpopSigningAlgorithms.Es256, dpopError: DpopChallengeError.InvalidDpopProof, realm: "r"));

    [Theory]
    [InlineData(DpopProofStatus.Valid, DpopChallengeError.None)]
    [InlineData(DpopProofStatus.StoreUnavailable, DpopChallengeError.None)]
    [InlineData(DpopProofStatus.NonceRequired, DpopChallengeError.UseDpopNonce)]
    [InlineData(DpopProofStatus.InvalidNonce, DpopChallengeError.UseDpopNonce)]
    [InlineData(DpopProofStatus.KeyMismatch, DpopChallengeError.InvalidToken)]
    [InlineData(DpopProofStatus.Replayed, DpopChallengeError.InvalidDpopProof)]
    [InlineData(DpopProofStatus.Missing, DpopChallengeError.InvalidDpopProof)]
    [InlineData(DpopProofStatus.InvalidSignature, DpopChallengeError.InvalidDpopProof)]
    [InlineData(DpopProofStatus.AccessTokenHashMismatch, DpopChallengeError.InvalidDpopProof)]
    public void ErrorFor_Status_MapsToTheClientError(DpopProofStatus status, DpopChallengeError expected) =>
        Assert.Equal(expected, DpopChallenge.ErrorFor(status));

    [Fact]
    public void ErrorFor_EveryStatus_HasADefinedError()
    {
        foreach (DpopProofStatus status in Enum.GetValues<DpopProofStatus>())
        {
            Assert.True(Enum.IsDefined(DpopChallenge.ErrorFor(status)));
        }
    }

    [Theory]
    [InlineData(DpopChallengeError.InvalidRequest, "invalid_request")]
    [InlineData(DpopChallengeError.InvalidToken, "invalid_token")]
    [InlineData(DpopChallengeError.InvalidDpopProof, "invalid_dpop_proof")]
    [InlineData(DpopChallengeError.UseDpopNonce, "use_dpop_nonce")]
    [InlineData(DpopChallengeError.InsufficientScope, "insufficient_scope")]
    public void ErrorCode_IsTheRegisteredName(DpopChallengeError error, string code)
    {
        Assert.Equal(code, DpopChallenge.ErrorCode(error));
        Assert.DoesNotContain('"', DpopChallenge.Description(error));
        Assert.DoesNotContain('\\', DpopChallenge.Description(error));
    }

    [Fact]
    public void AlgorithmNames_AreTheJwsNamesInOrder() =>
        Assert.Equal(["ES256", "EdDSA", "Ed25519"], DpopChallenge.AlgorithmNames(DpopSigningAlgorithms.Default));

    [Fact]
    public void CallerMisuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForDpop(DpopSigningAlgorithms.None));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForDpop((DpopSigningAlgorithms)32));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForDpop(DpopSigningAlgorithms.Es256, (DpopChallengeError)99));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForDpop(DpopSigningAlgorithms.Es256, realm: "a\r\nb"));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForDpop(DpopSigningAlgorithms.Es256, realm: "é"));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ForBearerAndDpop(DpopSigningAlgorithms.Es256, bearerError: DpopChallengeError.UseDpopNonce));
        Assert.Throws<ArgumentException>(() => DpopChallenge.ErrorCode(DpopChallengeError.None));
        Assert.Throws<ArgumentException>(() => DpopChallenge.Description(DpopChallengeError.None));
        Assert.Throws<ArgumentException>(() => DpopChallenge.AlgorithmNames(DpopSigningAlgorithms.None));
    }
}
