using System.Collections.Generic;
using System.Threading.Tasks;
using MongoDB.Driver;
using SessionCore.StoreConformance;
using SessionCore.Stores.Mongo.Tests.Fake;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>
/// The MongoDB store's logic (mapping, read-decide-swap loops, retries) against the conformance suite, on an
/// in-process stand-in for the collection operations it uses. It runs everywhere; the real server runs in
/// <see cref="MongoSessionStoreConformanceTests"/> when SESSIONCORE_MONGO_URI is set.
/// </summary>
public sealed class MongoSessionStoreOnFakeServerConformanceTests : SessionStoreConformanceTests
{
    private readonly Dictionary<ISessionStore, IMongoDatabase> _databases = [];

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
}
