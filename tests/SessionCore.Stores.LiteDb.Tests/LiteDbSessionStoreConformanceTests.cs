using System.Threading.Tasks;
using LiteDB;
using SessionCore.StoreConformance;
using SessionCore.Stores.Tests;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

/// <summary>
/// The LiteDB store against the public conformance suite, on a real file in a temp folder: the backend is taken away by
/// closing the database under the store, faults are injected between the writes of one transaction, and a family's stored
/// size is its document plus its token-index documents, as LiteDB serializes them.
/// </summary>
public sealed class LiteDbSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly TempFolder _folder = new();
    private int _files;

    [Fact]
    public void EveryStoreOfTheAdapter_HasAConformanceSuite() =>
        Assert.Empty(ConformanceSuites.StoresWithoutSuite(typeof(LiteDbSessionStore).Assembly, typeof(LiteDbSessionStoreConformanceTests).Assembly));

    protected override ValueTask<ISessionStore> CreateStoreAsync() =>
        ValueTask.FromResult<ISessionStore>(new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _folder.File($"sessions-{++_files}.db"), PurgeInterval = null }));

    // Closing the database under the store is what a lost disk or a yanked volume looks like to the driver.
    protected override ValueTask<bool> MakeUnavailableAsync(ISessionStore store)
    {
        ((LiteDbSessionStore)store).Database.Dispose();
        return ValueTask.FromResult(true);
    }

    protected override ValueTask<bool> InjectFaultAfterWritesAsync(ISessionStore store, int writes)
    {
        ((LiteDbSessionStore)store).RecordsInterceptor = FaultingRecords.Once(writes);
        return ValueTask.FromResult(true);
    }

    protected override ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family)
    {
        LiteDatabase db = ((LiteDbSessionStore)store).Database;
        long size = BsonSerializer.Serialize(db.GetCollection("refresh_families").FindById(family.FamilyId.ToString())).Length;
        foreach (Tokens.RefreshTokenHash hash in family.TokenHashes)
        {
            size += BsonSerializer.Serialize(db.GetCollection("refresh_tokens").FindById(hash.ToString())).Length;
        }

        return ValueTask.FromResult<long?>(size);
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
