using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Dbsc;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscHeaderWriterTests
{
    [Fact]
    public void FormatRegistration_BothAlgorithms_SpecShape()
    {
        Assert.Equal(
            "(ES256 RS256);path=\"/dbsc/register\";challenge=\"c1\"",
            DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256 | DbscAlgorithms.Rs256, "/dbsc/register", "c1"));
    }

    [Fact]
    public void FormatRegistration_WithAuthorization_AppendsIt()
    {
        Assert.Equal(
            "(ES256);path=\"/reg\";challenge=\"cv\";authorization=\"ac\"",
            DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/reg", "cv", "ac"));
    }

    [Fact]
    public void FormatRegistration_OnlyRs256_WritesRs256Alone() =>
        Assert.StartsWith("(RS256);", DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Rs256, "/r", "c"), StringComparison.Ordinal);

    [Fact]
    public void FormatRegistration_QuotesAndBackslashes_Escaped() =>
        Assert.Equal(
            "(ES256);path=\"/r\";challenge=\"a\\\"b\\\\c\";authorization=\"x \\\"y\\\"\"",
            DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", "a\"b\\c", "x \"y\""));

    [Fact]
    public void FormatRegistration_AbsoluteHttpsEndpoint_Accepted() =>
        Assert.Contains("path=\"https://auth.example.com/dbsc/register\"", DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "https://auth.example.com/dbsc/register", "c"), StringComparison.Ordinal);

    [Theory]
    [InlineData(DbscAlgorithms.None)]
    [InlineData((DbscAlgorithms)4)]
    [InlineData((DbscAlgorithms)7)]
    [InlineData((DbscAlgorithms)(-1))]
    public void FormatRegistration_NoOrUnknownAlgorithm_Throws(DbscAlgorithms algorithms) =>
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(algorithms, "/r", "c"));

    public static TheoryData<string> RefusedEndpoints => new()
    {
        "",
        "reg",
        "//evil.example/reg",
        "/\\evil.example/reg",
        "/reg\\x",
        "http://example.com/reg",
        "https://user:pw@example.com/reg",
        "HTTPS://example.com/reg",
        "javascript:alert(1)",
        "/reg\nInjected: 1",
        "/r\u00e9g",
        "/" + new string('a', 2048),
    };

    [Theory]
    [MemberData(nameof(RefusedEndpoints))]
    public void FormatRegistration_UnsafeEndpoint_Throws(string path) =>
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, path, "c"));

    [Theory]
    [InlineData("/")]
    [InlineData("/dbsc/register?x=1&y=2")]
    [InlineData("https://example.com")]
    public void FormatRegistration_SafeEndpoint_Accepted(string path) =>
        Assert.Contains(path, DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, path, "c"), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    [InlineData("a\tb")]
    public void FormatRegistration_BadChallenge_Throws(string challenge) =>
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", challenge));

    [Fact]
    public void FormatRegistration_ChallengeOrAuthorizationTooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", new string('c', 1025)));
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", "c", new string('a', 4097)));
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", "c", ""));
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", "c", "\u00e9"));
        Assert.Throws<ArgumentNullException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, null!, "c"));
        Assert.Throws<ArgumentNullException>(() => DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", null!));
        Assert.Contains(new string('c', 1024), DbscHeaderWriter.FormatRegistration(DbscAlgorithms.Es256, "/r", new string('c', 1024)), StringComparison.Ordinal);
    }

    [Fact]
    public void FormatChallenge_SpecShape() =>
        Assert.Equal("\"new challenge\";id=\"my-session\"", DbscHeaderWriter.FormatChallenge("new challenge", "my-session"));

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("a\"b")]
    [InlineData("a:b")]
    [InlineData("_abc")]
    public void FormatChallenge_BadIdentifier_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => DbscHeaderWriter.FormatChallenge("c", id));

    [Theory]
    [InlineData("a", true)]
    [InlineData("Session-1._~", true)]
    [InlineData("dbsc_q8Yx0f-PZ", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("9a", false)]
    [InlineData("-a", false)]
    [InlineData("a/b", false)]
    [InlineData("a+b", false)]
    [InlineData("\u00e9", false)]
    public void IsSessionIdentifier_Cases(string? value, bool expected) => Assert.Equal(expected, DbscHeaderWriter.IsSessionIdentifier(value));

    [Fact]
    public void IsSessionIdentifier_LengthBound()
    {
        Assert.True(DbscHeaderWriter.IsSessionIdentifier("a" + new string('b', 255)));
        Assert.False(DbscHeaderWriter.IsSessionIdentifier("a" + new string('b', 256)));
    }

    private static Gen<string> Printable(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Frequency((1, Gen.Elements('"', '\\', ' ', ';', ',', '(', ')')), (6, Gen.Choose(0x20, 0x7E).Select(c => (char)c))), n))
            .Select(chars => new string(chars));

    [Property(MaxTest = 500)]
    public Property FormatRegistration_SpecParserReadsEveryValueBack_Holds()
    {
        Gen<DbscAlgorithms> algorithms = Gen.Elements(DbscAlgorithms.Es256, DbscAlgorithms.Rs256, DbscAlgorithms.Es256 | DbscAlgorithms.Rs256);
        Gen<string> paths = Printable(0, 60).Select(p => "/x" + p.Replace("\\", "", StringComparison.Ordinal));
        Gen<string?> authorizations = Gen.OneOf(Gen.Constant<string?>(null), Printable(1, 60).Select<string, string?>(a => a));
        Gen<(DbscAlgorithms Algorithms, string Path)> first = algorithms.Zip(paths, (a, p) => (a, p));
        Gen<(string Challenge, string? Authorization)> second = Printable(1, 80).Zip(authorizations, (c, a) => (c, a));
        return Prop.ForAll(first.ToArbitrary(), second.ToArbitrary(), (x, y) =>
        {
            (DbscAlgorithms algs, string path) = x;
            (string challenge, string? authorization) = y;
            string header = DbscHeaderWriter.FormatRegistration(algs, path, challenge, authorization);
            List<SpecMember>? list = SpecStructuredFields.ParseList(header);
            if (list is not [SpecMember member] || member.InnerList is null)
            {
                return false;
            }

            string[] tokens = [.. member.InnerList.Select(i => i.Value is SpecToken t ? t.Value : "?")];
            string[] expected = algs switch
            {
                DbscAlgorithms.Es256 => ["ES256"],
                DbscAlgorithms.Rs256 => ["RS256"],
                _ => ["ES256", "RS256"],
            };
            return tokens.SequenceEqual(expected)
                && (string?)member.Parameter("path") == path
                && (string?)member.Parameter("challenge") == challenge
                && (string?)member.Parameter("authorization") == authorization
                && member.Parameters.Count == (authorization is null ? 2 : 3);
        });
    }

    [Property(MaxTest = 500)]
    public Property FormatChallenge_SpecParserReadsItBack_Holds()
    {
        Gen<string> ids = Gen.Elements("abcXYZ".ToCharArray()).Zip(Gen.ArrayOf(Gen.Elements("abcXYZ019-._~".ToCharArray())), (f, r) => f + new string(r))
            .Where(id => id.Length <= DbscHeaderWriter.MaxSessionIdentifierLength);
        return Prop.ForAll(Printable(1, 120).ToArbitrary(), ids.ToArbitrary(), (challenge, id) =>
        {
            // Two challenges in one header line, as a server priming two sessions would send them.
            string header = DbscHeaderWriter.FormatChallenge(challenge, id) + ", " + DbscHeaderWriter.FormatChallenge(challenge + "2", id);
            List<SpecMember>? list = SpecStructuredFields.ParseList(header);
            return list is [SpecMember first, SpecMember second]
                && (string)first.Item!.Value == challenge && (string?)first.Parameter("id") == id
                && (string)second.Item!.Value == challenge + "2" && (string?)second.Parameter("id") == id;
        });
    }
}
