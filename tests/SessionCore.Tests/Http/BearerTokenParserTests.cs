using FsCheck;
using FsCheck.Xunit;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed class BearerTokenParserTests
{
    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("BEARER   abc", "abc")]
    [InlineData("  Bearer mF_9.B5f-4.1JqM  ", "mF_9.B5f-4.1JqM")]
    [InlineData("Bearer a+b/c~d==", "a+b/c~d==")]
    [InlineData("Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")]
    public void Parse_Bearer_ReturnsToken(string header, string expected)
    {
        HeaderValueResult result = BearerTokenParser.Parse(header);
        Assert.Equal(HeaderValueStatus.Found, result.Status);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Absent_NotFound(string? header) => Assert.Equal(HeaderValueStatus.NotFound, BearerTokenParser.Parse(header).Status);

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Digest username=\"a\"")]
    [InlineData("Bearerx abc")]
    [InlineData("Token abc")]
    public void Parse_OtherScheme_OtherScheme(string header) => Assert.Equal(HeaderValueStatus.OtherScheme, BearerTokenParser.Parse(header).Status);

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer a,b")]
    [InlineData("Bearer abc, Basic x")]
    [InlineData("Bearer =abc")]
    [InlineData("Bearer ab=c")]
    [InlineData("Bearer \"abc\"")]
    [InlineData("Bearer a\u0000b")]
    [InlineData("Bearer ab\r\nX-Injected: 1")]
    [InlineData("Bearer\tabc")]
    [InlineData("Bearer \u00e9")]
    [InlineData("B\u00e9arer abc")]
    [InlineData("Bearer a%20b")]
    public void Parse_MalformedBearer_Malformed(string header) => Assert.Equal(HeaderValueStatus.Malformed, BearerTokenParser.Parse(header).Status);

    [Fact]
    public void Parse_OneMegabyte_TooLarge() =>
        Assert.Equal(HeaderValueStatus.TooLarge, BearerTokenParser.Parse("Bearer " + new string('a', 1 << 20)).Status);

    [Property(MaxTest = 1000)]
    public bool Parse_AnyString_NeverThrows(string? header)
    {
        HeaderValueResult result = BearerTokenParser.Parse(header);
        return !result.IsSuccess || (result.Value.Length > 0 && !result.Value.Contains(' ', System.StringComparison.Ordinal));
    }

    [Property(MaxTest = 300)]
    public bool Parse_AnyB64Token_RoundTrips(NonEmptyString seed)
    {
        string token = Sanitize(seed.Get);
        return BearerTokenParser.Parse("Bearer " + token).Value == token;
    }

    private static string Sanitize(string text)
    {
        System.Text.StringBuilder builder = new();
        foreach (char c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' ? c : 'x');
        }

        return builder.ToString();
    }
}
