using System;
using System.IO;
using System.Text.Json;
using SessionCore.Internal;
using Xunit;

namespace SessionCore.Tests.Http;

/// <summary>The MAC behind the CSRF tokens, against the Wycheproof HMAC-SHA-256 vectors.</summary>
public sealed class HmacSha256MacTests
{
    private static readonly string VectorPath = Path.Combine(AppContext.BaseDirectory, "Vectors", "hmac_sha256_test.json");

    [Fact]
    public void Verify_WycheproofVectors_MatchExpectedResults()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(VectorPath));
        int total = 0, valid = 0, invalid = 0, refusedKeys = 0;
        foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            int tagBytes = group.GetProperty("tagSize").GetInt32() / 8;
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                byte[] key = Convert.FromHexString(test.GetProperty("key").GetString()!);
                byte[] message = Convert.FromHexString(test.GetProperty("msg").GetString()!);
                byte[] tag = Convert.FromHexString(test.GetProperty("tag").GetString()!);
                string result = test.GetProperty("result").GetString()!;
                int id = test.GetProperty("tcId").GetInt32();
                Assert.Equal(tagBytes, tag.Length);
                total++;
                if (key.Length != HmacSha256Mac.KeySize)
                {
                    // NSec takes HMAC-SHA-256 keys of exactly 32 bytes (CsrfTokenService condenses longer keys to
                    // that size first), so the vectors with other key sizes must be refused at import.
                    Assert.Throws<FormatException>(() => new HmacSha256Mac(key));
                    refusedKeys++;
                    continue;
                }

                using HmacSha256Mac mac = new(key);
                bool accepted = mac.Verify(message, tag);
                Assert.True(result is "valid" or "invalid", $"tcId {id}: unexpected result '{result}'");
                Assert.True(accepted == (result == "valid"), $"tcId {id}: expected {result}");
                if (result == "valid" && tagBytes == HmacSha256Mac.TagSize)
                {
                    byte[] computed = new byte[HmacSha256Mac.TagSize];
                    mac.Compute(message, computed);
                    Assert.Equal(tag, computed);
                }

                valid += result == "valid" ? 1 : 0;
                invalid += result == "invalid" ? 1 : 0;
            }
        }

        Assert.Equal(174, total);
        Assert.Equal(12, refusedKeys);
        Assert.Equal(66 - 12, valid);
        Assert.Equal(108, invalid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(33)]
    public void Verify_TagOfUnsupportedLength_Rejected(int length)
    {
        using HmacSha256Mac mac = new(new byte[32]);
        Assert.False(mac.Verify([1, 2, 3], new byte[length]));
    }
}
