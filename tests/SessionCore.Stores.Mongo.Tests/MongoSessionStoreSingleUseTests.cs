using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using SessionCore.DependencyInjection;
using Xunit;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>The shape of the single-use collection's operations, which docs/stores/mongo.md describes.</summary>
public sealed class MongoSessionStoreSingleUseTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Fact]
    public void SingleUseFilter_MatchesTheKeyOnlyWhenExpired()
    {
        SingleUseKey key = SingleUseKey.Create("dpop-jti", "https://api.example", "jti");

        BsonDocument filter = MongoSessionStore.SingleUseFilter(key, T0).Render(Args);

        Assert.Equal(new BsonDocument { ["_id"] = key.ToString(), ["exp"] = new BsonDocument("$lte", T0.UtcTicks) }, filter);
    }

    [Fact]
    public void SingleUseUpdate_SetsExpiryTicksAndATtlDateFiveMinutesLater()
    {
        BsonDocument update = MongoSessionStore.SingleUseUpdate(T0.AddSeconds(66)).Render(Args).AsBsonDocument;

        BsonDocument set = update["$set"].AsBsonDocument;
        Assert.Equal(T0.AddSeconds(66).UtcTicks, set["exp"].AsInt64);
        Assert.Equal(T0.AddSeconds(66).AddMinutes(5).UtcDateTime, set["del"].ToUniversalTime());
    }

    [Fact]
    public void SingleUseIndexes_AreOneTtlIndexOnTheDeletionDate()
    {
        CreateIndexModel<BsonDocument> index = Assert.Single(MongoSessionStore.SingleUseIndexes());

        Assert.Equal("single_use_ttl", index.Options.Name);
        Assert.Equal(TimeSpan.Zero, index.Options.ExpireAfter);
        Assert.Equal(new BsonDocument("del", 1), index.Keys.Render(Args));
    }

    [Fact]
    public void Constructor_EmptySingleUseCollectionName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MongoSessionStore(Fake.FakeMongoDatabase.Create(), new MongoSessionStoreOptions { SingleUseCollectionName = " " }));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddMongoStore(o => { o.ConnectionString = "mongodb://x"; o.SingleUseCollectionName = ""; }));
    }
}
