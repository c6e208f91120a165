using FsCheck;
using FsCheck.Xunit;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Tokens;

public sealed class SessionTokenTests
{
    [Fact]
    public void Mint_Always_HasPrefixAndLength()
    {
        SessionToken token = SessionToken.Mint(TokenSource.System);
        Assert.StartsWith(SessionToken.Prefix, token.Reveal());
        Assert.Equal(SessionToken.Length, token.Reveal().Length);
    }

    [Property]
    public bool TryParse_ArbitraryString_NeverThrows(string? text) => !SessionToken.TryParse(text, out _) || text!.Length == SessionToken.Length;
}
