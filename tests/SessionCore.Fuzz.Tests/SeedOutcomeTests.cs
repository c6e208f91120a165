using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Fuzz.Tests;

/// <summary>
/// The exact outcome of each seed whose meaning is known, through the same fixed keys, clock and session
/// as its harness. The replay only checks that no seed crashes its parser; this checks that the parser
/// still tells good inputs from bad ones, and for the right reason.
/// </summary>
public sealed class SeedOutcomeTests
{
    private static readonly string s_corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    private static readonly Dictionary<string, AccessTokenValidationStatus> s_jwt = new(StringComparer.Ordinal)
    {
        ["issued-es256.txt"] = AccessTokenValidationStatus.Valid,
        ["issued-eddsa.txt"] = AccessTokenValidationStatus.Valid,
        ["crafted-es256-audience-array.txt"] = AccessTokenValidationStatus.Valid,
        ["crafted-escaped-names.txt"] = AccessTokenValidationStatus.Valid,
        ["crafted-nested-claims.txt"] = AccessTokenValidationStatus.Valid,
        ["tampered-payload.txt"] = AccessTokenValidationStatus.InvalidSignature,
        ["crafted-expired.txt"] = AccessTokenValidationStatus.Expired,
        ["crafted-wrong-typ.txt"] = AccessTokenValidationStatus.WrongType,
        ["crafted-crit.txt"] = AccessTokenValidationStatus.ForbiddenHeader,
        ["crafted-duplicate-member.txt"] = AccessTokenValidationStatus.Malformed,
        ["crafted-fractional-exp.txt"] = AccessTokenValidationStatus.Malformed,
        ["crafted-eddsa-alg-with-es256-kid.txt"] = AccessTokenValidationStatus.AlgorithmMismatch,
        ["padded-signature.txt"] = AccessTokenValidationStatus.Malformed,
        ["two-segments.txt"] = AccessTokenValidationStatus.Malformed,
        ["four-segments.txt"] = AccessTokenValidationStatus.Malformed,
        ["empty-segments.txt"] = AccessTokenValidationStatus.Malformed,
        ["jws-json-serialization.txt"] = AccessTokenValidationStatus.Malformed,
        ["rfc7515-a3-es256.txt"] = AccessTokenValidationStatus.WrongType,
        ["rfc7515-a3-der-signature.txt"] = AccessTokenValidationStatus.WrongType,
        ["rfc7515-a5-none.txt"] = AccessTokenValidationStatus.Malformed,
        ["rfc7519-s3.1-hs256.txt"] = AccessTokenValidationStatus.UnsupportedAlgorithm,
        ["rfc8037-a4-eddsa.txt"] = AccessTokenValidationStatus.WrongType,
    };

    private static readonly Dictionary<string, CsrfTokenStatus> s_csrf = new(StringComparer.Ordinal)
    {
        ["valid.txt"] = CsrfTokenStatus.Valid,
        ["flipped-last-byte.txt"] = CsrfTokenStatus.Mismatch,
        ["other-session.txt"] = CsrfTokenStatus.Mismatch,
        ["one-short.txt"] = CsrfTokenStatus.Malformed,
        ["non-base64.txt"] = CsrfTokenStatus.Malformed,
        ["padded.txt"] = CsrfTokenStatus.Malformed,
    };

    public static TheoryData<string, AccessTokenValidationStatus> JwtSeeds => Rows(s_jwt);

    public static TheoryData<string, CsrfTokenStatus> CsrfSeeds => Rows(s_csrf);

    [Theory]
    [MemberData(nameof(JwtSeeds))]
    public void JwtSeed_HasItsExactStatus(string file, AccessTokenValidationStatus expected)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(s_corpus, "jwt", file));
        AccessTokenValidator validator = FuzzTargets.Jwt.Validator;

        Assert.Equal(expected, validator.ValidateOffline(input.AsSpan()).Status);
        Assert.Equal(expected, validator.ValidateOffline(Encoding.UTF8.GetString(input).AsSpan()).Status);
    }

    [Theory]
    [MemberData(nameof(CsrfSeeds))]
    public void CsrfSeed_HasItsExactStatus(string file, CsrfTokenStatus expected)
    {
        // The harness's service is private; this is the same construction, on the same public key and session.
        using CsrfTokenService csrf = new(FuzzTargets.CsrfKey);

        Assert.Equal(expected, csrf.Verify(Read("csrf-token", file), SessionId.Parse(FuzzTargets.CsrfSessionId)));
    }

    [Theory]
    [InlineData("minted.txt", true, false)]
    [InlineData("session-id.txt", false, true)]
    [InlineData("empty.txt", false, false)]
    [InlineData("non-canonical-last-char.txt", false, false)]
    [InlineData("one-long.txt", false, false)]
    [InlineData("one-short.txt", false, false)]
    [InlineData("padded.txt", false, false)]
    [InlineData("refresh-prefix.txt", false, false)]
    [InlineData("standard-base64.txt", false, false)]
    public void SessionTokenSeed_ParsesOnlyWhenWellFormed(string file, bool isToken, bool isSessionId)
    {
        string text = Read("session-token", file);

        Assert.Equal(isToken, SessionToken.TryParse(text, out _));
        Assert.Equal(isToken, SessionToken.TryParse(text.AsSpan(), out _));
        Assert.Equal(isSessionId, SessionId.TryParse(text, out _));
    }

    [Theory]
    [InlineData("minted.txt", true)]
    [InlineData("non-canonical-last-char.txt", false)]
    [InlineData("one-short.txt", false)]
    [InlineData("session-prefix.txt", false)]
    [InlineData("whitespace.txt", false)]
    public void RefreshTokenSeed_ParsesOnlyWhenWellFormed(string file, bool isToken)
    {
        string text = Read("refresh-token", file);

        Assert.Equal(isToken, RefreshToken.TryParse(text, out _));
        Assert.Equal(isToken, RefreshToken.TryParse(text.AsSpan(), out _));
    }

    [Theory]
    [InlineData("jwt")]
    [InlineData("csrf-token")]
    public void Seeds_EveryJwtAndCsrfSeed_HasAnExpectedStatus(string target)
    {
        // Every seed of these two targets has a known meaning: one added later must be given its outcome here.
        ICollection<string> named = target == "jwt" ? s_jwt.Keys : s_csrf.Keys;
        string[] unnamed = [.. Directory.EnumerateFiles(Path.Combine(s_corpus, target)).Select(f => Path.GetFileName(f)).Where(f => !named.Contains(f))];

        Assert.Empty(unnamed);
    }

    private static string Read(string target, string file) => File.ReadAllText(Path.Combine(s_corpus, target, file));

    private static TheoryData<string, T> Rows<T>(Dictionary<string, T> outcomes)
    {
        TheoryData<string, T> data = [];
        foreach (KeyValuePair<string, T> outcome in outcomes)
        {
            data.Add(outcome.Key, outcome.Value);
        }

        return data;
    }
}
