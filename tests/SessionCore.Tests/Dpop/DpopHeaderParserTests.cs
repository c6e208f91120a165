using SessionCore.Dpop;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.Dpop;

public sealed class DpopHeaderParserTests
{
    private const string Proof = "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJ4In0.c2ln";

    [Fact]
    public void Parse_OneField_ReturnsTheProof()
    {
        HeaderValueResult result = DpopHeaderParser.Parse([Proof]);

        Assert.Equal(HeaderValueStatus.Found, result.Status);
        Assert.Equal(Proof, result.Value);
    }

    [Fact]
    public void Parse_SurroundingWhiteSpace_IsDropped() =>
        Assert.Equal(Proof, DpopHeaderParser.Parse(" \t" + Proof + " ").Value);

    [Fact]
    public void Parse_EmptyFieldsBesideOne_AreIgnored() =>
        Assert.Equal(Proof, DpopHeaderParser.Parse([string.Empty, null, Proof, "  "]).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NoProof_IsNotFound(string? value) =>
        Assert.Equal(HeaderValueStatus.NotFound, DpopHeaderParser.Parse(value).Status);

    [Fact]
    public void Parse_NoFields_IsNotFound()
    {
        Assert.Equal(HeaderValueStatus.NotFound, DpopHeaderParser.Parse((string?[]?)null).Status);
        Assert.Equal(HeaderValueStatus.NotFound, DpopHeaderParser.Parse(System.Array.Empty<string?>()).Status);
    }

    [Fact]
    public void Parse_TwoFields_IsAmbiguous() =>
        Assert.Equal(HeaderValueStatus.Ambiguous, DpopHeaderParser.Parse([Proof, Proof]).Status);

    [Theory]
    [InlineData(Proof + "," + Proof)]
    [InlineData(Proof + ", " + Proof)]
    [InlineData(Proof + ",")]
    public void Parse_FoldedFields_AreAmbiguous(string value) =>
        Assert.Equal(HeaderValueStatus.Ambiguous, DpopHeaderParser.Parse(value).Status);

    [Theory]
    [InlineData("DPoP " + Proof)]
    [InlineData("\"" + Proof + "\"")]
    [InlineData("eyJ+/=.a.b")]
    [InlineData("a.b.c\u00e9")]
    [InlineData("a.b\r\n.c")]
    public void Parse_CharactersOutsideBase64UrlAndDot_AreMalformed(string value) =>
        Assert.Equal(HeaderValueStatus.Malformed, DpopHeaderParser.Parse(value).Status);

    [Fact]
    public void Parse_OverTheBound_IsTooLarge() =>
        Assert.Equal(HeaderValueStatus.TooLarge, DpopHeaderParser.Parse(new string('a', DpopHeaderParser.MaxHeaderLength + 1)).Status);
}
