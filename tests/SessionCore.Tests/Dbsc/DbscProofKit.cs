using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dbsc;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dbsc;

/// <summary>
/// Makes DBSC proofs with real keys for the validator tests: registration proofs (public key in the header) and refresh
/// proofs (checked against a registered key), each answering a fresh challenge of one session, over an in-memory store
/// and a fake clock.
/// </summary>
internal sealed class DbscProofKit : IDisposable
{
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public DbscProofKit(ISessionStore? store = null)
    {
        Time = new FakeTimeProvider(Now);
        Store = store ?? new InMemorySessionStore();
        Challenges = new DbscChallengeService(ChallengeKey, Time);
        Validator = new DbscProofValidator(Challenges, Store, Time);
        Key = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        OtherKey = SigningKey.Generate(SigningAlgorithm.Es256, SigningKeyExportPolicies.AllowPrivateExport);
        EdKey = SigningKey.Generate(SigningAlgorithm.EdDsa, SigningKeyExportPolicies.AllowPrivateExport);
        SessionId = SessionId.FromTokenValue(B64(RandomNumberGenerator.GetBytes(32)));
        OtherSessionId = SessionId.FromTokenValue(B64(RandomNumberGenerator.GetBytes(32)));
    }

    public FakeTimeProvider Time { get; }

    public byte[] ChallengeKey { get; } = RandomNumberGenerator.GetBytes(32);

    public ISessionStore Store { get; }

    public DbscChallengeService Challenges { get; }

    public DbscProofValidator Validator { get; }

    public SigningKey Key { get; }

    public SigningKey OtherKey { get; }

    public SigningKey EdKey { get; }

    public SessionId SessionId { get; }

    public SessionId OtherSessionId { get; }

    public SessionKeyBinding Binding => new(Key.KeyId, Key.ExportPublicJwk(), Now);

    public Spec Registration() => new(this, refresh: false);

    public Spec Refresh() => new(this, refresh: true);

    public void Dispose()
    {
        Challenges.Dispose();
        Key.Dispose();
        OtherKey.Dispose();
        EdKey.Dispose();
    }

    /// <summary>One proof, valid until a test changes something.</summary>
    internal sealed class Spec
    {
        public Spec(DbscProofKit kit, bool refresh)
        {
            Kit = kit;
            IsRefresh = refresh;
            Signer = kit.Key;
            Header = new JsonObject { ["typ"] = DbscHeaders.ProofType, ["alg"] = "ES256" };
            if (!refresh)
            {
                Header["jwk"] = Jwk(kit.Key);
            }

            Payload = new JsonObject { ["jti"] = kit.Challenges.Issue(kit.SessionId, refresh ? DbscChallengePurpose.Refresh : DbscChallengePurpose.Registration) };
            Binding = kit.Binding;
        }

        public DbscProofKit Kit { get; }

        public bool IsRefresh { get; }

        public SigningKey Signer { get; set; }

        public JsonObject Header { get; set; }

        public JsonObject Payload { get; set; }

        public string? RawHeader { get; set; }

        public string? RawPayload { get; set; }

        public byte[]? RawPayloadBytes { get; set; }

        public Func<string, string>? AfterSigning { get; set; }

        /// <summary>Gets or sets the authorization value the registration offered.</summary>
        public string? Authorization { get; set; }

        public SessionId SessionId { get; set; }

        public SessionKeyBinding Binding { get; set; }

        public string Build()
        {
            string proof = Sign(
                Signer,
                Encoding.UTF8.GetBytes(RawHeader ?? Header.ToJsonString(Relaxed)),
                RawPayloadBytes ?? Encoding.UTF8.GetBytes(RawPayload ?? Payload.ToJsonString(Relaxed)));
            return AfterSigning is null ? proof : AfterSigning(proof);
        }

        public ValueTask<DbscProofResult> ValidateAsync(string? proof = null)
        {
            SessionId id = SessionId.IsEmpty ? Kit.SessionId : SessionId;
            string? text = proof ?? Build();
            return IsRefresh
                ? Kit.Validator.ValidateRefreshAsync(text, id, Binding, Xunit.TestContext.Current.CancellationToken)
                : Kit.Validator.ValidateRegistrationAsync(text, id, Authorization, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
