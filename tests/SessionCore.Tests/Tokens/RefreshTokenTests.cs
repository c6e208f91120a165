using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Tokens;

public sealed class RefreshTokenTests
{
    [Fact]
    public void Mint_Always_HasPrefixLengthAndCanonicalSecret()
    {
        RefreshToken token = RefreshToken.Mint(TokenSource.System);
        Assert.StartsWith(RefreshToken.Prefix, token.Reveal());
        Assert.Equal(RefreshToken.Length, token.Reveal().Length);
        Assert.True(RefreshToken.TryParse(token.Reveal(), out RefreshToken? parsed));
        Assert.Equal(token.Hash, parsed.Hash);
    }

    [Fact]
    public void ToString_Always_Redacted()
    {
        RefreshToken token = RefreshToken.Mint(TokenSource.System);
        Assert.Equal("[redacted]", token.ToString());
        Assert.DoesNotContain(token.Reveal()[RefreshToken.Prefix.Length..], $"{token}");
    }

    [Fact]
    public void Hash_IsSha256OfWholeToken_NotSessionIdOfSameSecret()
    {
        RefreshToken token = RefreshToken.Mint(new TokenSource(b => b.Fill(7)));
        Assert.True(SessionToken.TryParse(SessionToken.Prefix + token.Reveal()[RefreshToken.Prefix.Length..], out SessionToken? session));
        Assert.Equal(RefreshTokenHash.Length, token.Hash.ToString().Length);
        Assert.NotEqual(session.Id.ToString(), token.Hash.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("SCR_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")]
    public void TryParse_Malformed_False(string? text) => Assert.False(RefreshToken.TryParse(text, out _));

    [Property(MaxTest = 500)]
    public bool TryParse_ArbitraryString_OnlyExactFormatAccepted(string? text) =>
        !RefreshToken.TryParse(text, out RefreshToken? token)
        || (text!.Length == RefreshToken.Length && text.StartsWith(RefreshToken.Prefix, System.StringComparison.Ordinal) && token.Reveal() == text);

    [Property(MaxTest = 1000)]
    public Property TryParse_NearTheFormat_OnlyTheCanonicalFormParses() =>
        Prop.ForAll(NearFormat.AroundOpaqueToken(RefreshToken.Prefix, source => RefreshToken.Mint(source).Reveal()).ToArbitrary(), text =>
        {
            bool parsed = RefreshToken.TryParse(text, out RefreshToken? token);
            return parsed == NearFormat.IsCanonicalOpaqueToken(text, RefreshToken.Prefix)
                && parsed == RefreshToken.TryParse(text.AsSpan(), out _)
                && (!parsed || token!.Reveal() == text);
        });
}
