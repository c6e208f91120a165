using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using SessionCore.Sessions;
using SessionCore.Stores.Mongo.Internal;
using SessionCore.Stores.Mongo.Tests.Fake;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.Mongo.Tests;

/// <summary>What can be checked without a server: mapping, the rendered filters, the indexes, round trips and failure wrapping.</summary>
public sealed class MongoSessionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly SessionRules Rules = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Mapper_UserRecords_RoundTripsEveryField()
    {
        Session session = NewSession("a:b{c}$d.e*") with
        {
            CreatedAt = T0.AddTicks(7),
            Device = new SessionDevice("agent", null, "dev"),
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["$where"] = "1", ["a.b"] = "" },
            AuthenticationMethods = ["pwd", "otp"],
            KeyBinding = new SessionKeyBinding("jkt", "{\"kty\":\"EC\"}", T0.AddTicks(3)),
            RevokedAt = T0.AddTicks(9),
            RevocationReason = RevocationReason.Evicted,
            SecurityEpoch = 5,
            Version = 2,
        };
        RefreshFamily family = NewFamily(session) with
        {
            ClientId = "client",
            KeyThumbprint = "dpop-jkt",
            Generation = 2,
            PreviousTokenHash = NewHash(),
            RotatedAt = T0.AddMinutes(1),
            SpentTokenHashes = [NewHash()],
            Version = 4,
        };
        KnownDevice device = new("k", "dh", "Firefox", "2001:db8::/48", T0, T0.AddTicks(1));
        UserRecords records = new(session.UserId, 6, 7, [device], [session], [family], null);

        BsonDocument doc = MongoMapper.ToDocument(records);
        UserRecords back = MongoMapper.ToRecords(doc, T0.AddTicks(11));

        Assert.Equal(MongoMapper.UserKeyOf(session.UserId), doc["_id"].AsString);
        Assert.Equal(7, doc["v"].AsInt64);
        Assert.Equal(7, back.Version);
        Assert.Equal(7, back.Epoch);
        Assert.Equal(T0.AddTicks(11), back.RevokedBefore);
        Assert.Equal(device, Assert.Single(back.Devices));
        Session s = Assert.Single(back.Sessions);
        Assert.Equal(session.Data, s.Data);
        Assert.Equal(session.AuthenticationMethods, s.AuthenticationMethods);
        Assert.Equal(session with { Data = s.Data, AuthenticationMethods = s.AuthenticationMethods }, s);
        RefreshFamily f = Assert.Single(back.Families);
        Assert.Equal(family.SpentTokenHashes, f.SpentTokenHashes);
        Assert.Equal(family.SealedCurrentToken.ToArray(), f.SealedCurrentToken.ToArray());
        Assert.Equal(family with { SpentTokenHashes = f.SpentTokenHashes, SealedCurrentToken = f.SealedCurrentToken }, f);
    }

    [Fact]
    public void Mapper_Family_IndexesEveryTokenHash()
    {
        RefreshFamily family = NewFamily(NewSession("u")) with { PreviousTokenHash = NewHash(), SpentTokenHashes = [NewHash(), NewHash()] };

        BsonDocument doc = MongoMapper.ToDocument(family);

        Assert.Equal(new BsonArray(family.TokenHashes.Select(h => h.ToString())), doc["th"].AsBsonArray);
        Assert.Equal(4, doc["th"].AsBsonArray.Count);
        Assert.Equal(family.SessionId.ToString(), doc["s"].AsString);
        Assert.Equal(BsonType.Int64, doc["ae"].BsonType);
    }

    [Fact]
    public void Mapper_UserRecords_PurgeAndTtlFieldsTrackTheRecords()
    {
        Session live = NewSession("u");
        Session revoked = NewSession("u") with { RevokedAt = T0, RevocationReason = RevocationReason.Logout, AbsoluteExpiresAt = T0.AddHours(20) };

        BsonDocument doc = MongoMapper.ToDocument(new UserRecords("u", 0, 0, [], [live, revoked], [NewFamily(live)], null));

        Assert.Equal(live.IdleExpiresAt.UtcTicks, doc["nx"].AsInt64);
        Assert.Equal(T0.AddHours(20).UtcDateTime, doc["exp"].ToUniversalTime());
        Assert.Equal(BsonType.DateTime, doc["exp"].BsonType);
    }

    [Fact]
    public void Mapper_UserRecordsWithEpochOrDevices_HaveNoTtl()
    {
        Session live = NewSession("u");
        KnownDevice device = new("k", null, null, null, T0, T0);

        Assert.False(MongoMapper.ToDocument(new UserRecords("u", 0, 1, [], [live], [], null)).Contains("exp"));
        Assert.False(MongoMapper.ToDocument(new UserRecords("u", 0, 0, [device], [live], [], null)).Contains("exp"));
    }

    [Fact]
    public void Mapper_UserKey_IsFixedLengthForAKilobyteId()
    {
        string huge = string.Concat(Enumerable.Repeat("😀", 600));

        Assert.Equal(43, MongoMapper.UserKeyOf(huge).Length);
        Assert.NotEqual(MongoMapper.UserKeyOf("a"), MongoMapper.UserKeyOf("A"));
    }

    [Fact]
    public void SwapFilter_MatchesIdAndVersionOnly()
    {
        BsonDocument rendered = MongoSessionStore.SwapFilter("key", 41).Render(Args);

        Assert.Equal(BsonDocument.Parse("{ _id: 'key', v: NumberLong(41) }"), rendered);
    }

    [Fact]
    public void LocatingFilters_UseTheIndexedPathsAndStateThePartialFilter()
    {
        SessionId id = NewId();
        RefreshTokenHash hash = NewHash();

        Assert.Equal(BsonDocument.Parse($"{{ 'ss._id': {{ $eq: '{id}', $exists: true }} }}"), MongoSessionStore.BySession(id).Render(Args));
        Assert.Equal(BsonDocument.Parse($"{{ 'fam.th': {{ $eq: '{hash}', $exists: true }} }}"), MongoSessionStore.ByToken(hash).Render(Args));
        Assert.Equal(new BsonDocument("_id", MongoMapper.UserKeyOf("{\"$ne\":null}")), MongoSessionStore.ByUser("{\"$ne\":null}").Render(Args));
        Assert.Equal(BsonDocument.Parse($"{{ nx: {{ $lte: NumberLong({T0.UtcTicks}) }} }}"), MongoSessionStore.PurgeFilter(T0).Render(Args));
    }

    [Fact]
    public void WithRevokedBefore_AsksForTheGlobalDocumentInTheSameQuery()
    {
        BsonDocument rendered = MongoSessionStore.WithRevokedBefore(MongoSessionStore.ByUser("u")).Render(Args);

        Assert.Equal(BsonDocument.Parse($"{{ $or: [ {{ _id: '{MongoMapper.UserKeyOf("u")}' }}, {{ _id: 'revoked_before' }} ] }}"), rendered);
    }

    [Fact]
    public void SessionIndexes_CoverLookupsPurgeAndTtl()
    {
        Dictionary<string, CreateIndexModel<BsonDocument>> indexes = MongoSessionStore.SessionIndexes().ToDictionary(i => i.Options.Name);

        Assert.Equal(["session_id", "refresh_token_hash", "next_purge", "ttl"], indexes.Keys);
        Assert.Equal(new BsonDocument("ss._id", 1), indexes["session_id"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("fam.th", 1), indexes["refresh_token_hash"].Keys.Render(Args));
        foreach (string unique in new[] { "session_id", "refresh_token_hash" })
        {
            CreateIndexOptions<BsonDocument> options = Assert.IsType<CreateIndexOptions<BsonDocument>>(indexes[unique].Options);
            Assert.True(options.Unique);
            string path = indexes[unique].Keys.Render(Args).GetElement(0).Name;
            Assert.Equal(new BsonDocument(path, new BsonDocument("$exists", true)), options.PartialFilterExpression.Render(Args));
        }

        Assert.Equal(new BsonDocument("nx", 1), indexes["next_purge"].Keys.Render(Args));
        Assert.Equal(new BsonDocument("exp", 1), indexes["ttl"].Keys.Render(Args));
        Assert.Equal(TimeSpan.Zero, indexes["ttl"].Options.ExpireAfter);
        Assert.All(indexes.Values.Where(i => i.Options.Name != "ttl"), i => Assert.Null(i.Options.ExpireAfter));
    }

    [Fact]
    public async Task Operations_EachCostOneReadAndAtMostOneWrite()
    {
        (MongoSessionStore store, FakeMongoDatabase.DatabaseProxy server) = NewFakeStore();
        Session session = NewSession("alice");
        RefreshTokenHash hash = NewHash();
        await store.EnsureIndexesAsync(Ct);
        await store.RevokeEverySessionAsync(T0.AddHours(-1), Ct);

        Assert.Equal((1, 1), await CountAsync(server, () => store.CreateAsync(SignIn(session) with { Device = new KnownDevice("k", null, null, null, T0, T0), MaxDevices = 3 }, Ct)));
        Assert.Equal((1, 0), await CountAsync(server, () => store.ValidateAsync(session.Id, Rules, T0.AddSeconds(30), touch: true, Ct)));
        Assert.Equal((1, 1), await CountAsync(server, () => store.CreateRefreshFamilyAsync(Issue(session.Id, hash, T0.AddMinutes(2)), Ct)));
        Assert.Equal((1, 1), await CountAsync(server, () => store.RedeemRefreshTokenAsync(Redeem(hash, T0.AddMinutes(3)), Ct)));
        Assert.Equal((1, 1), await CountAsync(server, () => store.RevokeUserSessionsAsync(new UserRevocation { UserId = "alice", Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0.AddMinutes(4) }, Ct)));
    }

    [Fact]
    public async Task RevokeEverySession_IsSeenByEveryOperationAndNeverMovesBack()
    {
        (MongoSessionStore store, _) = NewFakeStore();
        Session session = NewSession("alice");
        await store.CreateAsync(SignIn(session), Ct);

        Assert.Equal(T0.AddMinutes(1), await store.RevokeEverySessionAsync(T0.AddMinutes(1), Ct));
        Assert.Equal(T0.AddMinutes(1), await store.RevokeEverySessionAsync(T0, Ct));

        Assert.Equal(SessionValidationStatus.Revoked, (await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(2), touch: true, Ct)).Status);
        Assert.Empty(await store.ListUserSessionsAsync("alice", Rules, T0.AddMinutes(2), Ct));
    }

    [Fact]
    public async Task Create_DuplicateIdInTheDocument_ThrowsInvalidOperationAndWritesNothing()
    {
        (MongoSessionStore store, FakeMongoDatabase.DatabaseProxy server) = NewFakeStore();
        Session existing = NewSession("alice");
        await store.CreateAsync(SignIn(existing), Ct);
        int writes = server.Calls.GetValueOrDefault("ReplaceOneAsync");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(SignIn(existing) with { Device = new KnownDevice("k", null, null, null, T0, T0), MaxDevices = 2 }, Ct));

        Assert.Equal(writes, server.Calls.GetValueOrDefault("ReplaceOneAsync"));
        Assert.Empty((await store.GetUserSecurityStateAsync("alice", Ct)).KnownDevices);
    }

    [Fact]
    public async Task Epoch_AfterEverySessionIsPurged_IsKept()
    {
        (MongoSessionStore store, _) = NewFakeStore();
        Session session = NewSession("alice");
        await store.CreateAsync(SignIn(session), Ct);
        await store.RevokeUserSessionsAsync(new UserRevocation { UserId = "alice", Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0 }, Ct);

        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddDays(2), Ct));

        Assert.Null(await store.FindAsync(session.Id, Ct));
        Assert.Equal(1, await store.GetSecurityEpochAsync("alice", Ct));
    }

    [Fact]
    public async Task UnreachableServer_Operation_ThrowsSessionStoreExceptionWithoutData()
    {
        using MongoClient client = new(UnreachableUri);
        MongoSessionStore store = new(client.GetDatabase("sessioncore"));

        SessionStoreException ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.ListUserSessionsAsync("secret-user", Rules, T0, Ct));
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RevokeEverySessionAsync(T0, Ct));

        Assert.DoesNotContain("secret-user", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task UnreachableServer_SessionManager_ReturnsStoreUnavailable()
    {
        using MongoClient client = new(UnreachableUri);
        SessionManager manager = new SessionManagerBuilder { Store = new MongoSessionStore(client.GetDatabase("sessioncore")), TimeProvider = new FakeTimeProvider(T0) }.Build();

        SignInResult signIn = await manager.SignInAsync(new SignInRequest("user"), Ct);
        SessionValidationResult validation = await manager.ValidateAsync("sc_" + new string('A', 43), Ct);

        Assert.Equal(SignInStatus.StoreUnavailable, signIn.Status);
        Assert.Equal(SessionValidationStatus.StoreUnavailable, validation.Status);
    }

    [Fact]
    public async Task Failures_AreClassifiedAsDocumented()
    {
        (MongoSessionStore store, FakeMongoDatabase.DatabaseProxy server) = NewFakeStore();
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();
        await store.CreateAsync(SignIn(NewSession("alice")), Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(NewId(), cancelled.Token));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.CreateAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeUserSessionsAsync(
            new UserRevocation { UserId = "alice", Reason = RevocationReason.Logout, AdvanceEpoch = true, Except = NewId(), Rules = Rules, Now = T0 }, Ct));

        // A record of the wrong shape is a store failure too, reported without its content.
        IMongoCollection<BsonDocument> collection = ((IMongoDatabase)(object)server).GetCollection<BsonDocument>("user_sessions");
        await collection.ReplaceOneAsync(MongoSessionStore.ByUser("alice"), new BsonDocument { { "_id", MongoMapper.UserKeyOf("alice") }, { "u", "alice" }, { "ss", "secret-value" } }, cancellationToken: Ct);
        SessionStoreException corrupt = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.GetUserSecurityStateAsync("alice", Ct));
        Assert.DoesNotContain("secret-value", corrupt.Message, StringComparison.Ordinal);
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
        (MongoSessionStore store, FakeMongoDatabase.DatabaseProxy server) = NewFakeStore();
        FakeTimeProvider time = new(T0);
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = time, Options = new SessionOptions { MaxSessionsPerUser = 5 } }.Build();

        // 600 sign-ins ten minutes apart (100 hours), every other one signed out at once: without pruning on
        // write the one document would hold all 600 records, since the TTL index never sees it idle.
        for (int i = 0; i < 600; i++)
        {
            SignInResult signIn = await manager.SignInAsync(new SignInRequest("busy-user"), Ct);
            Assert.True(signIn.IsSuccess);
            if (i % 2 == 0)
            {
                await manager.RevokeAsync(signIn.Value.Reveal(), cancellationToken: Ct);
            }

            time.Advance(TimeSpan.FromMinutes(10));
        }

        BsonDocument doc = await ((IMongoDatabase)(object)server).GetCollection<BsonDocument>("user_sessions").Find(MongoSessionStore.ByUser("busy-user")).SingleAsync(Ct);

        // Records stay while they can matter (the 12-hour absolute lifetime) plus the one-day lag: 36 hours of
        // sign-ins at six an hour.
        Assert.InRange(doc["ss"].AsBsonArray.Count, 5, 217);
    }

    [Fact]
    public async Task Swap_DocumentDeletedAndCreatedAgain_StaleVersionNeverMatches()
    {
        (MongoSessionStore store, FakeMongoDatabase.DatabaseProxy server) = NewFakeStore();
        IMongoCollection<BsonDocument> collection = ((IMongoDatabase)(object)server).GetCollection<BsonDocument>("user_sessions");
        Session first = NewSession("aba-user");
        await store.CreateAsync(SignIn(first), Ct);
        BsonDocument stale = await collection.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Ct);

        // The only session expires and is purged, which deletes the document; the user signs in again and the
        // new document is written as many times as the stale reader's version suggests.
        Assert.Equal(1, await store.PurgeExpiredAsync(T0.AddHours(13), Ct));
        Assert.Empty(await collection.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(Ct));
        DateTimeOffset later = T0.AddHours(13);
        Session second = NewSession("aba-user") with { CreatedAt = later, LastSeenAt = later, AuthenticatedAt = later, IdleExpiresAt = later.AddHours(1), AbsoluteExpiresAt = later.AddHours(12) };
        await store.CreateAsync(SignIn(second), Ct);
        Assert.NotNull(await store.RevokeAsync(second.Id, null, RevocationReason.Logout, later, Ct));
        BsonDocument current = await collection.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(Ct);

        ReplaceOneResult staleWrite = await collection.ReplaceOneAsync(MongoSessionStore.SwapFilter(stale["_id"], stale["v"].AsInt64), stale, cancellationToken: Ct);

        Assert.NotEqual(stale["v"].AsInt64, current["v"].AsInt64);
        Assert.NotEqual(stale["v"].AsInt64 + 1, current["v"].AsInt64);
        Assert.Equal(0, staleWrite.MatchedCount);
        Assert.True((await store.FindAsync(second.Id, Ct))!.IsRevoked);
    }

    [Fact]
    public async Task RevokeUserSessions_IdSharingTheDocumentKey_RevokesNothingOfTheOtherUser()
    {
        // A lone surrogate becomes U+FFFD in UTF-8, so these two ids hash to the same document key.
        (MongoSessionStore store, _) = NewFakeStore();
        string owner = "bob" + '\uFFFD';
        string lookalike = "bob" + (char)0xD800;
        Session session = NewSession(owner);
        await store.CreateAsync(SignIn(session), Ct);

        UserRevocationResult revoked = await store.RevokeUserSessionsAsync(new UserRevocation { UserId = lookalike, Reason = RevocationReason.Administrative, Rules = Rules, Now = T0 }, Ct);
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RevokeUserSessionsAsync(new UserRevocation { UserId = lookalike, Reason = RevocationReason.Administrative, AdvanceEpoch = true, Rules = Rules, Now = T0 }, Ct));

        Assert.Empty(revoked.Revoked);
        Assert.False((await store.FindAsync(session.Id, Ct))!.IsRevoked);
        Assert.Empty(await store.ListUserSessionsAsync(lookalike, Rules, T0, Ct));
        Assert.Equal(0, await store.GetSecurityEpochAsync(owner, Ct));
    }

    private static string UnreachableUri => "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300&directConnection=true";

    private static (MongoSessionStore Store, FakeMongoDatabase.DatabaseProxy Server) NewFakeStore()
    {
        IMongoDatabase database = FakeMongoDatabase.Create();
        return (new MongoSessionStore(database), (FakeMongoDatabase.DatabaseProxy)(object)database);
    }

    private static async Task<(int Reads, int Writes)> CountAsync<T>(FakeMongoDatabase.DatabaseProxy server, Func<ValueTask<T>> operation)
    {
        Dictionary<string, int> before = new(server.Calls);
        await operation();
        int Delta(string name) => server.Calls.GetValueOrDefault(name) - before.GetValueOrDefault(name);
        return (Delta("FindAsync"), Delta("ReplaceOneAsync") + Delta("InsertOneAsync") + Delta("DeleteOneAsync") + Delta("UpdateOneAsync") + Delta("FindOneAndUpdateAsync"));
    }

    private static SessionId NewId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    private static RefreshTokenHash NewHash() => RefreshTokenHash.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    private static SessionCreation SignIn(Session session) => new() { Session = session, Rules = Rules, Now = session.CreatedAt };

    private static RefreshFamilyCreation Issue(SessionId sessionId, RefreshTokenHash hash, DateTimeOffset now) => new()
    {
        FamilyId = RefreshFamilyId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))),
        SessionId = sessionId,
        TokenHash = hash,
        Lifetime = TimeSpan.FromHours(8),
        IdleLifetime = TimeSpan.FromHours(1),
        Rules = Rules,
        Now = now,
    };

    private static RefreshRedemption Redeem(RefreshTokenHash presented, DateTimeOffset now) => new()
    {
        PresentedTokenHash = presented,
        SuccessorTokenHash = NewHash(),
        SuccessorIdleExpiresAt = now.AddHours(1),
        Rules = Rules,
        Now = now,
    };

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
        FamilyId = RefreshFamilyId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))),
        SessionId = session.Id,
        UserId = session.UserId,
        CreatedAt = T0,
        AbsoluteExpiresAt = T0.AddHours(8),
        CurrentTokenHash = NewHash(),
        CurrentIssuedAt = T0,
        CurrentIdleExpiresAt = T0.AddHours(1),
        SealedCurrentToken = new byte[] { 9, 8, 7 },
    };
}
