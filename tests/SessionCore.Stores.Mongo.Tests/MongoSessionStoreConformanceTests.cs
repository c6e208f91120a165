using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionCore.StoreConformance;
using SessionCore.Stores.Mongo.Internal;
using SessionCore.Stores.Tests;
using Xunit;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>
/// The MongoDB store against the public conformance suite. Needs a server: set SESSIONCORE_MONGO_URI (for
/// example mongodb://localhost:27017); without it every test skips at run time, saying so.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private const string UriVariable = "SESSIONCORE_MONGO_URI";
    private readonly string _databaseName = "sessioncore_test_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
    private MongoClient? _client;

    /// <summary>The stored size of a family: its element of the user's document, as BSON (the token-hash index holds its "th" array).</summary>
    internal static async Task<long?> StoredFamilySizeAsync(IMongoDatabase database, RefreshFamily family)
    {
        BsonDocument doc = await database.GetCollection<BsonDocument>("user_sessions")
            .Find(MongoSessionStore.ByToken(family.CurrentTokenHash))
            .SingleAsync(TestContext.Current.CancellationToken);
        return doc[MongoMapper.Families].AsBsonArray.Single(f => f[MongoMapper.Id] == family.FamilyId.ToString()).AsBsonDocument.ToBson().Length;
    }

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        string? uri = Environment.GetEnvironmentVariable(UriVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(uri), $"No MongoDB server configured: set {UriVariable} to run the MongoDB conformance suite.");
        _client ??= new MongoClient(uri);
        MongoSessionStore store = new(_client.GetDatabase(_databaseName));
        await store.EnsureIndexesAsync(TestContext.Current.CancellationToken);
        return store;
    }

    protected override ValueTask<bool> InjectFaultAfterWritesAsync(ISessionStore store, int writes)
    {
        ((MongoSessionStore)store).RecordsInterceptor = FaultingRecords.Once(writes);
        return ValueTask.FromResult(true);
    }

    protected override async ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family) =>
        await StoredFamilySizeAsync(_client!.GetDatabase(_databaseName), family);

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_client is not null)
        {
            await _client.DropDatabaseAsync(_databaseName);
            _client.Dispose();
        }
    }
}
