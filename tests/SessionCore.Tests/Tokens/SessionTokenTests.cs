using System;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Internal;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Tokens;

public sealed class SessionTokenTests
{
    [Fact]
    public void Mint_Always_HasPrefixAndLength()
    {
        SessionToken token = SessionToken.Mint(TokenSource.System);

        Assert.StartsWith(SessionToken.Prefix, token.Reveal(), StringComparison.Ordinal);
        Assert.Equal(SessionToken.Length, token.Reveal().Length);
    }

    [Fact]
    public void ToString_NeverRevealsTheSecret()
    {
        SessionToken token = SessionToken.Mint(TokenSource.System);

        Assert.Equal("[redacted]", token.ToString());
        Assert.Equal("[redacted]", $"{token}");
        DebuggerDisplayAttribute display = typeof(SessionToken).GetCustomAttribute<DebuggerDisplayAttribute>()!;
        Assert.DoesNotContain("{", display.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_IsSha256OfTheTokenText()
    {
        SessionToken token = SessionToken.Mint(TokenSource.System);
        string expected = Base64UrlStrict.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(token.Reveal())));

        Assert.Equal(expected, token.Id.ToString());
        Assert.Equal(SessionId.Length, token.Id.ToString().Length);
        Assert.DoesNotContain(token.Reveal()[SessionToken.Prefix.Length..], token.Id.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RoundTrip_SameId()
    {
        SessionToken token = SessionToken.Mint(TokenSource.System);

        Assert.True(SessionToken.TryParse(token.Reveal(), out SessionToken? parsed));
        Assert.Equal(token.Id, parsed.Id);
        Assert.Equal(token.Reveal(), parsed.Reveal());
    }

    public static TheoryData<string> BadInputs()
    {
        string valid = SessionToken.Mint(TokenSource.System).Reveal();
        return
        [
            string.Empty,
            " ",
            "\t\r\n",
            valid[..^1],
            valid + "A",
            valid + "=",
            " " + valid,
            valid + " ",
            valid.ToUpperInvariant().Replace("SC_", "SC_", StringComparison.Ordinal),
            "xx_" + valid[3..],
            valid[3..],
            valid[..10] + "+" + valid[11..],
            valid[..10] + "/" + valid[11..],
            valid[..10] + "." + valid[11..],
            valid[..10] + "\0" + valid[11..],
            valid[..10] + "é" + valid[11..],
            valid[..^1] + "B", // non-canonical: the last character carries set unused bits
            "sc_" + new string('=', 43),
            "sc_" + new string('A', 42) + "=",
            new string('A', 10 * 1024 * 1024),
        ];
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void TryParse_BadInput_FalseWithoutThrowing(string input)
    {
        Assert.False(SessionToken.TryParse(input, out SessionToken? token));
        Assert.Null(token);
    }

    [Fact]
    public void TryParse_CanonicalLastCharacters_Accepted()
    {
        // 43 characters carry 258 bits; the last one may only be one of the 16 values with low bits clear.
        string body = new('A', 42);
        int accepted = 0;
        foreach (char c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        {
            if (SessionToken.TryParse(SessionToken.Prefix + body + c, out _))
            {
                accepted++;
            }
        }

        Assert.Equal(16, accepted);
    }

    [Fact]
    public void TryParse_Null_False()
    {
        Assert.False(SessionToken.TryParse((string?)null, out _));
    }

    [Property(MaxTest = 500)]
    public bool TryParse_AnyString_NeverThrowsAndAcceptsOnlyTheExactFormat(string? text) =>
        !SessionToken.TryParse(text, out SessionToken? token)
        || (text!.Length == SessionToken.Length && text.StartsWith(SessionToken.Prefix, StringComparison.Ordinal) && token.Reveal() == text);

    [Property(MaxTest = 300)]
    public Property TryParse_OneCharacterChanged_DifferentIdOrRejected() =>
        Prop.ForAll(Gen.Choose(SessionToken.Prefix.Length, SessionToken.Length - 2).ToArbitrary(), position =>
        {
            string token = SessionToken.Mint(TokenSource.System).Reveal();
            char replacement = token[position] == 'A' ? 'B' : 'A';
            string changed = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
            return SessionToken.TryParse(token, out SessionToken? original)
                && (!SessionToken.TryParse(changed, out SessionToken? other) || other.Id != original.Id);
        });

    [Property(MaxTest = 1000)]
    public Property TryParse_NearTheFormat_OnlyTheCanonicalFormParses() =>
        Prop.ForAll(NearFormat.AroundOpaqueToken(SessionToken.Prefix, source => SessionToken.Mint(source).Reveal()).ToArbitrary(), text =>
        {
            bool parsed = SessionToken.TryParse(text, out SessionToken? token);
            return parsed == NearFormat.IsCanonicalOpaqueToken(text, SessionToken.Prefix)
                && parsed == SessionToken.TryParse(text.AsSpan(), out _)
                && (!parsed || token!.Reveal() == text);
        });
}
