using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using SessionCore.DependencyInjection;
using SessionCore.Sessions;
using SessionCore.Stores.Mongo.Internal;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>What can be checked without a server: mapping, the rendered filters and updates, the indexes, failure wrapping.</summary>
public sealed class MongoSessionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Fact]
    public void Mapper_UserSessions_RoundTripsEveryField()
    {
        Session session = NewSession("a:b{c}$d.e*") with
        {
            CreatedAt = T0.AddTicks(7),
            Device = new SessionDevice("agent", null, "dev"),
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["$where"] = "1", ["a.b"] = "" },
            RevokedAt = T0.AddTicks(9),
            RevocationReason = RevocationReason.Evicted,
            SecurityEpoch = 5,
            Version = 2,
        };
        RefreshFamily family = NewFamily(session) with
        {
            Generation = 2,
            PreviousTokenHash = "prev",
            RotatedAt = T0.AddMinutes(1),
            SpentTokenHashes = ["spent"],
            Version = 4,
        };
        UserSessions set = new(session.UserId, 6, [session], [family]);

        BsonDocument doc = MongoMapper.ToDocument(set);
        UserSessions back = MongoMapper.ToUserSessions(doc);

        Assert.Equal(MongoMapper.UserKeyOf(session.UserId), doc["_id"].AsString);
        Assert.Equal(7, doc["v"].AsInt64);
        Assert.Equal(7, back.Version);
        Session s = Assert.Single(back.Sessions);
        Assert.Equal(session.Data, s.Data);
        Assert.Equal(session with { Data = s.Data }, s);
        RefreshFamily f = Assert.Single(back.Families);
        Assert.Equal(family.SpentTokenHashes, f.SpentTokenHashes);
        Assert.Equal(family.SealedCurrentToken.ToArray(), f.SealedCurrentToken.ToArray());
        Assert.Equal(family with { SpentTokenHashes = f.SpentTokenHashes, SealedCurrentToken = f.SealedCurrentToken }, f);
    }

    [Fact]
    public void Mapper_Family_IndexesEveryTokenHash()
    {
        RefreshFamily family = NewFamily(NewSession("u")) with { PreviousTokenHash = "prev", SpentTokenHashes = ["s1", "s2"] };

        BsonDocument doc = MongoMapper.ToDocument(family);

        Assert.Equal(new BsonArray { family.CurrentTokenHash, "prev", "s1", "s2" }, doc["th"].AsBsonArray);
        Assert.Equal(family.SessionId.ToString(), doc["s"].AsString);
        Assert.Equal(BsonType.Int64, doc["ae"].BsonType);
    }

    [Fact]
    public void Mapper_UserSessions_PurgeAndTtlFieldsTrackTheRecords()
    {
        Session live = NewSession("u");
        Session revoked = NewSession("u") with { RevokedAt = T0, RevocationReason = RevocationReason.Logout, AbsoluteExpiresAt = T0.AddHours(20) };
        UserSessions set = new("u", 0, [live, revoked], [NewFamily(live)]);

        BsonDocument doc = MongoMapper.ToDocument(set);

        Assert.Equal(live.IdleExpiresAt.UtcTicks, doc["nx"].AsInt64);
        Assert.Equal(T0.AddHours(20).UtcDateTime, doc["exp"].ToUniversalTime());
        Assert.Equal(BsonType.DateTime, doc["exp"].BsonType);
    }

    [Fact]
    public void Mapper_UserKey_IsFixedLengthForAKilobyteId()
    {
        string huge = string.Concat(Enumerable.Repeat("😀", 600));

        Assert.Equal(43, MongoMapper.UserKeyOf(huge).Length);
        Assert.NotEqual(MongoMapper.UserKeyOf("a"), MongoMapper.UserKeyOf("A"));
    }

    [Fact]
    public void SwapFilter_Plain_MatchesIdAndVersionOnly()
    {
        BsonDocument rendered = MongoSessionStore.SwapFilter("key", 41, null).Render(Args);

        Assert.Equal(BsonDocument.Parse("{ _id: 'key', v: NumberLong(41) }"), rendered);
    }

    [Fact]
    public void SwapFilter_Redemption_AlsoRequiresPresentedHashStillCurrent()
    {
        BsonDocument rendered = MongoSessionStore.SwapFilter("key", 3, "hash").Render(Args);

        Assert.Equal(BsonDocument.Parse("{ _id: 'key', v: NumberLong(3), fam: { $elemMatch: { ch: 'hash', ra: null } } }"), rendered);
    }

    [Fact]
    public void LocatingFilters_UseTheIndexedPaths()
    {
        SessionId id = NewId();

        Assert.Equal(new BsonDocument("ss._id", id.ToString()), MongoSessionStore.BySession(id).Render(Args));
        Assert.Equal(new BsonDocument("fam.th", "h"), MongoSessionStore.ByToken("h").Render(Args));
        Assert.Equal(new BsonDocument("fam._id", "f"), MongoSessionStore.ByFamily("f").Render(Args));
        Assert.Equal(new BsonDocument("_id", MongoMapper.UserKeyOf("{\"$ne\":null}")), MongoSessionStore.ByUser("{\"$ne\":null}").Render(Args));
        Assert.Equal(BsonDocument.Parse($"{{ nx: {{ $lte: NumberLong({T0.UtcTicks}) }} }}"), MongoSessionStore.PurgeFilter(T0).Render(Args));
    }

    [Fact]
    public void EpochIncrement_IsOneAtomicIncWithUpsertDefaults()
    {
        BsonValue rendered = MongoSessionStore.EpochIncrement("user").Render(Args);

        Assert.Equal(BsonDocument.Parse("{ $inc: { ep: NumberLong(1) }, $setOnInsert: { u: 'user', kd: [], v: NumberLong(0) } }"), rendered);
    }

    [Fact]
    public void DevicesUpdate_SetsDevicesAndBumpsVersion()
    {
        BsonValue rendered = MongoSessionStore.DevicesUpdate([new BsonDocument("k", "x")]).Render(Args);

        Assert.Equal(BsonDocument.Parse("{ $set: { kd: [ { k: 'x' } ] }, $inc: { v: NumberLong(1) } }"), rendered);
    }

    [Fact]
    public void SessionIndexes_CoverLookupsPurgeAndTtl()
    {
        Dictionary<string, CreateIndexModel<BsonDocument>> indexes = MongoSessionStore.SessionIndexes().ToDictionary(i => i.Options.Name);

        Assert.Equal(["session_id", "refresh_token_hash", "refresh_family_id", "next_purge", "ttl"], indexes.Keys);
        Assert.Equal(new BsonDocument("ss._id", 1), indexes["session_id"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("fam.th", 1), indexes["refresh_token_hash"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("fam._id", 1), indexes["refresh_family_id"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("nx", 1), indexes["next_purge"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("exp", 1), indexes["ttl"].Keys.Render(Args));
        Assert.Equal(TimeSpan.Zero, indexes["ttl"].Options.ExpireAfter);
        Assert.All(indexes.Values.Where(i => i.Options.Name != "ttl"), i => Assert.Null(i.Options.ExpireAfter));
    }

    [Fact]
    public async Task UnreachableServer_Primitive_ThrowsSessionStoreExceptionWithoutData()
    {
        using MongoClient client = new(UnreachableUri);
        MongoSessionStore store = new(client.GetDatabase("sessioncore"));

        SessionStoreException ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.ListUserSessionsAsync("secret-user", T0, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.IncrementSecurityEpochAsync("secret-user", TestContext.Current.CancellationToken));

        Assert.DoesNotContain("secret-user", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task UnreachableServer_SessionManager_ReturnsStoreUnavailable()
    {
        using MongoClient client = new(UnreachableUri);
        SessionManager manager = new SessionManagerBuilder { Store = new MongoSessionStore(client.GetDatabase("sessioncore")), TimeProvider = new FakeTimeProvider(T0) }.Build();

        SignInResult signIn = await manager.SignInAsync(new SignInRequest("user"), TestContext.Current.CancellationToken);
        SessionValidationResult validation = await manager.ValidateAsync("sc_" + new string('A', 43), TestContext.Current.CancellationToken);

        Assert.Equal(SignInStatus.StoreUnavailable, signIn.Status);
        Assert.Equal(SessionValidationStatus.StoreUnavailable, validation.Status);
    }

    [Fact]
    public void AddMongoStore_WithConnectionString_ResolvesTheStore()
    {
        ServiceCollection services = new();
        services.AddSessionCore().AddMongoStore(o => o.ConnectionString = "mongodb://localhost:27017/?replicaSet=rs0");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<MongoSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.NotNull(provider.GetRequiredService<SessionManager>());
    }

    [Fact]
    public void AddMongoStore_NoConnectionStringOrClient_ThrowsAtRegistration()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddMongoStore(_ => { }));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddMongoStore(o => { o.ConnectionString = "mongodb://x"; o.DatabaseName = " "; }));
    }

    [Fact]
    public async Task Writes_UserWhoKeepsSigningIn_DocumentStaysBounded()
    {
        IMongoDatabase database = Fake.FakeMongoDatabase.Create();
        FakeTimeProvider time = new(T0);
        SessionManager manager = new SessionManagerBuilder
        {
            Store = new MongoSessionStore(database),
            TimeProvider = time,
            Options = new SessionOptions { MaxSessionsPerUser = 5 },
        }.Build();

        // 600 sign-ins ten minutes apart (100 hours), every other one signed out at once: without pruning on
        // write the one document would hold all 600 records, since the TTL index never sees it idle.
        for (int i = 0; i < 600; i++)
        {
            SignInResult signIn = await manager.SignInAsync(new SignInRequest("busy-user"), TestContext.Current.CancellationToken);
            Assert.True(signIn.IsSuccess);
            if (i % 2 == 0)
            {
                await manager.RevokeAsync(signIn.Value.Reveal(), cancellationToken: TestContext.Current.CancellationToken);
            }

            time.Advance(TimeSpan.FromMinutes(10));
        }

        BsonDocument doc = await database.GetCollection<BsonDocument>("user_sessions").Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(TestContext.Current.CancellationToken);

        // Records stay while they can matter (the 12-hour absolute lifetime) plus the one-day lag: 36 hours of
        // sign-ins at six an hour.
        Assert.InRange(doc["ss"].AsBsonArray.Count, 5, 217);
    }

    [Fact]
    public async Task Swap_DocumentDeletedAndCreatedAgain_StaleVersionNeverMatches()
    {
        IMongoDatabase database = Fake.FakeMongoDatabase.Create();
        MongoSessionStore store = new(database);
        IMongoCollection<BsonDocument> collection = database.GetCollection<BsonDocument>("user_sessions");
        Session first = NewSession("aba-user");
        await store.CreateAsync(first, SessionLimit.None, T0, TestContext.Current.CancellationToken);
        BsonDocument stale = await collection.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(TestContext.Current.CancellationToken);

        // The only session expires and is purged, which deletes the document; the user signs in again and the
        // new document is written as many times as the stale reader's version suggests.
        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddHours(13), TestContext.Current.CancellationToken));
        Assert.Empty(await collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken));
        Session second = NewSession("aba-user") with { CreatedAt = T0.AddHours(13), LastSeenAt = T0.AddHours(13), AuthenticatedAt = T0.AddHours(13), IdleExpiresAt = T0.AddHours(14), AbsoluteExpiresAt = T0.AddHours(25) };
        await store.CreateAsync(second, SessionLimit.None, T0.AddHours(13), TestContext.Current.CancellationToken);
        Assert.True(await store.RevokeAsync(second.Id, RevocationReason.PasswordChanged, T0.AddHours(13), TestContext.Current.CancellationToken));
        BsonDocument current = await collection.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(TestContext.Current.CancellationToken);

        ReplaceOneResult staleWrite = await collection.ReplaceOneAsync(
            MongoSessionStore.SwapFilter(stale["_id"], stale["v"].AsInt64, null),
            stale,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(stale["v"].AsInt64, current["v"].AsInt64);
        Assert.NotEqual(stale["v"].AsInt64 + 1, current["v"].AsInt64);
        Assert.Equal(0, staleWrite.MatchedCount);
        Assert.True((await store.FindAsync(second.Id, TestContext.Current.CancellationToken))!.IsRevoked);
    }

    [Fact]
    public async Task RevokeUserSessions_IdSharingTheDocumentKey_RevokesNothingOfTheOtherUser()
    {
        // A lone surrogate becomes U+FFFD in UTF-8, so these two ids hash to the same document key.
        MongoSessionStore store = new(Fake.FakeMongoDatabase.Create());
        string owner = "bob" + '\uFFFD';
        string lookalike = "bob" + (char)0xD800;
        Session session = NewSession(owner);
        await store.CreateAsync(session, SessionLimit.None, T0, TestContext.Current.CancellationToken);

        IReadOnlyList<SessionId> revoked = await store.RevokeUserSessionsAsync(lookalike, null, RevocationReason.Administrative, T0, TestContext.Current.CancellationToken);

        Assert.Empty(revoked);
        Assert.False((await store.FindAsync(session.Id, TestContext.Current.CancellationToken))!.IsRevoked);
        Assert.Empty(await store.ListUserSessionsAsync(lookalike, T0, TestContext.Current.CancellationToken));
    }

    private static string UnreachableUri => "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300&directConnection=true";

    private static SessionId NewId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    private static Session NewSession(string userId) => new()
    {
        Id = NewId(),
        UserId = userId,
        CreatedAt = T0,
        LastSeenAt = T0,
        AuthenticatedAt = T0,
        IdleExpiresAt = T0.AddMinutes(30),
        AbsoluteExpiresAt = T0.AddHours(12),
    };

    private static RefreshFamily NewFamily(Session session) => new()
    {
        FamilyId = "family-1",
        SessionId = session.Id,
        UserId = session.UserId,
        CreatedAt = T0,
        AbsoluteExpiresAt = T0.AddHours(8),
        CurrentTokenHash = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
        CurrentIssuedAt = T0,
        CurrentIdleExpiresAt = T0.AddHours(1),
        SealedCurrentToken = new byte[] { 9, 8, 7 },
    };
}
