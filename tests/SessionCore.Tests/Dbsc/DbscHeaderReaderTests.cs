using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Dbsc;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscHeaderReaderTests
{
    private static readonly string s_thirtyTwoParameters = "\"v\"" + string.Concat(Enumerable.Range(0, 32).Select(i => $";p{i}=1"));

    /// <summary>Hostile and edge-case values of the Item headers (Secure-Session-Response), each with its exact outcome.</summary>
    public static TheoryData<string?, HeaderValueStatus, string?> ProofCorpus => new()
    {
        { null, HeaderValueStatus.NotFound, null },
        { "", HeaderValueStatus.NotFound, null },
        { "\"abc.def.ghi\"", HeaderValueStatus.Found, "abc.def.ghi" },
        { "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJjIn0.c2ln", HeaderValueStatus.Found, "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJjIn0.c2ln" },
        { "  \"abc\"  ", HeaderValueStatus.Found, "abc" },
        { "\"abc\";foo=1;bar;baz=\"x\";q=?0;d=1.5;b=:YWJj:;t=tok;n=-7", HeaderValueStatus.Found, "abc" },
        { "\"abc\";dt=@1700000000;ds=%\"caf%c3%a9\"", HeaderValueStatus.Found, "abc" },
        { "\"abc\";a=1;a=2", HeaderValueStatus.Found, "abc" },
        { "\"abc\"; a=1", HeaderValueStatus.Found, "abc" },
        { "\"ab\\\"c\\\\\"", HeaderValueStatus.Found, "ab\"c\\" },
        { "*abc", HeaderValueStatus.Found, "*abc" },
        { "\"abc\";*=1", HeaderValueStatus.Found, "abc" },
        { s_thirtyTwoParameters, HeaderValueStatus.Found, "v" },
        { "\"" + new string('a', 8190) + "\"", HeaderValueStatus.Found, new string('a', 8190) },
        { "\t\"abc\"", HeaderValueStatus.Malformed, null },
        { "\"abc\"\t", HeaderValueStatus.Malformed, null },
        { "\"abc", HeaderValueStatus.Malformed, null },
        { "abc\"", HeaderValueStatus.Malformed, null },
        { "\"ab\\c\"", HeaderValueStatus.Malformed, null },
        { "\"abc\\\"", HeaderValueStatus.Malformed, null },
        { "\"a\u00e9\"", HeaderValueStatus.Malformed, null },
        { "\"a\u0001b\"", HeaderValueStatus.Malformed, null },
        { "\"a\u007fb\"", HeaderValueStatus.Malformed, null },
        { "\"a\nb\"", HeaderValueStatus.Malformed, null },
        { "\"\"", HeaderValueStatus.Malformed, null },
        { "   ", HeaderValueStatus.Malformed, null },
        { "123", HeaderValueStatus.Malformed, null },
        { "-1.5", HeaderValueStatus.Malformed, null },
        { "?1", HeaderValueStatus.Malformed, null },
        { ":YWJj:", HeaderValueStatus.Malformed, null },
        { "@1700000000", HeaderValueStatus.Malformed, null },
        { "%\"abc\"", HeaderValueStatus.Malformed, null },
        { "(\"abc\")", HeaderValueStatus.Malformed, null },
        { "\"abc\" \"def\"", HeaderValueStatus.Malformed, null },
        { "abc def", HeaderValueStatus.Malformed, null },
        { "abc=def", HeaderValueStatus.Malformed, null },
        { "\"abc\";Foo=1", HeaderValueStatus.Malformed, null },
        { "\"abc\";=1", HeaderValueStatus.Malformed, null },
        { "\"abc\";1a=1", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=1.", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=1.1234", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=1234567890123456", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=1234567890123.5", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=-", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=?2", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=:YW=Jj:", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=:YW-J:", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=:YWJj", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=@1.5", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=@", HeaderValueStatus.Malformed, null },
        { "@", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=@-", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=%\"%zz\"", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=%\"%C3%A9\"", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=%\"%c3\"", HeaderValueStatus.Malformed, null },
        { "\"abc\";a=%abc", HeaderValueStatus.Malformed, null },
        { "\"abc\";", HeaderValueStatus.Malformed, null },
        { "\"abc\", \"def\"", HeaderValueStatus.Ambiguous, null },
        { "\"abc\",\"def\"", HeaderValueStatus.Ambiguous, null },
        { "\"abc\",", HeaderValueStatus.Ambiguous, null },
        { "abc, def", HeaderValueStatus.Ambiguous, null },
        { s_thirtyTwoParameters + ";p32=1", HeaderValueStatus.TooLarge, null },
        { "\"" + new string('a', 8191) + "\"", HeaderValueStatus.TooLarge, null },
        { new string('a', 8193), HeaderValueStatus.TooLarge, null },
    };

    [Theory]
    [MemberData(nameof(ProofCorpus))]
    public void ReadProof_Corpus_ExactOutcome(string? value, HeaderValueStatus expected, string? expectedValue)
    {
        HeaderValueResult result = DbscHeaderReader.ReadProof(value);

        Assert.Equal(expected, result.Status);
        Assert.Equal(expectedValue, result.TryGetValue(out string? read) ? read : null);
    }

    public static TheoryData<string?, HeaderValueStatus, string?> SessionIdentifierCorpus => new()
    {
        { "\"session-1\"", HeaderValueStatus.Found, "session-1" },
        { "session-1", HeaderValueStatus.Found, "session-1" },
        { "dbsc_AbC-9.x~y", HeaderValueStatus.Found, "dbsc_AbC-9.x~y" },
        { "\"s\";v=1", HeaderValueStatus.Found, "s" },
        { "\"" + "a" + new string('b', 255) + "\"", HeaderValueStatus.Found, "a" + new string('b', 255) },
        { null, HeaderValueStatus.NotFound, null },
        { "", HeaderValueStatus.NotFound, null },
        { "\"" + "a" + new string('b', 256) + "\"", HeaderValueStatus.Malformed, null },
        { "\"1abc\"", HeaderValueStatus.Malformed, null },
        { "1abc", HeaderValueStatus.Malformed, null },
        { "\"-abc\"", HeaderValueStatus.Malformed, null },
        { "\"a b\"", HeaderValueStatus.Malformed, null },
        { "\"a\\\"b\"", HeaderValueStatus.Malformed, null },
        { "a:b", HeaderValueStatus.Malformed, null },
        { "a/b", HeaderValueStatus.Malformed, null },
        { "*abc", HeaderValueStatus.Malformed, null },
        { "\"a+b\"", HeaderValueStatus.Malformed, null },
        { "\"\"", HeaderValueStatus.Malformed, null },
        { "42", HeaderValueStatus.Malformed, null },
        { "(a)", HeaderValueStatus.Malformed, null },
        { "\"a\", \"b\"", HeaderValueStatus.Ambiguous, null },
    };

    [Theory]
    [MemberData(nameof(SessionIdentifierCorpus))]
    public void ReadSessionIdentifier_Corpus_ExactOutcome(string? value, HeaderValueStatus expected, string? expectedValue)
    {
        HeaderValueResult result = DbscHeaderReader.ReadSessionIdentifier(value);

        Assert.Equal(expected, result.Status);
        Assert.Equal(expectedValue, result.TryGetValue(out string? read) ? read : null);
    }

    public static TheoryData<string?, HeaderValueStatus, string> SkippedCorpus => new()
    {
        // Expected entries are written "reason/identifier", with "-" for no identifier.
        { "unreachable;session_identifier=\"123\", quota_exceeded;session_identifier=\"456\"", HeaderValueStatus.Found, "Unreachable/- QuotaExceeded/-" },
        { "unreachable;session_identifier=\"s123\", quota_exceeded;session_identifier=\"s456\"", HeaderValueStatus.Found, "Unreachable/s123 QuotaExceeded/s456" },
        { "server_error", HeaderValueStatus.Found, "ServerError/-" },
        { "future_reason;session_identifier=\"abc\"", HeaderValueStatus.Found, "Other/abc" },
        { "unreachable;session_identifier=abc", HeaderValueStatus.Found, "Unreachable/abc" },
        { "unreachable;session_identifier=1", HeaderValueStatus.Found, "Unreachable/-" },
        { "unreachable;session_identifier=\"a b\"", HeaderValueStatus.Found, "Unreachable/-" },
        { "unreachable;other=1;session_identifier=\"x\";session_identifier=\"y\"", HeaderValueStatus.Found, "Unreachable/y" },
        { "unreachable ,\tserver_error", HeaderValueStatus.Found, "Unreachable/- ServerError/-" },
        { "Unreachable", HeaderValueStatus.Found, "Other/-" },
        { null, HeaderValueStatus.NotFound, "" },
        { "", HeaderValueStatus.NotFound, "" },
        { "   ", HeaderValueStatus.NotFound, "" },
        { "\"unreachable\"", HeaderValueStatus.Malformed, "" },
        { "(unreachable)", HeaderValueStatus.Malformed, "" },
        { "unreachable, 5", HeaderValueStatus.Malformed, "" },
        { "unreachable,", HeaderValueStatus.Malformed, "" },
        { "unreachable,,server_error", HeaderValueStatus.Malformed, "" },
        { ",unreachable", HeaderValueStatus.Malformed, "" },
        { "unreachable server_error", HeaderValueStatus.Malformed, "" },
        { "unreachable;session_identifier=\"abc", HeaderValueStatus.Malformed, "" },
        { "unre\u00e4chable", HeaderValueStatus.Malformed, "" },
        { string.Join(", ", Enumerable.Repeat("unreachable", 65)), HeaderValueStatus.TooLarge, "" },
    };

    [Theory]
    [MemberData(nameof(SkippedCorpus))]
    public void ReadSkipped_Corpus_ExactOutcome(string? value, HeaderValueStatus expected, string expectedEntries)
    {
        DbscSkippedResult result = DbscHeaderReader.ReadSkipped(value);

        Assert.Equal(expected, result.Status);
        string entries = result.TryGetValue(out IReadOnlyList<DbscSkippedSession>? sessions)
            ? string.Join(" ", sessions.Select(s => $"{s.Reason}/{s.SessionIdentifier ?? "-"}"))
            : "";
        Assert.Equal(expectedEntries, entries);
    }

    [Fact]
    public void ReadSkipped_SixtyFourMembers_AllRead()
    {
        DbscSkippedResult result = DbscHeaderReader.ReadSkipped(string.Join(", ", Enumerable.Repeat("quota_exceeded", 64)));

        Assert.Equal(64, result.Value.Count);
        Assert.All(result.Value, s => Assert.Equal(DbscSkipReason.QuotaExceeded, s.Reason));
    }

    [Fact]
    public void Results_ToString_ShowStatusOnly()
    {
        Assert.Equal("Found", DbscHeaderReader.ReadProof("\"secret-proof\"").ToString());
        Assert.Equal("Found", DbscHeaderReader.ReadSkipped("unreachable;session_identifier=\"abc\"").ToString());
        Assert.Equal("Unreachable", DbscHeaderReader.ReadSkipped("unreachable;session_identifier=\"abc\"").Value[0].ToString());
        Assert.Throws<InvalidOperationException>(() => DbscHeaderReader.ReadSkipped("\"x\"").Value);
    }

    /// <summary>Printable ASCII strings, weighted towards the characters that need escaping.</summary>
    private static Gen<string> StringContent(int maxLength) =>
        Gen.Choose(1, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Frequency((1, Gen.Elements('"', '\\', ' ')), (8, Gen.Choose(0x20, 0x7E).Select(c => (char)c))), n))
            .Select(chars => new string(chars));

    [Property(MaxTest = 500)]
    public Property ReadProof_AnySfString_RoundTrips_Holds() =>
        Prop.ForAll(StringContent(300).ToArbitrary(), value =>
        {
            string header = SpecStructuredFields.SerializeItem(new SpecItem(value, []));
            HeaderValueResult result = DbscHeaderReader.ReadProof(header);
            return result.IsSuccess && result.Value == value;
        });

    [Property(MaxTest = 500)]
    public Property ReadSessionIdentifier_IdentifierAsStringOrToken_SameValue_Holds()
    {
        Gen<string> identifiers = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())
            .Zip(Gen.ArrayOf(Gen.Elements("abcXYZ0189-._~".ToCharArray())), (first, rest) => first + new string(rest));
        return Prop.ForAll(identifiers.ToArbitrary(), id =>
        {
            HeaderValueResult quoted = DbscHeaderReader.ReadSessionIdentifier(SpecStructuredFields.SerializeItem(new SpecItem(id, [])));
            HeaderValueResult bare = DbscHeaderReader.ReadSessionIdentifier(id);
            return id.Length > DbscHeaderWriter.MaxSessionIdentifierLength
                ? quoted.Status == HeaderValueStatus.Malformed && bare.Status == HeaderValueStatus.Malformed
                : quoted.Value == id && bare.Value == id;
        });
    }

    [Property(MaxTest = 300)]
    public Property ReadSkipped_SpecSerialisedList_ReadBack_Holds()
    {
        string[] reasons = ["unreachable", "server_error", "quota_exceeded", "other_reason"];
        Gen<(string Reason, string? Id)> entry = Gen.Elements(reasons)
            .Zip(Gen.Elements<string?>(null, "abc", "s-1", "Zz.9"), (r, id) => (r, id));
        return Prop.ForAll(Gen.Choose(1, 64).SelectMany(n => Gen.ArrayOf(entry, n)).ToArbitrary(), entries =>
        {
            string header = SpecStructuredFields.SerializeList(entries.Select(e => SpecMember.Of(new SpecItem(
                new SpecToken(e.Reason),
                e.Id is null ? [] : [new KeyValuePair<string, object>("session_identifier", e.Id)]))));
            DbscSkippedResult result = DbscHeaderReader.ReadSkipped(header);
            return result.IsSuccess
                && result.Value.Count == entries.Length
                && result.Value.Zip(entries).All(p => p.First.SessionIdentifier == p.Second.Id
                    && p.First.Reason == p.Second.Reason switch
                    {
                        "unreachable" => DbscSkipReason.Unreachable,
                        "server_error" => DbscSkipReason.ServerError,
                        "quota_exceeded" => DbscSkipReason.QuotaExceeded,
                        _ => DbscSkipReason.Other,
                    });
        });
    }

    [Property(MaxTest = 1000)]
    public Property Readers_AnyInput_NeverThrowAndAgreeWithTheSpecParser_Holds()
    {
        // Strings built from the characters that matter to the grammar, so most inputs get past the first byte.
        Gen<string> noise = Gen.ArrayOf(Gen.Elements("\"\\;=,() \t:?@%*-.0123456789abcAZ_/\u00e9".ToCharArray()))
            .Select(chars => new string(chars));
        return Prop.ForAll(noise.ToArbitrary(), value =>
        {
            HeaderValueResult proof = DbscHeaderReader.ReadProof(value);
            DbscSkippedResult skipped = DbscHeaderReader.ReadSkipped(value);
            SpecItem? item = SpecStructuredFields.ParseItem(value);

            // The spec parser reads no dates or display strings; where it succeeds on a string or token,
            // the library must read the same value.
            bool proofAgrees = item is null
                || item.Value is not (string or SpecToken)
                || (proof.IsSuccess && proof.Value == (item.Value is SpecToken t ? t.Value : (string)item.Value))
                || (item.Value is string s && s.Length == 0);
            return proofAgrees && (skipped.IsSuccess || skipped.Status != HeaderValueStatus.Found);
        });
    }
}
