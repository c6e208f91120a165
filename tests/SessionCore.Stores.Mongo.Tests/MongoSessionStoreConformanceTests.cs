using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using MongoDB.Driver;
using SessionCore.StoreConformance;
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

    protected override async ValueTask<ISessionStore> CreateStoreAsync()
    {
        string? uri = Environment.GetEnvironmentVariable(UriVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(uri), $"No MongoDB server configured: set {UriVariable} to run the MongoDB conformance suite.");
        _client ??= new MongoClient(uri);
        MongoSessionStore store = new(_client.GetDatabase(_databaseName));
        await store.EnsureIndexesAsync(TestContext.Current.CancellationToken);
        return store;
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_client is not null)
        {
            await _client.DropDatabaseAsync(_databaseName);
            _client.Dispose();
        }
    }
}
