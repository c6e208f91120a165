using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Dpop;
using Xunit;

namespace SessionCore.Tests.Dpop;

/// <summary>RFC 3986 §6.2.2-6.2.3 normalisation of htu and the target URI: what is equated, and what is refused.</summary>
public sealed class HttpUriNormalizerTests
{
    [Theory]
    // Case (§6.2.2.1): scheme and host lower case, percent-encoding hex upper case; path case kept.
    [InlineData("https://server.example.com/token", "https://server.example.com/token")]
    [InlineData("HTTPS://SERVER.Example.COM/Token", "https://server.example.com/Token")]
    [InlineData("https://server.example.com/a%2fb", "https://server.example.com/a%2Fb")]
    [InlineData("https://server.example.com/a%c3%a9", "https://server.example.com/a%C3%A9")]
    // Percent-encoding (§6.2.2.2): unreserved characters decoded, reserved ones kept encoded.
    [InlineData("https://server.example.com/%7Euser/%41%7a%30%2D%2E%5F", "https://server.example.com/~user/Az0-._")]
    [InlineData("https://server.example.com/a%2Fb%3F%23", "https://server.example.com/a%2Fb%3F%23")]
    // Dot segments (§6.2.2.3, §5.2.4), including encoded dots.
    [InlineData("https://server.example.com/a/b/../c", "https://server.example.com/a/c")]
    [InlineData("https://server.example.com/a/./b/.", "https://server.example.com/a/b/")]
    [InlineData("https://server.example.com/a/b/..", "https://server.example.com/a/")]
    [InlineData("https://server.example.com/../../a", "https://server.example.com/a")]
    [InlineData("https://server.example.com/..", "https://server.example.com/")]
    [InlineData("https://server.example.com/.", "https://server.example.com/")]
    [InlineData("https://server.example.com/a/%2E%2E/b", "https://server.example.com/b")]
    [InlineData("https://server.example.com/a/%2e/b", "https://server.example.com/a/b")]
    [InlineData("https://server.example.com/a/.../b", "https://server.example.com/a/.../b")]
    [InlineData("https://server.example.com/a/..b/.c", "https://server.example.com/a/..b/.c")]
    [InlineData("https://server.example.com//a//b", "https://server.example.com//a//b")]
    // Scheme-based (§6.2.3): default and empty ports dropped, empty path is "/".
    [InlineData("https://server.example.com:443/token", "https://server.example.com/token")]
    [InlineData("http://server.example.com:80/token", "http://server.example.com/token")]
    [InlineData("https://server.example.com:/token", "https://server.example.com/token")]
    [InlineData("https://server.example.com:0443/token", "https://server.example.com/token")]
    [InlineData("https://server.example.com:8443/token", "https://server.example.com:8443/token")]
    [InlineData("http://server.example.com:443/token", "http://server.example.com:443/token")]
    [InlineData("https://server.example.com", "https://server.example.com/")]
    [InlineData("https://server.example.com:443", "https://server.example.com/")]
    // Query and fragment are ignored (RFC 9449 §4.3 check 9).
    [InlineData("https://server.example.com/token?a=b", "https://server.example.com/token")]
    [InlineData("https://server.example.com/token#f", "https://server.example.com/token")]
    [InlineData("https://server.example.com?a", "https://server.example.com/")]
    [InlineData("https://server.example.com/t?x=%zz#<bad>", "https://server.example.com/t")]
    // Hosts: IP literals and sub-delimiters in the path.
    [InlineData("https://127.0.0.1:8080/x", "https://127.0.0.1:8080/x")]
    [InlineData("https://[2001:DB8::1]/x", "https://[2001:db8::1]/x")]
    [InlineData("https://[::1]:8443/x", "https://[::1]:8443/x")]
    [InlineData("https://server.example.com/a;b=c,d!$&'()*+@:", "https://server.example.com/a;b=c,d!$&'()*+@:")]
    [InlineData("https://server.example.com./token", "https://server.example.com./token")]
    public void TryNormalize_AcceptableUri_GivesTheNormalForm(string uri, string expected) =>
        Assert.Equal(expected, Normalize(uri));

    [Theory]
    [InlineData("")]
    [InlineData("/token")]
    [InlineData("server.example.com/token")]
    [InlineData("//server.example.com/token")]
    [InlineData("ftp://server.example.com/token")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https:/server.example.com/token")]
    [InlineData("https:server.example.com")]
    [InlineData("https://")]
    [InlineData("https:///token")]
    [InlineData("https://user@server.example.com/token")]
    [InlineData("https://user:pass@server.example.com/token")]
    [InlineData("https://server.example.com@attacker.example/token")]
    [InlineData("https://server.example.com:65536/token")]
    [InlineData("https://server.example.com:0/token")]
    [InlineData("https://server.example.com:99999999999999999999/token")]
    [InlineData("https://server.example.com:-1/token")]
    [InlineData("https://server.example.com:44a/token")]
    [InlineData("https://server.example.com:443:443/token")]
    [InlineData("https://serv%65r.example.com/token")]
    [InlineData("https://server.example.com\\token")]
    [InlineData("https://server.example.com/to ken")]
    [InlineData("https://server.example.com/to\"ken")]
    [InlineData("https://server.example.com/to<ken>")]
    [InlineData("https://server.example.com/to{ken}")]
    [InlineData("https://server.example.com/to|ken")]
    [InlineData("https://server.example.com/to^ken")]
    [InlineData("https://server.example.com/to`ken")]
    [InlineData("https://server.example.com/to\\ken")]
    [InlineData("https://server.example.com/tök")]
    [InlineData("https://sérver.example.com/token")]
    [InlineData("https://server.example.com/to\u0000ken")]
    [InlineData("https://server.example.com/to\tken")]
    [InlineData("https://server.example.com/to%")]
    [InlineData("https://server.example.com/to%4")]
    [InlineData("https://server.example.com/to%zz")]
    [InlineData("https://server.example.com/to%%41")]
    [InlineData("https://server example.com/token")]
    [InlineData("https://server.exa!mple.com/token")]
    [InlineData("https://server.example.com;x/token")]
    [InlineData("https://[::1/token")]
    [InlineData("https://[]/token")]
    [InlineData("https://[::1]x/token")]
    [InlineData("https://[fe80::1%25eth0]/token")]
    [InlineData("https://[v1.fe80::a]/token")]
    [InlineData("https://:443/token")]
    public void TryNormalize_UnacceptableUri_IsRefused(string uri) => Assert.Null(Normalize(uri));

    [Fact]
    public void TryNormalize_LengthBound_IsHonoured()
    {
        string prefix = "https://server.example.com/";
        string atBound = prefix + new string('a', HttpUriNormalizer.MaxLength - prefix.Length);
        string hostOnlyAtBound = "https://" + new string('h', HttpUriNormalizer.MaxLength - 8);

        Assert.Equal(atBound, Normalize(atBound));
        Assert.Equal(hostOnlyAtBound + "/", Normalize(hostOnlyAtBound));
        Assert.Null(Normalize(atBound + "a"));
    }

    [Fact]
    public void TryNormalize_DestinationTooSmall_IsRefused()
    {
        // "https://a" normalises to "https://a/": the destination must hold one character more than the input.
        Assert.False(HttpUriNormalizer.TryNormalize("https://a", new char[9], out _));
        Assert.True(HttpUriNormalizer.TryNormalize("https://a", new char[10], out int written));
        Assert.Equal(10, written);
    }

    [Fact]
    public void TryNormalize_ManyDotSegments_StaysLinear()
    {
        // 300 "/a" then 300 "/..": each character is moved or dropped once.
        string uri = "https://h" + string.Concat(System.Linq.Enumerable.Repeat("/a", 300)) + string.Concat(System.Linq.Enumerable.Repeat("/..", 300)) + "/z";

        Assert.Equal("https://h/z", Normalize(uri));
    }

    [Property(MaxTest = 500)]
    public bool Normalisation_IsIdempotent_Holds(NonEmptyString path, bool upperHost, bool defaultPort)
    {
        string uri = (upperHost ? "HTTPS://SERVER.EXAMPLE.COM" : "https://server.example.com") + (defaultPort ? ":443" : string.Empty) + "/" + path.Get;
        string? once = Normalize(uri);
        return once is null || Normalize(once) == once;
    }

    [Property(MaxTest = 500)]
    public bool NormalForm_NeverHasDotSegmentsOrQuery_Holds(NonEmptyString path)
    {
        string? normal = Normalize("https://h/" + path.Get);
        if (normal is null)
        {
            return true;
        }

        string p = normal["https://h".Length..];
        return !p.Contains("/./", StringComparison.Ordinal) && !p.Contains("/../", StringComparison.Ordinal)
            && !p.EndsWith("/.", StringComparison.Ordinal) && !p.EndsWith("/..", StringComparison.Ordinal)
            && !p.Contains('?', StringComparison.Ordinal) && !p.Contains('#', StringComparison.Ordinal)
            && p.StartsWith('/');
    }

    [Property(MaxTest = 500)]
    public bool DecodingUnreservedCharacters_GivesTheSameForm_Holds(byte seed)
    {
        const string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        char c = unreserved[seed % unreserved.Length];
        string encoded = "%" + ((int)c).ToString(seed % 2 == 0 ? "X2" : "x2", System.Globalization.CultureInfo.InvariantCulture);
        return Normalize("https://h/x" + encoded + "y") == Normalize("https://h/x" + c + "y");
    }

    private static string? Normalize(string uri)
    {
        char[] buffer = new char[uri.Length + 1];
        return HttpUriNormalizer.TryNormalize(uri, buffer, out int written) ? new string(buffer, 0, written) : null;
    }
}
