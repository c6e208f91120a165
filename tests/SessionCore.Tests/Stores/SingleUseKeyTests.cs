using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using FsCheck.Xunit;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Stores;

public sealed class SingleUseKeyTests
{
    [Fact]
    public void Create_SameTriple_GivesTheSameKey()
    {
        SingleUseKey a = SingleUseKey.Create("dpop-jti", "https://api.example", "abc");
        SingleUseKey b = SingleUseKey.Create("dpop-jti", "https://api.example", Encoding.UTF8.GetBytes("abc"));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.IsEmpty);
    }

    [Theory]
    [InlineData("p", "ab", "c", "p", "a", "bc")]
    [InlineData("pa", "b", "c", "p", "ab", "c")]
    [InlineData("p", "s", "", "p", "s", "\0")]
    [InlineData("p", "", "sv", "p", "s", "v")]
    public void Create_BoundariesShiftedBetweenParts_GiveDifferentKeys(string p1, string s1, string v1, string p2, string s2, string v2)
    {
        // Length prefixes keep (purpose, scope, value) unambiguous: moving bytes across a boundary changes the key.
        Assert.NotEqual(SingleUseKey.Create(p1, s1, v1), SingleUseKey.Create(p2, s2, v2));
    }

    [Fact]
    public void Create_MatchesTheDocumentedConstruction()
    {
        // SHA-256("SessionCore single-use key v1\0" || len32(purpose) || purpose || len32(scope) || scope || value), big-endian lengths.
        List<byte> input = [.. "SessionCore single-use key v1\0"u8, 0, 0, 0, 8, .. "dpop-jti"u8, 0, 0, 0, 3, .. "rs1"u8, .. "jti-1"u8];
        byte[] expected = SHA256.HashData([.. input]);

        Assert.Equal(expected, SingleUseKey.Create("dpop-jti", "rs1", "jti-1").ToArray());
    }

    [Fact]
    public void ToString_TryParse_RoundTrips()
    {
        SingleUseKey key = SingleUseKey.Create("x", "y", "z");

        string text = key.ToString();

        Assert.Equal(SingleUseKey.TextLength, text.Length);
        Assert.True(SingleUseKey.TryParse(text, out SingleUseKey parsed));
        Assert.Equal(key, parsed);
        Assert.Equal(key, SingleUseKey.FromBytes(key.ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // non-canonical last character
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    public void TryParse_NotAKey_ReturnsFalse(string text) => Assert.False(SingleUseKey.TryParse(text, out _));

    [Fact]
    public void Create_CallerMisuse_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SingleUseKey.Create(null!, "s", "v"));
        Assert.Throws<ArgumentNullException>(() => SingleUseKey.Create("p", null!, "v"));
        Assert.Throws<ArgumentNullException>(() => SingleUseKey.Create("p", "s", (string)null!));
        Assert.Throws<ArgumentException>(() => SingleUseKey.Create(" ", "s", "v"));
        Assert.Throws<ArgumentException>(() => SingleUseKey.Create("p", new string('s', SingleUseKey.MaxLabelLength + 1), "v"));
        Assert.Throws<ArgumentException>(() => SingleUseKey.Create("p", "\uD800", "v"));
        Assert.Throws<ArgumentException>(() => SingleUseKey.FromBytes(new byte[31]));
        Assert.Throws<ArgumentException>(() => default(SingleUseKey).CopyTo(new byte[33]));
    }

    [Fact]
    public void Create_LongValue_IsHashedWhole()
    {
        byte[] value = RandomNumberGenerator.GetBytes(5000);
        SingleUseKey key = SingleUseKey.Create("p", "s", value);
        value[^1] ^= 1;

        Assert.NotEqual(key, SingleUseKey.Create("p", "s", value));
    }

    [Fact]
    public void Default_IsEmpty() => Assert.True(default(SingleUseKey).IsEmpty);

    [Property(MaxTest = 300)]
    public bool DistinctValues_GiveDistinctKeys_Holds(string a, string b) =>
        a is null || b is null || a == b || !a.IsNormalized() || SingleUseKey.Create("p", "s", Encoding.UTF8.GetBytes(a)) != SingleUseKey.Create("p", "s", Encoding.UTF8.GetBytes(b))
        || Encoding.UTF8.GetBytes(a).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(b));
}
