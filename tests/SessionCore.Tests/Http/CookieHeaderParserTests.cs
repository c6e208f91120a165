using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Http;
using SessionCore.Sessions;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed class CookieHeaderParserTests
{
    private const string Name = "__Host-session";
    private const string Token = "sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData("__Host-session=" + Token)]
    [InlineData("a=1; __Host-session=" + Token + "; b=2")]
    [InlineData("  a=1 ;\t__Host-session = " + Token + " ;")]
    [InlineData("junk; ;;=; __Host-session=" + Token)]
    [InlineData("__host-session=other; __Host-session=" + Token)]
    public void Find_PresentOnce_ReturnsValue(string header)
    {
        HeaderValueResult result = CookieHeaderParser.Find(header, Name);

        Assert.Equal(HeaderValueStatus.Found, result.Status);
        Assert.True(result.TryGetValue(out string? value));
        Assert.Equal(Token, value);
        Assert.Equal(Token, result.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a=1; b=2")]
    [InlineData("__Host-session")]
    [InlineData("x__Host-session=1")]
    public void Find_Absent_NotFound(string? header) => AssertFailure(header, HeaderValueStatus.NotFound);

    [Theory]
    [InlineData("__Host-session=a; __Host-session=b")]
    [InlineData("__Host-session=" + Token + "; x=1; __Host-session=" + Token)]
    [InlineData("__Host-session=; __Host-session=" + Token)]
    public void Find_DuplicateName_Ambiguous(string header) => AssertFailure(header, HeaderValueStatus.Ambiguous);

    [Theory]
    [InlineData("__Host-session=\"" + Token + "\"")]
    [InlineData("__Host-session=")]
    [InlineData("__Host-session=a b")]
    [InlineData("__Host-session=a,b")]
    [InlineData("__Host-session=a\u0000b")]
    [InlineData("__Host-session=a\u007fb")]
    [InlineData("__Host-session=\u00e9t\u00e9")]
    [InlineData("__Host-session=a\\b")]
    public void Find_BadValue_Malformed(string header) => AssertFailure(header, HeaderValueStatus.Malformed);

    [Fact]
    public void Find_OneMegabyteHeader_TooLarge() =>
        AssertFailure("__Host-session=" + Token + "; " + new string('a', 1 << 20), HeaderValueStatus.TooLarge);

    [Fact]
    public void Find_500Cookies_TooLarge()
    {
        string header = string.Join("; ", Enumerable.Range(0, 500).Select(i => $"c{i}=1"));
        Assert.True(header.Length <= CookieHeaderParser.MaxHeaderLength);
        AssertFailure(header, HeaderValueStatus.TooLarge);
    }

    [Fact]
    public void Find_300Cookies_StillScanned()
    {
        string header = string.Join("; ", Enumerable.Range(0, 299).Select(i => $"c{i}=1")) + "; __Host-session=" + Token;
        Assert.Equal(HeaderValueStatus.Found, CookieHeaderParser.Find(header, Name).Status);
    }

    [Fact]
    public void Find_ControlCharactersElsewhere_AreIgnored() =>
        Assert.Equal(Token, CookieHeaderParser.Find("a=\u0001\u0002; b\r\n=x; __Host-session=" + Token, Name).Value);

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("a;b")]
    public void Find_InvalidName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => CookieHeaderParser.Find("a=b", name));

    [Fact]
    public void Failure_ToStringAndValue_EchoNothing()
    {
        HeaderValueResult result = CookieHeaderParser.Find("__Host-session=\"secret-ish\"", Name);
        Assert.Equal("Malformed", result.ToString());
        Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Equal("Found", CookieHeaderParser.Find("__Host-session=" + Token, Name).ToString());
    }

    [Property(MaxTest = 1000)]
    public bool Find_AnyString_NeverThrows(string? header)
    {
        HeaderValueResult result = CookieHeaderParser.Find(header, Name);
        return result.IsSuccess == (result.Status == HeaderValueStatus.Found);
    }

    [Property(MaxTest = 300)]
    public bool Find_DuplicateAnywhere_IsAmbiguous_Holds(NonNegativeInt before, NonNegativeInt between)
    {
        string junkBefore = string.Concat(Enumerable.Range(0, before.Get % 50).Select(i => $"j{i}=v; "));
        string junkBetween = string.Concat(Enumerable.Range(0, between.Get % 50).Select(i => $"k{i}=v; "));
        string header = junkBefore + "__Host-session=" + Token + "; " + junkBetween + "__Host-session=attacker";
        return CookieHeaderParser.Find(header, Name).Status == HeaderValueStatus.Ambiguous;
    }

    [Fact]
    public async System.Threading.Tasks.Task RoundTrip_SetCookieThenCookieHeader_ValidatesSession()
    {
        SessionCore.Tests.TestSupport.PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        SessionCookieBuilder builder = new();
        string setCookie = builder.Build(signIn.Value, signIn.Session!, host.Time.GetUtcNow());
        string pair = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];

        HeaderValueResult read = CookieHeaderParser.Find("theme=dark; " + pair, builder.Name);

        Assert.True((await host.Manager.ValidateAsync(read.Value, TestContext.Current.CancellationToken)).IsValid);
    }

    private static void AssertFailure(string? header, HeaderValueStatus expected)
    {
        HeaderValueResult result = CookieHeaderParser.Find(header, Name);
        Assert.Equal(expected, result.Status);
        Assert.False(result.IsSuccess);
        Assert.False(result.TryGetValue(out _));
    }
}
