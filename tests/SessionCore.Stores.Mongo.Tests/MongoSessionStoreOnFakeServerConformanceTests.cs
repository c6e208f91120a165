using System.Collections.Generic;
using System.Threading.Tasks;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionCore.StoreConformance;
using SessionCore.Stores.Mongo.Internal;
using SessionCore.Stores.Mongo.Tests.Fake;
using SessionCore.Stores.Tests;
using Xunit;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>
/// The MongoDB store's logic (mapping, read-decide-swap loops, retries) against the conformance suite, on an in-process
/// stand-in for the collection operations it uses. It runs everywhere; the real server runs in
/// <see cref="MongoSessionStoreConformanceTests"/> when SESSIONCORE_MONGO_URI is set. What the stand-in cannot show (unique
/// indexes, a server's concurrency) only the real server proves.
/// </summary>
public sealed class MongoSessionStoreOnFakeServerConformanceTests : SessionStoreConformanceTests
{
    private readonly Dictionary<ISessionStore, IMongoDatabase> _databases = [];

    [Fact]
    public void EveryStoreOfTheAdapter_HasAConformanceSuite() =>
        Assert.Empty(ConformanceSuites.StoresWithoutSuite(typeof(MongoSessionStore).Assembly, typeof(MongoSessionStoreOnFakeServerConformanceTests).Assembly));

    protected override ValueTask<ISessionStore> CreateStoreAsync()
    {
        IMongoDatabase database = FakeMongoDatabase.Create();
        MongoSessionStore store = new(database);
        _databases.Add(store, database);
        return ValueTask.FromResult<ISessionStore>(store);
    }

    protected override ValueTask<bool> MakeUnavailableAsync(ISessionStore store)
    {
        ((FakeMongoDatabase.DatabaseProxy)(object)_databases[store]).Unavailable = true;
        return ValueTask.FromResult(true);
    }

    protected override ValueTask<bool> InjectFaultAfterWritesAsync(ISessionStore store, int writes)
    {
        ((MongoSessionStore)store).RecordsInterceptor = FaultingRecords.Once(writes);
        return ValueTask.FromResult(true);
    }

    protected override async ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family) =>
        await MongoSessionStoreConformanceTests.StoredFamilySizeAsync(_databases[store], family);
}
