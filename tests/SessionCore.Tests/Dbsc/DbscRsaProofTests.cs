using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Keys;
using SessionCore.Tests.Keys;
using Xunit;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// RS256 session keys (DBSC §9.1 <c>(ES256 RS256)</c>): a user agent whose key store has no P-256 registers and
/// refreshes with RSA, and an RSA proof is held to the same key and algorithm checks as an ES256 one.
/// </summary>
public sealed class DbscRsaProofTests : IDisposable
{
    private static readonly Uri s_login = new(DbscServiceServer.Origin + "/login");
    private static readonly Uri s_app = new(DbscServiceServer.Origin + "/app");

    private readonly DbscProofKit _kit = new();
    private readonly SigningKey _rsa = Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport);
    private readonly SigningKey _otherRsa = Registry.NewKey(SigningAlgorithm.Rs256, SigningKeyExportPolicies.AllowPrivateExport, index: 1);

    public void Dispose()
    {
        _kit.Dispose();
        _rsa.Dispose();
        _otherRsa.Dispose();
    }

    [Fact]
    public void SupportedAlgorithms_OffersEs256ThenRs256() =>
        Assert.Equal(DbscAlgorithms.Es256 | DbscAlgorithms.Rs256, DbscProofValidator.SupportedAlgorithms);

    [Fact]
    public async Task RegisterAndRefresh_Rs256OnlyUserAgent_BindsAndRefreshes()
    {
        using DbscServiceServer server = new();
        using DbscSpecClient client = new(server.HandleAsync, server.Fixture.Time, "RS256");

        await client.FetchAsync("GET", s_login);
        server.Fixture.Advance(TimeSpan.FromMinutes(2));
        SpecResponse response = await client.FetchAsync("GET", s_app);

        SpecSession session = Assert.Single(client.Sessions.Values);
        Assert.Equal("RS256", session.Key.Algorithm);
        Assert.Equal(200, response.Status);
        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Refreshed], client.Outcomes);
        Assert.Equal(
            [DbscEndpointStatus.Registered, DbscEndpointStatus.ChallengeIssued, DbscEndpointStatus.Refreshed],
            server.EndpointResults.Select(r => r.Status));
        Assert.Equal([DbscRequestStatus.Bound], server.AppResults);
    }

    [Fact]
    public async Task ValidateRegistration_Rs256Proof_IsValid()
    {
        DbscProofResult result = await RsaRegistration().ValidateAsync();

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("RS256", result.Value.Algorithm);
        Assert.Equal(_rsa.KeyId, result.Value.KeyThumbprint);
    }

    [Fact]
    public async Task ValidateRefresh_Rs256ProofWithItsRegisteredKey_IsValid()
    {
        DbscProofResult result = await RsaRefresh().ValidateAsync();

        Assert.True(result.IsSuccess, result.Status.ToString());
        Assert.Equal("RS256", result.Value.Algorithm);
    }

    [Fact]
    public async Task ValidateRegistration_Ps256Proof_IsUnsupportedAlgorithm()
    {
        DbscProofKit.Spec spec = RsaRegistration();
        spec.Header["alg"] = "PS256";

        Assert.Equal(DbscProofStatus.UnsupportedAlgorithm, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRegistration_Rs256HeaderWithEcKey_IsAlgorithmMismatch()
    {
        DbscProofKit.Spec spec = _kit.Registration();
        spec.Header["alg"] = "RS256";

        Assert.Equal(DbscProofStatus.AlgorithmMismatch, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRegistration_Es256HeaderWithRsaKey_IsAlgorithmMismatch()
    {
        DbscProofKit.Spec spec = RsaRegistration();
        spec.Header["alg"] = "ES256";

        Assert.Equal(DbscProofStatus.AlgorithmMismatch, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRegistration_RsaKeyWithPrivateMember_IsPrivateKey()
    {
        DbscProofKit.Spec spec = RsaRegistration();
        spec.Header["jwk"]!["d"] = JsonNode.Parse(_rsa.ExportPrivateJwk())!["d"]!.DeepClone();

        Assert.Equal(DbscProofStatus.PrivateKey, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRegistration_RsaKeyWithEvenExponent_IsInvalidKey()
    {
        DbscProofKit.Spec spec = RsaRegistration();
        spec.Header["jwk"]!["e"] = "AQAC";

        Assert.Equal(DbscProofStatus.InvalidKey, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRefresh_Rs256ProofByAnotherKey_IsInvalidSignature()
    {
        DbscProofKit.Spec spec = RsaRefresh();
        spec.Signer = _otherRsa;

        Assert.Equal(DbscProofStatus.InvalidSignature, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRefresh_Rs256ProofForAnEs256Binding_IsAlgorithmMismatch()
    {
        DbscProofKit.Spec spec = RsaRefresh();
        spec.Binding = _kit.Binding;

        Assert.Equal(DbscProofStatus.AlgorithmMismatch, (await spec.ValidateAsync()).Status);
    }

    [Fact]
    public async Task ValidateRefresh_Es256ProofForAnRs256Binding_IsAlgorithmMismatch()
    {
        DbscProofKit.Spec spec = _kit.Refresh();
        spec.Binding = new SessionCore.Sessions.SessionKeyBinding(_rsa.KeyId, _rsa.ExportPublicJwk(), DbscProofKit.Now);

        Assert.Equal(DbscProofStatus.AlgorithmMismatch, (await spec.ValidateAsync()).Status);
    }

    private DbscProofKit.Spec RsaRegistration()
    {
        DbscProofKit.Spec spec = _kit.Registration();
        spec.Signer = _rsa;
        spec.Header["alg"] = "RS256";
        spec.Header["jwk"] = Jwk(_rsa);
        return spec;
    }

    private DbscProofKit.Spec RsaRefresh()
    {
        DbscProofKit.Spec spec = _kit.Refresh();
        spec.Signer = _rsa;
        spec.Header["alg"] = "RS256";
        spec.Binding = new SessionCore.Sessions.SessionKeyBinding(_rsa.KeyId, _rsa.ExportPublicJwk(), DbscProofKit.Now);
        return spec;
    }
}
