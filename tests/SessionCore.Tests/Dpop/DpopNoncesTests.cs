using System;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Dpop;
using Xunit;

namespace SessionCore.Tests.Dpop;

public sealed class DpopNoncesTests
{
    private static readonly DateTimeOffset BucketStart = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Create_IsNqcharOfFixedLengthAndStableWithinABucket()
    {
        using DpopNonces nonces = New();

        string nonce = nonces.Create(BucketStart);

        Assert.Equal(DpopNonces.Length, nonce.Length);
        Assert.All(nonce, c => Assert.True(c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E')));
        Assert.Equal(nonce, nonces.Create(BucketStart.AddMinutes(4.99)));
        Assert.NotEqual(nonce, nonces.Create(BucketStart.AddMinutes(5)));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(299, true)]
    [InlineData(300, true)]
    [InlineData(599, true)]
    [InlineData(600, false)]
    [InlineData(-5, true)]
    [InlineData(-6, false)]
    public void IsValid_ByAgeOfTheBucket_AcceptsCurrentAndPrevious(int secondsAfterIssue, bool valid)
    {
        using DpopNonces nonces = New();
        string nonce = nonces.Create(BucketStart);

        Assert.Equal(valid, nonces.IsValid(Encoding.ASCII.GetBytes(nonce), BucketStart.AddSeconds(secondsAfterIssue)));
    }

    [Fact]
    public void IsValid_OtherScopeOrKey_IsRefused()
    {
        using DpopNonces nonces = New();
        using DpopNonces otherScope = new(Key, "https://other.example", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        using DpopNonces otherKey = new(RandomNumberGenerator.GetBytes(32), "https://server.example.com", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        byte[] nonce = Encoding.ASCII.GetBytes(nonces.Create(BucketStart));

        Assert.True(nonces.IsValid(nonce, BucketStart));
        Assert.False(otherScope.IsValid(nonce, BucketStart));
        Assert.False(otherKey.IsValid(nonce, BucketStart));
    }

    [Fact]
    public void IsValid_AnySingleCharacterChanged_IsRefused()
    {
        using DpopNonces nonces = New();
        string nonce = nonces.Create(BucketStart);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        for (int i = 0; i < nonce.Length; i++)
        {
            char replacement = alphabet[(alphabet.IndexOf(nonce[i], StringComparison.Ordinal) + 1) % alphabet.Length];
            string changed = nonce[..i] + replacement + nonce[(i + 1)..];
            Assert.False(nonces.IsValid(Encoding.ASCII.GetBytes(changed), BucketStart), changed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void IsValid_NotANonce_IsRefused(string nonce)
    {
        using DpopNonces nonces = New();

        Assert.False(nonces.IsValid(Encoding.ASCII.GetBytes(nonce), BucketStart));
    }

    private static DpopNonces New() => new(Key, "https://server.example.com", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
}
