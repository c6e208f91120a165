using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Tests.Http;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscBoundCookieServiceTests : IDisposable
{
    // RFC 7638 §3.1 example thumbprint, and a second, different one.
    private const string Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    private const string OtherThumbprint = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private static readonly byte[] s_key = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];
    private static readonly SessionId s_session = SessionId.FromTokenValue("sc_bound-session");
    private static readonly SessionId s_other = SessionId.FromTokenValue("sc_other-session");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DbscBoundCookieService _service;

    public DbscBoundCookieServiceTests() => _service = new DbscBoundCookieService(s_key, timeProvider: _time);

    private DateTimeOffset SessionEnd => _time.GetUtcNow() + TimeSpan.FromHours(12);

    public void Dispose() => _service.Dispose();

    [Fact]
    public void Issue_Defaults_HostPrefixedStrictTenMinuteCookie()
    {
        string setCookie = _service.Issue(s_session, Thumbprint, SessionEnd);

        string value = ValueOf(setCookie);
        Assert.Equal($"__Host-dbsc={value}; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Strict", setCookie);
        Assert.Equal(DbscBoundCookieService.ValueLength, value.Length);
        Assert.True(NearFormat.IsCanonicalBase64Url(value));
        Assert.True(SetCookieGrammar.IsValid(setCookie, out string? error), error);
    }

    [Fact]
    public void Credential_MatchesTheSetCookieAttributesWithoutMaxAge()
    {
        string setCookie = _service.Issue(s_session, Thumbprint, SessionEnd);

        Assert.Equal("__Host-dbsc", _service.Credential.Name);
        Assert.Equal("Path=/; Secure; HttpOnly; SameSite=Strict", _service.Credential.Attributes);
        Assert.EndsWith("; " + _service.Credential.Attributes, setCookie, StringComparison.Ordinal);

        using DbscBoundCookieService lax = new(s_key, new DbscBoundCookieOptions { Name = "__Host-bound", SameSite = CookieSameSite.Lax });
        Assert.Equal("Path=/; Secure; HttpOnly; SameSite=Lax", lax.Credential.Attributes);
        Assert.Equal("__Host-bound", lax.Credential.Name);
    }

    [Fact]
    public void Issue_SessionEndsSooner_MaxAgeIsTheRemainingLifetime()
    {
        string setCookie = _service.Issue(s_session, Thumbprint, _time.GetUtcNow() + TimeSpan.FromSeconds(90.7));

        Assert.Contains("; Max-Age=90;", setCookie, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(90), _service.Verify(ValueOf(setCookie), s_session, Thumbprint).Value.ExpiresAt);
    }

    [Fact]
    public void Issue_SessionEndsWithinASecond_Throws() =>
        Assert.Throws<ArgumentException>(() => _service.Issue(s_session, Thumbprint, _time.GetUtcNow() + TimeSpan.FromMilliseconds(999)));

    [Fact]
    public void Verify_FreshCookie_ValidWithItsContents()
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));

        DbscBoundCookieResult result = _service.Verify(value, s_session, Thumbprint);

        Assert.Equal(DbscBoundCookieStatus.Valid, result.Status);
        Assert.Equal(s_session, result.Value.SessionId);
        Assert.Equal(Thumbprint, result.Value.KeyThumbprint);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(10), result.Value.ExpiresAt);
    }

    [Fact]
    public void Verify_AfterExpiryPlusTheTolerance_Expired()
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(29));
        Assert.Equal(DbscBoundCookieStatus.Valid, _service.Verify(value, s_session, Thumbprint).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DbscBoundCookieStatus.Expired, _service.Verify(value, s_session, Thumbprint).Status);
    }

    [Fact]
    public void Verify_GenuineCookieOfAnotherSession_WrongSession() =>
        Assert.Equal(DbscBoundCookieStatus.WrongSession, _service.Verify(ValueOf(_service.Issue(s_other, Thumbprint, SessionEnd)), s_session, Thumbprint).Status);

    [Fact]
    public void Verify_GenuineCookieForAnotherKey_WrongKey() =>
        Assert.Equal(DbscBoundCookieStatus.WrongKey, _service.Verify(ValueOf(_service.Issue(s_session, OtherThumbprint, SessionEnd)), s_session, Thumbprint).Status);

    [Fact]
    public void Verify_CookieOfAnotherHostKey_Forged()
    {
        using DbscBoundCookieService other = new(new byte[32], timeProvider: _time);
        Assert.Equal(DbscBoundCookieStatus.Forged, _service.Verify(ValueOf(other.Issue(s_session, Thumbprint, SessionEnd)), s_session, Thumbprint).Status);
    }

    [Fact]
    public void Verify_AfterMaxAgeWasLowered_TooLongLived()
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));
        using DbscBoundCookieService stricter = new(s_key, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromMinutes(1) }, _time);

        Assert.Equal(DbscBoundCookieStatus.TooLongLived, stricter.Verify(value, s_session, Thumbprint).Status);
        _time.Advance(TimeSpan.FromSeconds(510));
        Assert.Equal(DbscBoundCookieStatus.Valid, stricter.Verify(value, s_session, Thumbprint).Status);
    }

    [Fact]
    public void Verify_SameKeyUsedForChallenges_ChallengeIsNoCookie()
    {
        using DbscChallengeService challenges = new(s_key, _time);
        string challenge = challenges.Issue(s_session, DbscChallengePurpose.Refresh);

        Assert.Equal(DbscBoundCookieStatus.Malformed, _service.Verify(challenge, s_session, Thumbprint).Status);
        Assert.Equal(DbscChallengeStatus.Malformed, challenges.Verify(ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd)), s_session, DbscChallengePurpose.Refresh).Status);
    }

    public static TheoryData<string?, DbscBoundCookieStatus> HostileCorpus => new()
    {
        { null, DbscBoundCookieStatus.Missing },
        { "", DbscBoundCookieStatus.Missing },
        { "x", DbscBoundCookieStatus.Malformed },
        { new string('A', 118), DbscBoundCookieStatus.Malformed },
        { new string('A', 120), DbscBoundCookieStatus.Malformed },
        { new string('A', 119), DbscBoundCookieStatus.Malformed },
        { "AQ" + new string('A', 117), DbscBoundCookieStatus.Forged },
        { "AQ" + new string('A', 116) + "B", DbscBoundCookieStatus.Malformed },
        { "Ag" + new string('A', 117), DbscBoundCookieStatus.Malformed },
        { "AQ" + new string('A', 116) + "=", DbscBoundCookieStatus.Malformed },
        { "AQ" + new string('A', 115) + "/A", DbscBoundCookieStatus.Malformed },
        { "\"AQ" + new string('A', 115) + "\"", DbscBoundCookieStatus.Malformed },
    };

    [Theory]
    [MemberData(nameof(HostileCorpus))]
    public void Verify_HostileValue_ExactRefusal(string? value, DbscBoundCookieStatus expected)
    {
        Assert.Equal(expected, _service.Verify(value, s_session, Thumbprint).Status);
        Assert.Equal(expected, _service.Read(value).Status);
    }

    public static TheoryData<string?, DbscBoundCookieStatus> CookieHeaderCorpus => new()
    {
        { null, DbscBoundCookieStatus.Missing },
        { "", DbscBoundCookieStatus.Missing },
        { "__Host-session=abc", DbscBoundCookieStatus.Missing },
        { "__host-dbsc=VALUE", DbscBoundCookieStatus.Missing },
        { "__Host-dbsc=VALUE", DbscBoundCookieStatus.Valid },
        { "a=1; __Host-dbsc=VALUE; b=2", DbscBoundCookieStatus.Valid },
        { "__Host-dbsc=VALUE; __Host-dbsc=VALUE", DbscBoundCookieStatus.Ambiguous },
        { "__Host-dbsc=\"VALUE\"", DbscBoundCookieStatus.Malformed },
        { "__Host-dbsc=", DbscBoundCookieStatus.Malformed },
        { "__Host-dbsc=VALUE,x", DbscBoundCookieStatus.Malformed },
    };

    [Theory]
    [MemberData(nameof(CookieHeaderCorpus))]
    public void VerifyCookieHeader_Corpus_ExactOutcome(string? header, DbscBoundCookieStatus expected)
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));

        Assert.Equal(expected, _service.VerifyCookieHeader(header?.Replace("VALUE", value, StringComparison.Ordinal), s_session, Thumbprint).Status);
    }

    [Fact]
    public void Read_WithoutExpectation_ReturnsWhatTheCookieNames()
    {
        DbscBoundCookieResult result = _service.Read(ValueOf(_service.Issue(s_other, OtherThumbprint, SessionEnd)));

        Assert.Equal(s_other, result.Value.SessionId);
        Assert.Equal(OtherThumbprint, result.Value.KeyThumbprint);
    }

    [Property(MaxTest = 300)]
    public Property Verify_AnyChangedCharacter_Refused_Holds()
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));
        return Prop.ForAll(Gen.Choose(0, value.Length - 1).ToArbitrary(), Gen.Elements(NearFormat.Base64UrlAlphabet.ToCharArray()).ToArbitrary(), (position, c) =>
        {
            string changed = value[..position] + c + value[(position + 1)..];
            DbscBoundCookieStatus status = _service.Verify(changed, s_session, Thumbprint).Status;
            return changed == value ? status == DbscBoundCookieStatus.Valid : status is DbscBoundCookieStatus.Forged or DbscBoundCookieStatus.Malformed;
        });
    }

    [Property(MaxTest = 500)]
    public Property Verify_ArbitraryString_NeverThrowsAndNeverValid_Holds() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            _service.Verify(text, s_session, Thumbprint).Status != DbscBoundCookieStatus.Valid
            && _service.VerifyCookieHeader(text, s_session, Thumbprint).Status != DbscBoundCookieStatus.Valid);

    [Property(MaxTest = 200)]
    public Property IssueThenVerify_AnyLifetime_ValidUntilExpiryThenExpired_Holds() =>
        Prop.ForAll(Gen.Choose(1, 3600).ToArbitrary(), Gen.Choose(0, 1300).ToArbitrary(), (remaining, elapsed) =>
        {
            FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
            using DbscBoundCookieService service = new(s_key, timeProvider: time);
            string value = ValueOf(service.Issue(s_session, Thumbprint, time.GetUtcNow() + TimeSpan.FromSeconds(remaining)));
            time.Advance(TimeSpan.FromSeconds(elapsed));
            long lifetime = Math.Min(remaining, 600);
            DbscBoundCookieStatus expected = elapsed < lifetime + 30 ? DbscBoundCookieStatus.Valid : DbscBoundCookieStatus.Expired;
            return service.Verify(value, s_session, Thumbprint).Status == expected;
        });

    public static TheoryData<string> RefusedNames => new() { "dbsc", "__Secure-dbsc", "__host-dbsc", "__Host-", "__Host-a b", "__Host-\u00e9" };

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public void Constructor_NameNotHostPrefixedToken_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => new DbscBoundCookieService(s_key, new DbscBoundCookieOptions { Name = name }));

    [Fact]
    public void Constructor_OtherMisuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DbscBoundCookieService(new byte[31]));
        Assert.Throws<ArgumentException>(() => new DbscBoundCookieService(new byte[33]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscBoundCookieService(s_key, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromSeconds(29) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscBoundCookieService(s_key, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromMinutes(61) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscBoundCookieService(s_key, new DbscBoundCookieOptions { SameSite = (CookieSameSite)7 }));
        using DbscBoundCookieService hour = new(s_key, new DbscBoundCookieOptions { MaxAge = TimeSpan.FromHours(1) });
        Assert.Equal(TimeSpan.FromHours(1), hour.MaxAge);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X")]
    [InlineData("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs=")]
    [InlineData("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt")]
    [InlineData("NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs")]
    public void Methods_ThumbprintNotSha256Base64Url_Throw(string thumbprint)
    {
        Assert.Throws<ArgumentException>(() => _service.Issue(s_session, thumbprint, SessionEnd));
        Assert.Throws<ArgumentException>(() => _service.Verify("x", s_session, thumbprint));
        Assert.Throws<ArgumentException>(() => _service.VerifyCookieHeader("x", s_session, thumbprint));
    }

    [Fact]
    public void Methods_OtherMisuse_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => _service.Issue(s_session, null!, SessionEnd));
        Assert.Throws<ArgumentException>(() => _service.Issue(default, Thumbprint, SessionEnd));
        Assert.Throws<ArgumentException>(() => _service.Verify("x", default, Thumbprint));
        DbscBoundCookieService disposed = new(s_key);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Issue(s_session, Thumbprint, SessionEnd));
        Assert.Throws<ObjectDisposedException>(() => disposed.Read("x"));
    }

    [Fact]
    public void BuildDeletion_SameNameAndAttributes() =>
        Assert.Equal("__Host-dbsc=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict", _service.BuildDeletion());

    [Fact]
    public void ToString_NeverShowsKeyOrValue()
    {
        string value = ValueOf(_service.Issue(s_session, Thumbprint, SessionEnd));
        DbscBoundCookieResult result = _service.Verify(value, s_session, Thumbprint);

        Assert.Equal("__Host-dbsc", _service.ToString());
        Assert.Equal("Valid", result.ToString());
        Assert.DoesNotContain(value, result.Value.ToString(), StringComparison.Ordinal);
        Assert.Equal("__Host-dbsc", _service.Credential.ToString());
    }

    private static string ValueOf(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
