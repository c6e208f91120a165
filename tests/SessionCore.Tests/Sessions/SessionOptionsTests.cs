using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Sessions;

public sealed class SessionOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedSafeValues()
    {
        SessionOptions options = new();

        Assert.Equal(TimeSpan.FromMinutes(30), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(12), options.AbsoluteLifetime);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RenewalInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ClockSkewTolerance);
        Assert.Null(options.MaxSessionsPerUser);
        Assert.Equal(SessionLimitMode.EvictOldest, options.LimitMode);
        Assert.False(options.AllowLongLivedSessions);
    }

    private static readonly Dictionary<string, Action<SessionOptions>> s_invalid = new()
    {
        ["absolute 90 days"] = o => o.AbsoluteLifetime = TimeSpan.FromDays(90),
        ["absolute 30 s"] = o => o.AbsoluteLifetime = TimeSpan.FromSeconds(30),
        ["idle 0"] = o => o.IdleTimeout = TimeSpan.Zero,
        ["idle longer than absolute"] = o => o.IdleTimeout = TimeSpan.FromDays(1),
        ["renewal negative"] = o => o.RenewalInterval = TimeSpan.FromMinutes(-1),
        ["renewal not shorter than idle"] = o => o.RenewalInterval = TimeSpan.FromMinutes(30),
        ["skew 10 min"] = o => o.ClockSkewTolerance = TimeSpan.FromMinutes(10),
        ["limit 0"] = o => o.MaxSessionsPerUser = 0,
        ["limit 1001"] = o => o.MaxSessionsPerUser = 1001,
        ["limit mode undefined"] = o => o.LimitMode = (SessionLimitMode)7,
        ["user id length 0"] = o => o.MaxUserIdLength = 0,
        ["data entries -1"] = o => o.MaxDataEntries = -1,
        ["devices 0"] = o => o.MaxKnownDevicesPerUser = 0,
        ["allowed but 500 days"] = o => { o.AllowLongLivedSessions = true; o.AbsoluteLifetime = TimeSpan.FromDays(500); },
    };

    public static TheoryData<string> Invalid() => [.. s_invalid.Keys];

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Build_OutOfBounds_FailsAtStartUp(string change)
    {
        SessionOptions options = new();
        s_invalid[change](options);
        SessionManagerBuilder builder = new() { Store = new InMemorySessionStore(), Options = options };

        Assert.ThrowsAny<ArgumentException>(() => builder.Build());
    }

    [Fact]
    public void Build_SeveralProblems_ReportsEveryOneAtOnce()
    {
        SessionOptions options = new()
        {
            IdleTimeout = TimeSpan.FromHours(13),
            ClockSkewTolerance = TimeSpan.FromMinutes(10),
            MaxSessionsPerUser = 0,
            MaxKnownDevicesPerUser = 0,
            MaxDataEntries = -1,
        };
        SessionManagerBuilder builder = new() { Store = new InMemorySessionStore(), Options = options };

        ArgumentException error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.StartsWith("The options have 5 problems:", error.Message, StringComparison.Ordinal);
        Assert.Contains("IdleTimeout must not be longer than AbsoluteLifetime", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.ClockSkewTolerance", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.MaxKnownDevicesPerUser", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.MaxDataEntries", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSessionsPerUser must be null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ValueOutOfRange_NotReportedAgainAsContradiction()
    {
        // An idle timeout of 0 is out of range; that it is "not longer than the renewal interval" is not a second problem.
        SessionOptions options = new() { IdleTimeout = TimeSpan.Zero };

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new SessionManagerBuilder { Store = new InMemorySessionStore(), Options = options }.Build());

        Assert.Equal("options.IdleTimeout", error.ParamName);
    }

    [Fact]
    public void Build_OneProblem_ThrowsThatProblemAlone()
    {
        SessionOptions options = new() { ClockSkewTolerance = TimeSpan.FromMinutes(10) };

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new SessionManagerBuilder { Store = new InMemorySessionStore(), Options = options }.Build());

        Assert.Equal("options.ClockSkewTolerance", error.ParamName);
    }

    [Fact]
    public void AddSessionCore_SeveralProblems_ReportsEveryOneAtOnce()
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollection services = new();

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            Microsoft.Extensions.DependencyInjection.SessionCoreServiceCollectionExtensions.AddSessionCore(services, o => (o.MaxUserIdLength, o.MaxDataLength) = (0, -1)));

        Assert.Contains("options.MaxUserIdLength", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.MaxDataLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MonthsLongLifetimeExplicitlyAllowed_Accepted()
    {
        SessionOptions options = new() { AbsoluteLifetime = TimeSpan.FromDays(90), AllowLongLivedSessions = true };

        Assert.NotNull(new SessionManagerBuilder { Store = new InMemorySessionStore(), Options = options }.Build());
    }

    [Fact]
    public void Build_MonthsLongLifetime_ErrorTellsHowToAllowIt()
    {
        SessionOptions options = new() { AbsoluteLifetime = TimeSpan.FromDays(90) };

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new SessionManagerBuilder { Store = new InMemorySessionStore(), Options = options }.Build());
        Assert.Contains(nameof(SessionOptions.AllowLongLivedSessions), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_OptionsChangedAfterwards_HaveNoEffect()
    {
        SessionOptions options = new();
        InMemorySessionStore store = new();
        SessionManager manager = new SessionManagerBuilder { Store = store, Options = options }.Build();
        options.AbsoluteLifetime = TimeSpan.FromMinutes(5);

        SignInResult result = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromHours(12), result.Session!.AbsoluteExpiresAt - result.Session.CreatedAt);
    }

    [Fact]
    public void Build_WithoutStore_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new SessionManagerBuilder().Build());
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        SessionManagerBuilder builder = new() { Store = new InMemorySessionStore() };
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }
}
