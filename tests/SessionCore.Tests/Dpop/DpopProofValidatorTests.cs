using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dpop;
using SessionCore.Keys;
using SessionCore.Stores;
using Xunit;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dpop;

public sealed class DpopProofValidatorTests : IDisposable
{
    private readonly DpopKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Validate_ResourceRequestWithTokenAndBoundKey_IsValid()
    {
        ProofSpec spec = _kit.Spec(_kit.Es256).ForResource();
        spec.ExpectedKeyThumbprint = _kit.Es256.KeyId;
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.True(result.TryGetValue(out DpopProof? proof), result.Status.ToString());
        Assert.Equal(_kit.Es256.KeyId, proof.KeyThumbprint);
        Assert.Equal(Now, proof.IssuedAt);
        Assert.Null(result.NextNonce);
        Assert.Equal("Valid", result.ToString());
        Assert.Equal("DpopProof ES256", proof.ToString());
    }

    [Theory]
    [InlineData("HTTPS://SERVER.EXAMPLE.COM/token")]
    [InlineData("https://server.example.com:443/token")]
    [InlineData("https://server.example.com:/token")]
    [InlineData("https://server.example.com/%74oken")]
    [InlineData("https://server.example.com/a/../token")]
    [InlineData("https://server.example.com/./token")]
    [InlineData("https://server.example.com/token?query=1")]
    [InlineData("https://server.example.com/token#fragment")]
    [InlineData("https://server.example.com/token?")]
    public async Task Validate_HtuEquivalentAfterNormalisation_IsValid(string htu)
    {
        ProofSpec spec = _kit.Spec(_kit.EdDsa);
        spec.Payload["htu"] = htu;
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.True(result.IsSuccess, result.Status.ToString());
    }

    [Theory]
    [InlineData("https://server.example.com/token?grant_type=refresh_token")]
    [InlineData("https://Server.Example.Com:443/token#x")]
    public async Task Validate_TargetUriWithQueryOrDifferentSpelling_IsValid(string target)
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.TargetUri = target;
        using DpopProofValidator validator = _kit.Validator();

        Assert.True((await spec.ValidateAsync(validator)).IsSuccess);
    }

    [Theory]
    [InlineData(-60, true)]
    [InlineData(-61, false)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public async Task Validate_IatAtTheWindowEdges_IsDecidedInclusively(int offsetSeconds, bool valid)
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["iat"] = Now.ToUnixTimeSeconds() + offsetSeconds;
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.Equal(valid, result.IsSuccess);
    }

    [Fact]
    public async Task Validate_AfterTheWindow_TheReplayedProofIsTooOldNotReplayed()
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        string proof = spec.Build();
        using DpopProofValidator validator = _kit.Validator();
        Assert.True((await validator.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).IsSuccess);

        _kit.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(DpopProofStatus.TooOld, (await validator.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Validate_ValidProof_RemembersItsIdForTheWindowPlusSkew()
    {
        RecordingStore store = new();
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["iat"] = Now.ToUnixTimeSeconds() - 20;
        using DpopProofValidator validator = _kit.Validator(store: store);

        Assert.True((await spec.ValidateAsync(validator)).IsSuccess);

        Assert.Equal(Now.AddSeconds(-20 + 60 + 5 + 1), store.LastExpiresAt);
        Assert.Equal(Now, store.LastNow);
        Assert.Equal(SingleUseKey.Create("dpop-jti", Scope, spec.Payload["jti"]!.GetValue<string>()), store.LastKey);
    }

    [Fact]
    public async Task Validate_SameJtiAtAnotherServer_IsAcceptedThere()
    {
        InMemorySessionStore shared = new();
        ProofSpec spec = _kit.Spec(_kit.Es256);
        string proof = spec.Build();
        using DpopProofValidator here = _kit.Validator(store: shared);
        using DpopProofValidator elsewhere = _kit.Validator(o => o.ReplayScope = "https://other.example", shared);

        Assert.True((await here.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).IsSuccess);
        Assert.True((await elsewhere.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).IsSuccess);
        Assert.Equal(DpopProofStatus.Replayed, (await here.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Validate_64ParallelPresentationsOnTwoNodes_ExactlyOneAccepted()
    {
        InMemorySessionStore shared = new();
        using DpopProofValidator node1 = _kit.Validator(store: shared);
        using DpopProofValidator node2 = _kit.Validator(store: shared);
        ProofSpec spec = _kit.Spec(_kit.EdDsa);
        DpopProofRequest request = spec.Request();
        TaskCompletionSource start = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<DpopProofValidationResult>[] presentations = [.. Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? node1 : node2).ValidateAsync(request, TestContext.Current.CancellationToken);
        }))];
        start.SetResult();

        DpopProofValidationResult[] results = await Task.WhenAll(presentations);

        Assert.Equal(1, results.Count(r => r.IsSuccess));
        Assert.Equal(63, results.Count(r => r.Status == DpopProofStatus.Replayed));
    }

    [Fact]
    public async Task Validate_NonceFlow_ChallengesThenAcceptsAndHandsOutTheNextNonce()
    {
        using DpopProofValidator validator = _kit.Validator(o => o.RequireNonce = true);
        ProofSpec first = _kit.Spec(_kit.Es256);

        DpopProofValidationResult challenged = await first.ValidateAsync(validator);
        Assert.Equal(DpopProofStatus.NonceRequired, challenged.Status);
        Assert.Equal(DpopChallengeError.UseDpopNonce, DpopChallenge.ErrorFor(challenged.Status));
        string nonce = Assert.IsType<string>(challenged.NextNonce);
        Assert.Equal(34, nonce.Length);

        ProofSpec retry = _kit.Spec(_kit.Es256);
        retry.Payload["nonce"] = nonce;
        DpopProofValidationResult accepted = await retry.ValidateAsync(validator);

        Assert.True(accepted.IsSuccess, accepted.Status.ToString());
        Assert.Equal(nonce, accepted.NextNonce);
        Assert.Equal(nonce, validator.CreateNonce());
        Assert.True(validator.RequiresNonce);
    }

    [Fact]
    public async Task Validate_NonceFromThePreviousBucket_IsAcceptedThenExpires()
    {
        using DpopProofValidator validator = _kit.Validator(o => o.RequireNonce = true);
        string nonce = validator.CreateNonce();

        _kit.Time.Advance(TimeSpan.FromMinutes(9));
        ProofSpec late = _kit.Spec(_kit.Es256);
        late.Payload["nonce"] = nonce;
        DpopProofValidationResult stillValid = await late.ValidateAsync(validator);
        Assert.True(stillValid.IsSuccess, stillValid.Status.ToString());
        Assert.NotEqual(nonce, stillValid.NextNonce);

        _kit.Time.Advance(TimeSpan.FromMinutes(1));
        ProofSpec tooLate = _kit.Spec(_kit.Es256);
        tooLate.Payload["nonce"] = nonce;
        Assert.Equal(DpopProofStatus.InvalidNonce, (await tooLate.ValidateAsync(validator)).Status);
    }

    [Fact]
    public async Task Validate_NodesSharingTheNonceKey_AcceptEachOthersNonces()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        InMemorySessionStore shared = new();
        using DpopProofValidator node1 = _kit.Validator(o => { o.RequireNonce = true; o.NonceKey = key; }, shared);
        using DpopProofValidator node2 = _kit.Validator(o => { o.RequireNonce = true; o.NonceKey = key; }, shared);
        using DpopProofValidator stranger = _kit.Validator(o => o.RequireNonce = true, shared);
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["nonce"] = node1.CreateNonce();

        Assert.Equal(node1.CreateNonce(), node2.CreateNonce());
        Assert.Equal(DpopProofStatus.InvalidNonce, (await spec.ValidateAsync(stranger)).Status);
        Assert.True((await spec.ValidateAsync(node2)).IsSuccess);
    }

    [Fact]
    public async Task Validate_NonceWhenNotRequired_IsIgnored()
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["nonce"] = "anything-at-all";
        using DpopProofValidator validator = _kit.Validator();

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.True(result.IsSuccess);
        Assert.Null(result.NextNonce);
    }

    [Fact]
    public async Task Validate_RefusalWithNoncesOn_CarriesTheNextNonce()
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["htm"] = "GET";
        using DpopProofValidator validator = _kit.Validator(o => o.RequireNonce = true);

        DpopProofValidationResult result = await spec.ValidateAsync(validator);

        Assert.Equal(DpopProofStatus.MethodMismatch, result.Status);
        Assert.Equal(validator.CreateNonce(), result.NextNonce);
    }

    [Fact]
    public async Task Validate_WithoutKeyCache_StillValidates()
    {
        using DpopProofValidator validator = _kit.Validator(o => o.KeyCacheSize = 0);

        Assert.True((await _kit.Spec(_kit.Es256).ValidateAsync(validator)).IsSuccess);
        Assert.True((await _kit.Spec(_kit.Es256).ValidateAsync(validator)).IsSuccess);
    }

    [Fact]
    public async Task Validate_ProofAtTheLengthBound_IsRead()
    {
        ProofSpec spec = _kit.Spec(_kit.Es256);
        spec.Payload["pad"] = string.Empty;
        int length = spec.Build().Length;
        spec.Payload["pad"] = new string('a', (4096 - length) * 3 / 4);
        string proof = spec.Build();
        while (proof.Length < 4096)
        {
            spec.Payload["pad"] += "a";
            proof = spec.Build();
        }

        if (proof.Length > 4096)
        {
            spec.Payload["pad"] = spec.Payload["pad"]!.GetValue<string>()[..^1];
            proof = spec.Build();
        }

        using DpopProofValidator validator = _kit.Validator();

        Assert.InRange(proof.Length, 4093, 4096);
        Assert.True((await validator.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).IsSuccess);
    }

    [Fact]
    public async Task Validate_Cancelled_Throws()
    {
        using DpopProofValidator validator = _kit.Validator(store: new CancellingStore());
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await validator.ValidateAsync(_kit.Spec(_kit.Es256).Request(), cancelled.Token));
    }

    [Fact]
    public async Task Validate_CallerMisuse_Throws()
    {
        using DpopProofValidator validator = _kit.Validator();
        string proof = _kit.Spec(_kit.Es256).Build();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await validator.ValidateAsync(null!, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = null!, TargetUri = TokenEndpoint }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = null! }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = "PO ST", TargetUri = TokenEndpoint }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = string.Empty, TargetUri = TokenEndpoint }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = string.Empty }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Build_InvalidOptions_ThrowsAtBuild()
    {
        DpopProofValidatorBuilder Builder(Action<DpopOptions> configure)
        {
            DpopOptions options = new() { ReplayScope = Scope };
            configure(options);
            return new DpopProofValidatorBuilder { Options = options, Store = new InMemorySessionStore() };
        }

        Assert.Throws<ArgumentException>(() => Builder(o => o.ReplayScope = null).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.ReplayScope = " ").Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.ReplayScope = new string('s', 1025)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.MaxProofAge = TimeSpan.Zero).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.MaxProofAge = TimeSpan.FromMinutes(6)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.FutureSkew = TimeSpan.FromSeconds(-1)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.FutureSkew = TimeSpan.FromSeconds(61)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.MaxProofLength = 511).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.MaxProofLength = 16385).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.NonceLifetime = TimeSpan.FromSeconds(9)).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder(o => o.KeyCacheSize = -1).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.AllowedAlgorithms = DpopSigningAlgorithms.None).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.AllowedAlgorithms = (DpopSigningAlgorithms)32).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.NonceKey = new byte[31]).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.NonceKey = new byte[65]).Build());
        Assert.Throws<ArgumentException>(() => Builder(o => o.NonceKey = Enumerable.Repeat((byte)7, 32).ToArray()).Build());
        ArgumentException several = Assert.Throws<ArgumentException>(() => Builder(o => (o.ReplayScope, o.MaxProofLength, o.KeyCacheSize) = (null, 1, -1)).Build());
        Assert.StartsWith("The options have 3 problems:", several.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new DpopProofValidatorBuilder { Options = { ReplayScope = Scope } }.Build());
        Assert.Throws<ArgumentNullException>(() => new DpopProofValidatorBuilder { Options = { ReplayScope = Scope }, Store = new InMemorySessionStore(), TimeProvider = null! }.Build());
    }

    [Fact]
    public async Task Build_OptionsChangedAfterBuild_DoNotReachTheValidator()
    {
        DpopProofValidatorBuilder builder = new() { Store = new InMemorySessionStore(), TimeProvider = _kit.Time, Options = { ReplayScope = Scope } };
        using DpopProofValidator validator = builder.Build();
        builder.Options.RequireNonce = true;
        builder.Options.AllowedAlgorithms = DpopSigningAlgorithms.EdDsa;

        Assert.True((await _kit.Spec(_kit.Es256).ValidateAsync(validator)).IsSuccess);
        Assert.Equal(DpopSigningAlgorithms.Default, validator.AllowedAlgorithms);
    }

    private sealed class RecordingStore() : TestSupport.DelegatingStore(new InMemorySessionStore())
    {
        public SingleUseKey LastKey { get; private set; }

        public DateTimeOffset LastExpiresAt { get; private set; }

        public DateTimeOffset LastNow { get; private set; }

        public override ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            (LastKey, LastExpiresAt, LastNow) = (key, expiresAt, now);
            return base.TryUseOnceAsync(key, expiresAt, now, cancellationToken);
        }
    }

    private sealed class CancellingStore() : TestSupport.DelegatingStore(new InMemorySessionStore())
    {
        public override ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return base.TryUseOnceAsync(key, expiresAt, now, cancellationToken);
        }
    }
}
