using System;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Tokens;

public sealed class SessionIdTests
{
    [Fact]
    public void Parse_ToString_RoundTrips()
    {
        SessionId id = SessionToken.Mint(TokenSource.System).Id;

        Assert.Equal(id, SessionId.Parse(id.ToString()));
        Assert.True(SessionId.TryParse(id.ToString(), out SessionId parsed));
        Assert.True(id == parsed);
        Assert.False(id != parsed);
        Assert.Equal(id.GetHashCode(), parsed.GetHashCode());
        Assert.True(id.Equals((object)parsed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    public void TryParse_Invalid_False(string? text)
    {
        Assert.False(SessionId.TryParse(text, out SessionId id));
        Assert.True(id.IsEmpty);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutEchoingInput()
    {
        FormatException error = Assert.Throws<FormatException>(() => SessionId.Parse("sc_secret-looking-value"));

        Assert.DoesNotContain("secret-looking", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsEmpty()
    {
        Assert.True(default(SessionId).IsEmpty);
        Assert.Equal(string.Empty, default(SessionId).ToString());
        Assert.NotEqual(default, SessionToken.Mint(TokenSource.System).Id);
    }
}
