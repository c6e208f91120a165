using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Interop;

/// <summary>
/// Interoperability with real DPoP clients from npm (tests/js pins dpop 2.1.2 and oauth4webapi 3.8.9): their proofs
/// validate here, for token and resource requests, ES256 and Ed25519 (their RFC 9864 name); our use_dpop_nonce
/// challenge and DPoP-Nonce header are understood by oauth4webapi, whose retry carries our nonce; and a replayed or
/// misdirected proof of theirs is refused like any other.
/// </summary>
public sealed class DpopInteropTests(DpopInteropFixture fixture) : IClassFixture<DpopInteropFixture>
{
    [Theory]
    [InlineData("es256-token", "ES256")]
    [InlineData("ed25519-token", "Ed25519")]
    public async Task Validate_DpopPackageTokenRequestProof_IsValid(string name, string algorithm)
    {
        (string proof, string thumbprint) = Proof(name);
        using DpopProofValidator validator = fixture.Validator();

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = DpopInteropFixture.TokenEndpoint },
            TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(thumbprint, result.Value.KeyThumbprint);
        Assert.Equal(algorithm, result.Value.Algorithm);
    }

    [Theory]
    [InlineData("es256-resource")]
    [InlineData("ed25519-resource")]
    public async Task Validate_DpopPackageResourceProofWithBoundToken_IsValid(string name)
    {
        (string proof, string thumbprint) = Proof(name);
        using DpopProofValidator validator = fixture.Validator();

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest
            {
                Proof = proof,
                Method = "GET",
                TargetUri = DpopInteropFixture.Resource,
                AccessToken = DpopInteropFixture.AccessToken,
                ExpectedKeyThumbprint = thumbprint,
            },
            TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Fact]
    public async Task Validate_DpopPackageProofWithOurNonce_IsValid()
    {
        (string proof, _) = Proof("es256-nonce");
        using DpopProofValidator validator = fixture.Validator(requireNonce: true);

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = DpopInteropFixture.TokenEndpoint },
            TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Fact]
    public async Task Validate_DpopPackageProofReplayedOnAnotherNode_IsReplayed()
    {
        (string proof, _) = Proof("es256-token");
        InMemorySessionStore shared = new();
        using DpopProofValidator node1 = fixture.Validator(store: shared);
        using DpopProofValidator node2 = fixture.Validator(store: shared);
        DpopProofRequest request = new() { Proof = proof, Method = "POST", TargetUri = DpopInteropFixture.TokenEndpoint };

        Assert.True((await node1.ValidateAsync(request, TestContext.Current.CancellationToken)).IsSuccess);
        Assert.Equal(DpopProofStatus.Replayed, (await node2.ValidateAsync(request, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Validate_DpopPackageProofAtAnotherUriOrMethodOrToken_IsRefused()
    {
        using DpopProofValidator validator = fixture.Validator();

        DpopProofValidationResult otherUri = await validator.ValidateAsync(
            new DpopProofRequest { Proof = Proof("es256-other-uri").Proof, Method = "POST", TargetUri = DpopInteropFixture.TokenEndpoint },
            TestContext.Current.CancellationToken);
        DpopProofValidationResult otherMethod = await validator.ValidateAsync(
            new DpopProofRequest { Proof = Proof("ed25519-token").Proof, Method = "PUT", TargetUri = DpopInteropFixture.TokenEndpoint },
            TestContext.Current.CancellationToken);
        DpopProofValidationResult otherToken = await validator.ValidateAsync(
            new DpopProofRequest { Proof = Proof("es256-resource").Proof, Method = "GET", TargetUri = DpopInteropFixture.Resource, AccessToken = DpopInteropFixture.AccessToken + "x" },
            TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.UriMismatch, otherUri.Status);
        Assert.Equal(DpopProofStatus.MethodMismatch, otherMethod.Status);
        Assert.Equal(DpopProofStatus.AccessTokenHashMismatch, otherToken.Status);
    }

    [Fact]
    public async Task Validate_OAuth4WebApiRefreshGrantProof_IsValid()
    {
        using DpopProofValidator validator = fixture.Validator();

        DpopProofValidationResult result = await validator.ValidateAsync(
            new DpopProofRequest { Proof = OAuth("refreshProof"), Method = "POST", TargetUri = DpopInteropFixture.TokenEndpoint },
            TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal(OAuth("thumbprint"), result.Value.KeyThumbprint);
    }

    [Fact]
    public async Task Validate_OAuth4WebApiNonceChallengeAndRetry_ChallengesThenAccepts()
    {
        using DpopProofValidator validator = fixture.Validator(requireNonce: true);
        DpopProofRequest Request(string proof) => new()
        {
            Proof = proof,
            Method = "GET",
            TargetUri = DpopInteropFixture.Resource,
            AccessToken = DpopInteropFixture.AccessToken,
            ExpectedKeyThumbprint = OAuth("thumbprint"),
        };

        DpopProofValidationResult first = await validator.ValidateAsync(Request(OAuth("firstResourceProof")), TestContext.Current.CancellationToken);
        DpopProofValidationResult retry = await validator.ValidateAsync(Request(OAuth("retryResourceProof")), TestContext.Current.CancellationToken);

        Assert.Equal(DpopProofStatus.NonceRequired, first.Status);
        Assert.True((bool)fixture.OAuth!["nonceErrorRecognised"]!, "oauth4webapi did not recognise " + fixture.Challenge);
        Assert.True(retry.IsSuccess, retry.Status.ToString());
        Assert.Equal("DPoP " + DpopInteropFixture.AccessToken, OAuth("retryAuthorization"));
    }

    private (string Proof, string Thumbprint) Proof(string name)
    {
        SkipIfNoNode();
        return fixture.DpopProofs[name];
    }

    private string OAuth(string member)
    {
        SkipIfNoNode();
        return (string)fixture.OAuth![member]!;
    }

    private void SkipIfNoNode()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }
}
