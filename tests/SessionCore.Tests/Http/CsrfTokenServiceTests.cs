using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Http;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Http;

public sealed class CsrfTokenServiceTests
{
    private static readonly SessionId SessionA = SessionToken.Mint(TokenSource.System).Id;
    private static readonly SessionId SessionB = SessionToken.Mint(TokenSource.System).Id;

    [Fact]
    public void CreateToken_EveryCallDiffers_AllVerify()
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        HashSet<string> seen = [];
        for (int i = 0; i < 200; i++)
        {
            string token = csrf.CreateToken(SessionA);
            Assert.Equal(CsrfTokenService.TokenLength, token.Length);
            Assert.True(seen.Add(token));
            Assert.Equal(CsrfTokenStatus.Valid, csrf.Verify(token, SessionA));
        }
    }

    [Fact]
    public void Verify_TokenOfAnotherSession_Mismatch()
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        Assert.Equal(CsrfTokenStatus.Mismatch, csrf.Verify(csrf.CreateToken(SessionB), SessionA));
    }

    [Fact]
    public void Verify_TokenUnderAnotherKey_Mismatch()
    {
        using CsrfTokenService one = CsrfTokenService.CreateWithRandomKey();
        using CsrfTokenService two = CsrfTokenService.CreateWithRandomKey();
        Assert.Equal(CsrfTokenStatus.Mismatch, two.Verify(one.CreateToken(SessionA), SessionA));
    }

    [Fact]
    public void Verify_SameKeyBytes_SharedAcrossInstances()
    {
        byte[] key = new byte[32];
        key.AsSpan().Fill(7);
        using CsrfTokenService one = new(key);
        using CsrfTokenService two = new(key);
        Assert.Equal(CsrfTokenStatus.Valid, two.Verify(one.CreateToken(SessionA), SessionA));
    }

    [Property(MaxTest = 300)]
    public Property AnyFlippedBit_FailsVerification_Holds()
    {
        // Positions drawn over the whole token: small generated integers alone would only ever reach its first bytes.
        int bits;
        using (CsrfTokenService sample = CsrfTokenService.CreateWithRandomKey())
        {
            bits = Base64UrlDecode(sample.CreateToken(SessionA)).Length * 8;
        }

        return Prop.ForAll(Gen.Choose(0, bits - 1).ToArbitrary(), bit =>
        {
            using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
            byte[] bytes = Base64UrlDecode(csrf.CreateToken(SessionA));
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            string altered = System.Buffers.Text.Base64Url.EncodeToString(bytes);
            return csrf.Verify(altered, SessionA) == CsrfTokenStatus.Mismatch;
        });
    }

    [Property(MaxTest = 1000)]
    public bool Verify_AnyString_NeverThrowsNeverValid(string? presented)
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        return csrf.Verify(presented, SessionA) != CsrfTokenStatus.Valid;
    }

    [Property(MaxTest = 1000)]
    public Property Verify_NearTheFormat_MalformedOrMismatchAsTheFormatSays() =>
        Prop.ForAll(Gen.Choose(0, 3).ToArbitrary(), NearFormat.Edits.ToArbitrary(), (variant, edit) =>
        {
            using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
            string valid = csrf.CreateToken(SessionA);
            string presented = variant switch
            {
                0 => edit.ApplyWithin(valid, 0, valid.Length),
                1 => valid[..^1] + NearFormat.Base64UrlAlphabet[edit.Position % 64],
                2 => csrf.CreateToken(SessionB),
                _ => valid,
            };

            // A token is its exact canonical base64url form; any other value of that form carries other bits, so it
            // belongs to no session (a single edit changes the mask or the body, never both in step).
            CsrfTokenStatus expected = presented == valid ? CsrfTokenStatus.Valid
                : presented.Length != CsrfTokenService.TokenLength || !NearFormat.IsCanonicalBase64Url(presented) ? CsrfTokenStatus.Malformed
                : CsrfTokenStatus.Mismatch;
            return csrf.Verify(presented, SessionA) == expected;
        });

    [Theory]
    [InlineData(null, CsrfTokenStatus.Missing)]
    [InlineData("", CsrfTokenStatus.Missing)]
    [InlineData("short", CsrfTokenStatus.Malformed)]
    public void Verify_Junk_TypedFailure(string? presented, CsrfTokenStatus expected)
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        Assert.Equal(expected, csrf.Verify(presented, SessionA));
    }

    [Fact]
    public void Verify_RightLengthWrongAlphabetOrPadding_Malformed()
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        string token = csrf.CreateToken(SessionA);
        Assert.Equal(CsrfTokenStatus.Malformed, csrf.Verify(token[..^1] + "=", SessionA));
        Assert.Equal(CsrfTokenStatus.Malformed, csrf.Verify("+" + token[1..], SessionA));
        Assert.Equal(CsrfTokenStatus.Malformed, csrf.Verify(new string('\u0000', CsrfTokenService.TokenLength), SessionA));
        Assert.Equal(CsrfTokenStatus.Malformed, csrf.Verify(new string('A', 1 << 20), SessionA));
    }

    [Fact]
    public void Verify_NonCanonicalTail_Malformed()
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        string token = csrf.CreateToken(SessionA);

        // The 86th character carries 4 unused low bits; setting one gives the same bytes in a second spelling.
        char last = token[^1];
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        string variant = token[..^1] + Alphabet[Alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
        Assert.Equal(CsrfTokenStatus.Malformed, csrf.Verify(variant, SessionA));
    }

    [Fact]
    public void MaskedTokens_FromFixedRandomness_ShareNoWireBytesWithRawToken()
    {
        // With a deterministic mask source the masked token changes with the mask and still verifies.
        int counter = 0;
        TokenSource source = new(span => span.Fill((byte)++counter));
        byte[] key = new byte[32];
        using CsrfTokenService csrf = new(key, source);
        string first = csrf.CreateToken(SessionA);
        string second = csrf.CreateToken(SessionA);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first[43..], second[43..]);
        Assert.Equal(CsrfTokenStatus.Valid, csrf.Verify(first, SessionA));
        Assert.Equal(CsrfTokenStatus.Valid, csrf.Verify(second, SessionA));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(48)]
    [InlineData(64)]
    public void Constructor_EveryDocumentedKeyLength_IssuesAndVerifies(int length)
    {
        byte[] key = RandomNumberGenerator.GetBytes(length);
        using CsrfTokenService csrf = new(key);
        using CsrfTokenService same = new(key);
        byte[] other = (byte[])key.Clone();
        other[^1] ^= 1;
        using CsrfTokenService differentLastByte = new(other);

        string token = csrf.CreateToken(SessionA);

        Assert.Equal(CsrfTokenStatus.Valid, same.Verify(token, SessionA));
        Assert.NotEqual(CsrfTokenStatus.Valid, differentLastByte.Verify(token, SessionA));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(65)]
    public void Constructor_BadKeyLength_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => new CsrfTokenService(new byte[length]));

    [Fact]
    public void DefaultSessionId_Throws()
    {
        using CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        Assert.Throws<ArgumentException>(() => csrf.CreateToken(default));
        Assert.Throws<ArgumentException>(() => csrf.Verify("x", default));
    }

    [Fact]
    public void Disposed_Throws()
    {
        CsrfTokenService csrf = CsrfTokenService.CreateWithRandomKey();
        string token = csrf.CreateToken(SessionA);
        csrf.Dispose();
        csrf.Dispose();
        Assert.Throws<ObjectDisposedException>(() => csrf.CreateToken(SessionA));
        Assert.Throws<ObjectDisposedException>(() => csrf.Verify(token, SessionA));
    }

    [Fact]
    public void ToString_RevealsNoKey()
    {
        byte[] key = new byte[32];
        key.AsSpan().Fill(0x41);
        using CsrfTokenService csrf = new(key);
        Assert.Equal("CsrfTokenService", csrf.ToString());
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
