using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionCore.DependencyInjection;
using SessionCore.Dpop;
using SessionCore.Stores;
using SessionCore.Tests.Dpop;
using Xunit;

namespace SessionCore.Tests.DependencyInjection;

public sealed class DpopSessionCoreBuilderExtensionsTests
{
    [Fact]
    public async Task AddDpop_WithStoreAndClock_ResolvesAValidatorThatUsesThem()
    {
        using DpopKit kit = new();
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(kit.Time);
        services.AddSessionCore().AddInMemoryStore().AddDpop(o => o.ReplayScope = DpopKit.Scope);
        await using ServiceProvider provider = services.BuildServiceProvider();

        DpopProofValidator validator = provider.GetRequiredService<DpopProofValidator>();
        DpopKit.ProofSpec spec = kit.Spec(kit.Es256);
        string proof = spec.Build();

        Assert.Same(validator, provider.GetRequiredService<DpopProofValidator>());
        Assert.True((await validator.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).IsSuccess);
        Assert.Equal(DpopProofStatus.Replayed, (await validator.ValidateAsync(spec.Request(proof), TestContext.Current.CancellationToken)).Status);
        Assert.Equal(1, ((InMemorySessionStore)provider.GetRequiredService<ISessionStore>()).SingleUseCount);
    }

    [Fact]
    public void AddDpop_InvalidOptions_FailsAtRegistration()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddDpop(_ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddSessionCore().AddDpop(o => { o.ReplayScope = "s"; o.MaxProofAge = TimeSpan.Zero; }));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddSessionCore().AddDpop(null!));
    }

    [Fact]
    public void AddDpop_NoStore_FailsOnResolve()
    {
        ServiceCollection services = new();
        services.AddSessionCore().AddDpop(o => o.ReplayScope = "s");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DpopProofValidator>());
    }
}
