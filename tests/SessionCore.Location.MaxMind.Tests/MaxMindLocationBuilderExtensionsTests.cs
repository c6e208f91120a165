using System;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.DependencyInjection;
using SessionCore.Risk;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

public sealed class MaxMindLocationBuilderExtensionsTests
{
    [Fact]
    public void AddMaxMindLocation_GoodFiles_RegistersTheProvider()
    {
        ServiceCollection services = new();
        services.AddSessionCore().AddInMemoryStore().AddMaxMindLocation(o =>
        {
            o.CityDatabasePath = TestFiles.City;
            o.AsnDatabasePath = TestFiles.Asn;
        });

        using (ServiceProvider container = services.BuildServiceProvider())
        {
            ILocationProvider provider = container.GetRequiredService<ILocationProvider>();
            Assert.Same(container.GetRequiredService<MaxMindLocationProvider>(), provider);
            Assert.Equal("Linköping", provider.Lookup(IPAddress.Parse("89.160.20.112")).Value.City);
        }
    }

    [Fact]
    public void AddMaxMindLocation_BrokenFile_FailsAtRegistration()
    {
        ServiceCollection services = new();
        SessionCoreBuilder builder = services.AddSessionCore();

        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => builder.AddMaxMindLocation(o => o.CityDatabasePath = TestFiles.BrokenDouble));

        Assert.Equal(MaxMindDatabaseProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public void AddMaxMindLocation_BadArguments_Throw()
    {
        SessionCoreBuilder builder = new ServiceCollection().AddSessionCore();
        Assert.Throws<ArgumentNullException>(() => MaxMindSessionCoreBuilderExtensions.AddMaxMindLocation(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddMaxMindLocation(null!));
        Assert.Throws<ArgumentException>(() => builder.AddMaxMindLocation(_ => { }));
    }

    [Fact]
    public void AddMaxMindLocation_OptionsChangedAfterwards_ChangeNothing()
    {
        ServiceCollection services = new();
        MaxMindLocationOptions? captured = null;
        services.AddSessionCore().AddInMemoryStore().AddMaxMindLocation(o =>
        {
            o.CityDatabasePath = TestFiles.City;
            captured = o;
        });
        captured!.CityDatabasePath = TestFiles.BrokenDouble;

        using ServiceProvider container = services.BuildServiceProvider();
        Assert.Equal(TestFiles.City, container.GetRequiredService<MaxMindLocationProvider>().City!.Path);
    }
}
