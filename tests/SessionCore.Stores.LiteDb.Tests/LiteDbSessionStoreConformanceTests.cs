using System.Threading.Tasks;
using SessionCore.StoreConformance;

namespace SessionCore.Stores.LiteDb.Tests;

/// <summary>The LiteDB store against the public conformance suite, on a real file in a temp folder.</summary>
public sealed class LiteDbSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly TempFolder _folder = new();
    private int _files;

    protected override ValueTask<ISessionStore> CreateStoreAsync() =>
        ValueTask.FromResult<ISessionStore>(new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _folder.File($"sessions-{++_files}.db"), PurgeInterval = null }));

    // Closing the database under the store is what a lost disk or a yanked volume looks like to the driver.
    protected override ValueTask<bool> MakeUnavailableAsync(ISessionStore store)
    {
        ((LiteDbSessionStore)store).Database.Dispose();
        return ValueTask.FromResult(true);
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
