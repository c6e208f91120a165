using System;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Stores;
using SessionCore.Tests.Jwt;
using Xunit;

namespace SessionCore.Tests.Dpop;

/// <summary>RFC 9449 §7: bound tokens with proofs, the Bearer downgrade, unbound tokens, and the answers' shape.</summary>
public sealed class ResourceAccessValidatorTests
{
    private const string Uri = "https://resource.example.org/protectedresource";
    private const string Algs = "algs=\"ES256 EdDSA Ed25519\"";

    [Fact]
    public async Task Validate_BoundTokenWithProofByItsKey_IsValidAndSenderConstrained()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult result = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token));

        Assert.Equal(ResourceAccessStatus.Valid, result.Status);
        Assert.True(result.IsSenderConstrained);
        Assert.Equal(r.Kit.Es256.KeyId, result.Value.ConfirmationThumbprint);
        Assert.Equal(DpopProofStatus.Valid, result.ProofStatus);
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.WwwAuthenticate);
        Assert.Null(result.DpopNonce);
    }

    [Fact]
    public async Task Validate_SchemeNameInAnyCase_IsValid()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.EdDsa);

        ResourceAccessResult result = await r.SendAsync("dpop  " + token, r.Proof(r.Kit.EdDsa, token));

        Assert.Equal(ResourceAccessStatus.Valid, result.Status);
    }

    [Fact]
    public async Task Validate_BoundTokenAsBearer_IsRefusedAsDowngrade()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);

        // With or without the proof alongside: the Bearer scheme never carries a bound token.
        ResourceAccessResult bare = await r.SendAsync("Bearer " + token);
        ResourceAccessResult withProof = await r.SendAsync("Bearer " + token, r.Proof(r.Kit.Es256, token));

        foreach (ResourceAccessResult result in new[] { bare, withProof })
        {
            Assert.Equal(ResourceAccessStatus.BearerDowngrade, result.Status);
            Assert.False(result.IsSuccess);
            Assert.Equal(401, result.StatusCode);
            Assert.Equal(DpopChallengeError.InvalidToken, result.Error);
            Assert.Equal("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"Invalid token\", DPoP realm=\"api\", " + Algs, result.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task Validate_UnboundTokenUnderDpopScheme_IsRefused()
    {
        using Resource r = new();
        string token = r.Jwt.Issue("alice");

        ResourceAccessResult result = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token));

        Assert.Equal(ResourceAccessStatus.TokenNotBound, result.Status);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal("Bearer realm=\"api\", DPoP realm=\"api\", error=\"invalid_token\", error_description=\"Invalid token\", " + Algs, result.WwwAuthenticate);
    }

    [Fact]
    public async Task Validate_UnboundBearerToken_IsValidUnlessBoundTokensAreRequired()
    {
        using Resource open = new();
        using Resource strict = new(o => o.RequireBoundTokens = true);

        ResourceAccessResult accepted = await open.SendAsync("Bearer " + open.Jwt.Issue("alice"));
        ResourceAccessResult refused = await strict.SendAsync("Bearer " + strict.Jwt.Issue("alice"));

        Assert.Equal(ResourceAccessStatus.Valid, accepted.Status);
        Assert.False(accepted.IsSenderConstrained);
        Assert.Null(accepted.ProofStatus);
        Assert.Equal(ResourceAccessStatus.BoundTokenRequired, refused.Status);
        Assert.Equal("DPoP realm=\"api\", error=\"invalid_token\", error_description=\"Invalid token\", " + Algs, refused.WwwAuthenticate);
    }

    [Fact]
    public async Task Validate_NoCredentials_ChallengesBothSchemesWithoutError()
    {
        using Resource r = new();
        using Resource strict = new(o => o.RequireBoundTokens = true);

        ResourceAccessResult none = await r.SendAsync(null);
        ResourceAccessResult basic = await r.SendAsync("Basic YWxpY2U6cHc=");
        ResourceAccessResult strictNone = await strict.SendAsync(null);

        Assert.Equal(ResourceAccessStatus.NoCredentials, none.Status);
        Assert.Equal(ResourceAccessStatus.NoCredentials, basic.Status);
        Assert.Equal(401, none.StatusCode);
        Assert.Equal("Bearer realm=\"api\", DPoP realm=\"api\", " + Algs, none.WwwAuthenticate);
        Assert.Equal(r.Validator.Challenge(), none.WwwAuthenticate);
        Assert.Equal("DPoP realm=\"api\", " + Algs, strictNone.WwwAuthenticate);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("DPoP")]
    [InlineData("DPoP a b")]
    [InlineData("DPoP a,b")]
    [InlineData("Bearer a=b")]
    [InlineData("DPoP \u00e9t\u00e9")]
    public async Task Validate_MalformedAuthorization_IsInvalidRequest(string authorization)
    {
        using Resource r = new();

        ResourceAccessResult result = await r.SendAsync(authorization);

        Assert.Equal(ResourceAccessStatus.InvalidRequest, result.Status);
        Assert.Equal(400, result.StatusCode);
        Assert.Contains("error=\"invalid_request\"", result.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Null(result.TokenStatus);
    }

    [Fact]
    public async Task Validate_OversizeAuthorization_IsInvalidRequest()
    {
        using Resource r = new();
        Assert.Equal(ResourceAccessStatus.InvalidRequest, (await r.SendAsync("DPoP " + new string('a', 9000))).Status);
    }

    [Fact]
    public async Task Validate_InvalidTokenUnderEitherScheme_IsInvalidTokenOnThatScheme()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        r.Kit.Time.Advance(TimeSpan.FromHours(2));

        ResourceAccessResult dpop = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token));
        ResourceAccessResult bearer = await r.SendAsync("Bearer not.a.token");

        Assert.Equal(ResourceAccessStatus.InvalidToken, dpop.Status);
        Assert.Equal(AccessTokenValidationStatus.Expired, dpop.TokenStatus);
        Assert.Null(dpop.ProofStatus);
        Assert.StartsWith("Bearer realm=\"api\", DPoP realm=\"api\", error=\"invalid_token\"", dpop.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Equal(ResourceAccessStatus.InvalidToken, bearer.Status);
        Assert.StartsWith("Bearer realm=\"api\", error=\"invalid_token\"", bearer.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ProofByAnotherKey_IsKeyMismatch()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult result = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.OtherEs256, token));

        Assert.Equal(ResourceAccessStatus.KeyMismatch, result.Status);
        Assert.Equal(DpopProofStatus.KeyMismatch, result.ProofStatus);
        Assert.Equal(DpopChallengeError.InvalidToken, result.Error);
    }

    [Fact]
    public async Task Validate_ProofForAnotherToken_IsInvalidProof()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        string other = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult wrongAth = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, other));
        ResourceAccessResult noAth = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token, s => s.Payload.Remove("ath")));

        Assert.Equal(ResourceAccessStatus.InvalidProof, wrongAth.Status);
        Assert.Equal(DpopProofStatus.AccessTokenHashMismatch, wrongAth.ProofStatus);
        Assert.Equal(ResourceAccessStatus.InvalidProof, noAth.Status);
        Assert.Equal(DpopProofStatus.MissingClaim, noAth.ProofStatus);
        Assert.Equal("Bearer realm=\"api\", DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"Invalid DPoP proof\", " + Algs, wrongAth.WwwAuthenticate);
    }

    [Fact]
    public async Task Validate_ProofForAnotherMethodOrUri_IsInvalidProof()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult method = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token, s => s.Payload["htm"] = "POST"));
        ResourceAccessResult uri = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token, s => s.Payload["htu"] = "https://resource.example.org/other"));

        Assert.Equal(DpopProofStatus.MethodMismatch, method.ProofStatus);
        Assert.Equal(DpopProofStatus.UriMismatch, uri.ProofStatus);
    }

    [Fact]
    public async Task Validate_MissingOrDuplicatedProof_IsInvalidProof()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult missing = await r.SendAsync("DPoP " + token);
        ResourceAccessResult twice = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token), r.Proof(r.Kit.Es256, token));
        ResourceAccessResult folded = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token) + "," + r.Proof(r.Kit.Es256, token));

        Assert.Equal((ResourceAccessStatus.InvalidProof, DpopProofStatus.Missing), (missing.Status, missing.ProofStatus));
        Assert.Equal((ResourceAccessStatus.InvalidProof, DpopProofStatus.Malformed), (twice.Status, twice.ProofStatus));
        Assert.Equal((ResourceAccessStatus.InvalidProof, DpopProofStatus.Malformed), (folded.Status, folded.ProofStatus));
    }

    [Fact]
    public async Task Validate_ReplayedProof_IsRefused()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        string proof = r.Proof(r.Kit.Es256, token);

        ResourceAccessResult first = await r.SendAsync("DPoP " + token, proof);
        ResourceAccessResult second = await r.SendAsync("DPoP " + token, proof);

        Assert.Equal(ResourceAccessStatus.Valid, first.Status);
        Assert.Equal(ResourceAccessStatus.ProofReplayed, second.Status);
        Assert.Equal(DpopChallengeError.InvalidDpopProof, second.Error);
    }

    [Fact]
    public async Task Validate_InvalidTokenWithProof_DoesNotSpendTheProof()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        string proof = r.Proof(r.Kit.Es256, token);

        ResourceAccessResult refused = await r.SendAsync("DPoP " + token[..^2] + "AA", proof);
        ResourceAccessResult accepted = await r.SendAsync("DPoP " + token, proof);

        Assert.Equal(ResourceAccessStatus.InvalidToken, refused.Status);
        Assert.Equal(ResourceAccessStatus.Valid, accepted.Status);
    }

    [Fact]
    public async Task Validate_NonceRequired_ChallengesWithUseDpopNonceThenAcceptsTheNonce()
    {
        using Resource r = new(o => o.RequireNonce = true);
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult challenged = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token));
        string nonce = challenged.DpopNonce!;
        ResourceAccessResult accepted = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token, s => s.Payload["nonce"] = nonce));

        Assert.Equal(ResourceAccessStatus.NonceRequired, challenged.Status);
        Assert.Equal(401, challenged.StatusCode);
        Assert.Equal(DpopProofStatus.NonceRequired, challenged.ProofStatus);
        Assert.Equal("Bearer realm=\"api\", DPoP realm=\"api\", error=\"use_dpop_nonce\", error_description=\"A DPoP nonce is required; use the DPoP-Nonce value\", " + Algs, challenged.WwwAuthenticate);
        Assert.NotNull(nonce);
        Assert.Equal(ResourceAccessStatus.Valid, accepted.Status);
        Assert.NotNull(accepted.DpopNonce);
    }

    [Fact]
    public async Task Validate_NonceRequired_EveryAnswerCarriesANonce()
    {
        using Resource r = new(o => o.RequireNonce = true);

        Assert.NotNull((await r.SendAsync(null)).DpopNonce);
        Assert.NotNull((await r.SendAsync("Bearer " + r.Jwt.Issue("alice"))).DpopNonce);
    }

    [Fact]
    public async Task Validate_RequiredScopeMissing_IsInsufficientScope()
    {
        using Resource r = new();
        string token = r.Jwt.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", Scope = "profile", ConfirmationThumbprint = r.Kit.Es256.KeyId });

        ResourceAccessResult granted = await r.SendWithScopeAsync("DPoP " + token, r.Proof(r.Kit.Es256, token), scope: "profile");
        ResourceAccessResult refused = await r.SendWithScopeAsync("DPoP " + token, r.Proof(r.Kit.Es256, token), scope: "orders:write");

        Assert.Equal(ResourceAccessStatus.Valid, granted.Status);
        Assert.Equal(ResourceAccessStatus.InsufficientScope, refused.Status);
        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("DPoP realm=\"api\", error=\"insufficient_scope\"", refused.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ReplayCacheDown_IsStoreUnavailable()
    {
        using Resource r = new(store: new FailingSingleUseStore(new InvalidOperationException("down")));
        string token = r.BoundToken(r.Kit.Es256);

        ResourceAccessResult result = await r.SendAsync("DPoP " + token, r.Proof(r.Kit.Es256, token));

        Assert.Equal(ResourceAccessStatus.StoreUnavailable, result.Status);
        Assert.Equal(503, result.StatusCode);
        Assert.Null(result.WwwAuthenticate);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public async Task Validate_CallerMisuse_Throws()
    {
        using Resource r = new();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await r.Validator.ValidateAsync(null!, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await r.Validator.ValidateAsync(new ResourceAccessRequest { Method = "G T", TargetUri = Uri }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await r.Validator.ValidateAsync(new ResourceAccessRequest { Method = "GET", TargetUri = string.Empty }, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => new ResourceAccessValidator(r.Jwt.Validator, r.Proofs, "bad\nrealm"));
    }

    [Fact]
    public async Task ToString_ShowsNoHeaderValue()
    {
        using Resource r = new();
        string token = r.BoundToken(r.Kit.Es256);
        ResourceAccessRequest request = new() { Authorization = "DPoP " + token, DpopHeaders = [r.Proof(r.Kit.Es256, token)], Method = "GET", TargetUri = Uri };
        ResourceAccessResult result = await r.Validator.ValidateAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("ResourceAccessRequest", request.ToString());
        Assert.Equal("Valid", result.ToString());
    }

    /// <summary>An issuer and token validator on the proof kit's clock, a proof validator, and the resource validator over both.</summary>
    internal sealed class Resource : IDisposable
    {
        public Resource(Action<DpopOptions>? configure = null, ISessionStore? store = null)
        {
            Kit = new DpopKit();
            Jwt = new JwtFixture(SigningAlgorithm.Es256, time: Kit.Time);
            Proofs = Kit.Validator(configure, store);
            Validator = new ResourceAccessValidator(Jwt.Validator, Proofs, "api");
        }

        public DpopKit Kit { get; }

        public JwtFixture Jwt { get; }

        public DpopProofValidator Proofs { get; }

        public ResourceAccessValidator Validator { get; }

        public string BoundToken(SigningKey key) => Jwt.Issuer_.Issue(new AccessTokenRequest { Subject = "alice", ConfirmationThumbprint = key.KeyId });

        public string Proof(SigningKey key, string token, Action<DpopKit.ProofSpec>? change = null)
        {
            DpopKit.ProofSpec spec = Kit.Spec(key).ForResource(Uri);
            spec.Payload["ath"] = DpopKit.Ath(token);
            change?.Invoke(spec);
            return spec.Build();
        }

        public async Task<ResourceAccessResult> SendAsync(string? authorization, params string?[] dpop) =>
            await Validator.ValidateAsync(new ResourceAccessRequest { Authorization = authorization, DpopHeaders = dpop, Method = "GET", TargetUri = Uri }, TestContext.Current.CancellationToken);

        public async Task<ResourceAccessResult> SendWithScopeAsync(string authorization, string proof, string scope) =>
            await Validator.ValidateAsync(new ResourceAccessRequest { Authorization = authorization, DpopHeaders = [proof], Method = "GET", TargetUri = Uri, RequiredScope = scope }, TestContext.Current.CancellationToken);

        public void Dispose()
        {
            Proofs.Dispose();
            Jwt.Dispose();
            Kit.Dispose();
        }
    }
}
