using System;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.Http;

#pragma warning disable xUnit1051 // In-memory store calls complete synchronously.

public sealed class SessionCookieBuilderTests
{
    [Fact]
    public async Task Build_Defaults_HostPrefixedStrictCookieBoundedBySession()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        SessionCookieBuilder builder = new();

        string cookie = builder.Build(signIn.Value, signIn.Session!, host.Time.GetUtcNow());

        Assert.Equal($"__Host-session={signIn.Value.Reveal()}; Max-Age=43200; Path=/; Secure; HttpOnly; SameSite=Strict", cookie);
        AssertGrammar(cookie);
    }

    [Fact]
    public async Task Build_MaxAge_IsRemainingAbsoluteLifetimeOrConfiguredMaximum()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");
        host.Time.Advance(TimeSpan.FromHours(11));

        string late = new SessionCookieBuilder().Build(signIn.Value, signIn.Session!, host.Time.GetUtcNow());
        string capped = new SessionCookieBuilder(new SessionCookieOptions { MaxAge = TimeSpan.FromMinutes(10) })
            .Build(signIn.Value, signIn.Session!, host.Time.GetUtcNow());

        Assert.Contains("; Max-Age=3600;", late, StringComparison.Ordinal);
        Assert.Contains("; Max-Age=600;", capped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_SessionEnded_Throws()
    {
        PolicyTestHost host = new();
        SignInResult signIn = await host.SignInAsync("alice");

        Assert.Throws<ArgumentException>(() => new SessionCookieBuilder().Build(signIn.Value, signIn.Session!, signIn.Session!.AbsoluteExpiresAt));
    }

    [Fact]
    public void Build_LaxOption_WritesLax()
    {
        string cookie = new SessionCookieBuilder(new SessionCookieOptions { SameSite = CookieSameSite.Lax }).Build("v", TimeSpan.FromMinutes(1));
        Assert.EndsWith("; SameSite=Lax", cookie, StringComparison.Ordinal);
        AssertGrammar(cookie);
    }

    [Fact]
    public void BuildDeletion_SameNameAndAttributes_EmptyValueMaxAgeZero()
    {
        SessionCookieBuilder builder = new();
        string deletion = builder.BuildDeletion();
        string cookie = builder.Build("abc", TimeSpan.FromMinutes(5));

        Assert.Equal("__Host-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict", deletion);
        Assert.Equal(cookie[cookie.IndexOf("; Path", StringComparison.Ordinal)..], deletion[deletion.IndexOf("; Path", StringComparison.Ordinal)..]);
        AssertGrammar(deletion);
    }

    [Fact]
    public void Build_NonPrefixedWithDomainAndPath_IsAllowedAndValid()
    {
        SessionCookieBuilder builder = new(new SessionCookieOptions { Name = "sid", Domain = "example.com", Path = "/app" });
        string cookie = builder.Build("v1", TimeSpan.FromMinutes(1));

        Assert.Equal("sid=v1; Max-Age=60; Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Strict", cookie);
        AssertGrammar(cookie);
    }

    public static TheoryData<string, string?, string, bool, CookieSameSite> RefusedOptions => new()
    {
        { "__Host-session", "example.com", "/", true, CookieSameSite.Strict },
        { "__Host-session", null, "/app", true, CookieSameSite.Strict },
        { "__Host-session", null, "/", false, CookieSameSite.Strict },
        { "__host-session", null, "/", false, CookieSameSite.Strict },
        { "__Secure-session", null, "/", false, CookieSameSite.Lax },
        { "session", null, "/", false, CookieSameSite.None },
        { "bad name", null, "/", true, CookieSameSite.Strict },
        { "bad;name", null, "/", true, CookieSameSite.Strict },
        { "", null, "/", true, CookieSameSite.Strict },
        { "n\u00e9", null, "/", true, CookieSameSite.Strict },
        { "session", null, "app", true, CookieSameSite.Strict },
        { "session", null, "/a;b", true, CookieSameSite.Strict },
        { "session", null, "/a\nb", true, CookieSameSite.Strict },
        { "session", ".example.com", "/", true, CookieSameSite.Strict },
        { "session", "exa mple.com", "/", true, CookieSameSite.Strict },
        { "session", "example.com;x", "/", true, CookieSameSite.Strict },
    };

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public void Constructor_WeakOrInvalidCombination_Throws(string name, string? domain, string path, bool secure, CookieSameSite sameSite) =>
        Assert.ThrowsAny<ArgumentException>(() => new SessionCookieBuilder(new SessionCookieOptions { Name = name, Domain = domain, Path = path, Secure = secure, SameSite = sameSite }));

    [Theory]
    [InlineData(0)]
    [InlineData(401 * 24 * 3600)]
    public void Constructor_MaxAgeOutOfRange_Throws(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionCookieBuilder(new SessionCookieOptions { MaxAge = TimeSpan.FromSeconds(seconds) }));

    [Fact]
    public void Build_MaxAgeBeyondConfiguredMaximum_Throws()
    {
        SessionCookieBuilder builder = new(new SessionCookieOptions { MaxAge = TimeSpan.FromHours(1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build("v", TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build("v", TimeSpan.Zero));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a;b")]
    [InlineData("a,b")]
    [InlineData("\"quoted\"")]
    [InlineData("back\\slash")]
    [InlineData("ctl\u0007")]
    [InlineData("\u00e9")]
    public void Build_ValueOutsideGrammar_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => new SessionCookieBuilder().Build(value, TimeSpan.FromMinutes(1)));

    [Fact]
    public void Build_DeviceIdCookie_IsValid()
    {
        PolicyTestHost host = new();
        SessionCookieBuilder device = new(new SessionCookieOptions { Name = "__Host-device", MaxAge = TimeSpan.FromDays(365), SameSite = CookieSameSite.Lax });
        string cookie = device.Build(host.Manager.MintDeviceId(), TimeSpan.FromDays(365));
        AssertGrammar(cookie);
        Assert.Contains("; Max-Age=31536000;", cookie, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool Build_AnyValueAndLifetime_ValidOrRefused(NonNull<string> value, PositiveInt seconds)
    {
        SessionCookieBuilder builder = new();
        TimeSpan maxAge = TimeSpan.FromSeconds(seconds.Get);
        try
        {
            string cookie = builder.Build(value.Get, maxAge);
            return SetCookieGrammar.IsValid(cookie, out _) && maxAge <= builder.MaxAge;
        }
        catch (ArgumentException)
        {
            // Refused: either the value breaks the grammar or the lifetime exceeds the maximum.
            bool grammatical = value.Get.Length > 0 && value.Get.Length <= SessionCookieBuilder.MaxValueLength
                && !value.Get.Contains('"', StringComparison.Ordinal) && SetCookieGrammar.IsValid("n=" + value.Get, out _);
            return !grammatical || maxAge > builder.MaxAge;
        }
    }

    [Fact]
    public void ToString_ShowsNameOnly() => Assert.Equal("__Host-session", new SessionCookieBuilder().ToString());

    private static void AssertGrammar(string cookie) => Assert.True(SetCookieGrammar.IsValid(cookie, out string? error), error);

    [Fact]
    public void Build_NameAndValueOver4096Characters_Refused()
    {
        SessionCookieBuilder builder = new();
        string fits = new('a', SessionCookieBuilder.MaxValueLength - builder.Name.Length);

        Assert.Contains(fits, builder.Build(fits, TimeSpan.FromMinutes(5)), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.Build(fits + "a", TimeSpan.FromMinutes(5)));
    }
}
