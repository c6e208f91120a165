using System.Threading.Tasks;
using SessionCore.StoreConformance;
using SessionCore.Stores;

namespace SessionCore.Tests.Stores;

/// <summary>The reference store against the public conformance suite. It has no backend to take down, so the failure tests skip.</summary>
public sealed class InMemorySessionStoreConformanceTests : SessionStoreConformanceTests
{
    protected override ValueTask<ISessionStore> CreateStoreAsync() => ValueTask.FromResult<ISessionStore>(new InMemorySessionStore());
}
