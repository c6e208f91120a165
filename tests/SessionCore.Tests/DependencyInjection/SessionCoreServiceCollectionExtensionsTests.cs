using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.DependencyInjection;

public sealed class SessionCoreServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddSessionCore_WithInMemoryStore_ResolvesAWorkingSingleton()
    {
        FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        RecordingEventSink events = new();
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ISessionEventSink>(events);
        services.AddSessionCore(o => o.IdleTimeout = TimeSpan.FromMinutes(10)).AddInMemoryStore();
        await using ServiceProvider provider = services.BuildServiceProvider();

        SessionManager manager = provider.GetRequiredService<SessionManager>();
        Assert.Same(manager, provider.GetRequiredService<SessionManager>());
        Assert.Same(time, manager.TimeProvider);

        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(10), signIn.Session!.IdleExpiresAt);
        Assert.Single(events.OfType<SessionCreated>());
    }

    [Fact]
    public void AddSessionCore_InvalidOptions_FailsAtRegistration()
    {
        ServiceCollection services = new();

        Assert.ThrowsAny<ArgumentException>(() => services.AddSessionCore(o => o.AbsoluteLifetime = TimeSpan.FromDays(365)));
    }

    [Fact]
    public void AddSessionCore_NoStore_ResolutionExplains()
    {
        ServiceCollection services = new();
        services.AddSessionCore();
        using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<SessionManager>());
        Assert.Contains("store", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AddInMemoryStore_ReplacesAnEarlierStore()
    {
        ServiceCollection services = new();
        services.AddSingleton<ISessionStore>(new DelegatingStore(new InMemorySessionStore()));
        services.AddSessionCore().AddInMemoryStore();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<InMemorySessionStore>(provider.GetRequiredService<ISessionStore>());
    }

    [Fact]
    public void AddSessionCore_Twice_Throws()
    {
        ServiceCollection services = new();
        services.AddSessionCore();

        Assert.Throws<InvalidOperationException>(() => services.AddSessionCore(o => o.IdleTimeout = TimeSpan.FromMinutes(5)));
    }
}
