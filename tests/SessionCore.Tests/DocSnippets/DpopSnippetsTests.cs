using System.Security.Cryptography;
using System.Threading.Tasks;
using SessionCore.DocSnippets;
using SessionCore.Dpop;
using SessionCore.Stores;
using SessionCore.Tests.Dpop;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the DPoP code shown in docs/concepts/dpop.md.
public sealed class DpopSnippetsTests
{
    [Fact]
    public async Task Validate_ProofWithoutNonce_IsChallengedWithUseDpopNonceAndANonce()
    {
        using DpopKit kit = new();
        DpopKit.ProofSpec spec = kit.Spec(kit.Es256).ForResource("https://api.example/me");
        spec.Payload["iat"] = System.DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        (DpopProofStatus status, string? challenge, string? nonce) = await DpopSnippets.ValidateAsync(
            new InMemorySessionStore(), RandomNumberGenerator.GetBytes(32), [spec.Build()], DpopKit.AccessToken, kit.Es256.KeyId);

        Assert.Equal(DpopProofStatus.NonceRequired, status);
        Assert.StartsWith("DPoP error=\"use_dpop_nonce\"", challenge, System.StringComparison.Ordinal);
        Assert.Equal(34, nonce!.Length);
    }
}
