using System;
using System.Buffers.Text;
using FsCheck.Xunit;
using SessionCore.Internal;
using Xunit;

namespace SessionCore.Tests.Internal;

public sealed class Base64UrlStrictTests
{
    [Property(MaxTest = 500)]
    public bool EncodeThenDecode_AnyBytes_RoundTrips(byte[] data)
    {
        string text = Base64UrlStrict.Encode(data);
        byte[]? decoded = Base64UrlStrict.TryDecode(text);
        return Base64UrlStrict.IsCanonical(text) && decoded is not null && decoded.AsSpan().SequenceEqual(data);
    }

    [Property(MaxTest = 500)]
    public bool TryDecode_AnyString_NeverThrowsAndOnlyAcceptsCanonicalText(string? text)
    {
        byte[]? decoded = Base64UrlStrict.TryDecode(text.AsSpan());
        return decoded is null || Base64UrlStrict.Encode(decoded) == text;
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AB")]
    [InlineData("AAB")]
    [InlineData("AA==")]
    [InlineData("AA A")]
    [InlineData("AA\nA")]
    [InlineData("AA+A")]
    [InlineData("AA/A")]
    public void TryDecode_NonCanonical_Null(string text)
    {
        Assert.Null(Base64UrlStrict.TryDecode(text));
    }

    [Fact]
    public void TryDecode_DestinationTooSmall_False()
    {
        Span<byte> small = stackalloc byte[2];

        Assert.False(Base64UrlStrict.TryDecode("AAAA", small, out int written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, -1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(43, 32)]
    [InlineData(86, 64)]
    public void GetDecodedLength_MatchesTheEncoder(int encoded, int expected)
    {
        Assert.Equal(expected, Base64UrlStrict.GetDecodedLength(encoded));
        if (expected >= 0)
        {
            Assert.Equal(encoded, Base64Url.GetEncodedLength(expected));
        }
    }
}
