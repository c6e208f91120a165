using SessionCore.StoreConformance;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Stores;

public sealed class ConformanceSuitesTests
{
    [Fact]
    public void EveryStoreOfTheCore_HasAConformanceSuite() =>
        Assert.Empty(ConformanceSuites.StoresWithoutSuite(typeof(InMemorySessionStore).Assembly, typeof(ConformanceSuitesTests).Assembly));

    [Fact]
    public void StoresWithoutSuite_AssemblyWithoutSuites_ListsTheCoreStores() =>
        Assert.Equal([typeof(InMemorySessionStore), typeof(SessionCore.Scale.CachingSessionStore)], ConformanceSuites.StoresWithoutSuite(typeof(InMemorySessionStore).Assembly, typeof(ConformanceSuites).Assembly));
}
