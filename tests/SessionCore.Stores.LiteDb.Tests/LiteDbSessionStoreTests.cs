using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionCore.DependencyInjection;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

public sealed class LiteDbSessionStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reopen_AfterDispose_ReadsEveryRecordExactly()
    {
        string path = _folder.File("reopen.db");
        Session session = NewSession("ünïcødé:{user}$.*") with
        {
            CreatedAt = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(4321),
            Device = new SessionDevice("agent", null, "device-hash"),
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["$where"] = "x.y", ["a.b"] = "" },
            SecurityEpoch = long.MaxValue - 1,
            Version = 7,
        };
        RefreshFamily family = NewFamily(session);
        using (LiteDbSessionStore store = Open(path))
        {
            Assert.True((await store.CreateAsync(session, SessionLimit.None, T0, TestContext.Current.CancellationToken)).Created);
            Assert.True(await store.CreateRefreshFamilyAsync(family, T0, TestContext.Current.CancellationToken));
            Assert.Equal(1, await store.IncrementSecurityEpochAsync(session.UserId, TestContext.Current.CancellationToken));
        }

        using LiteDbSessionStore reopened = Open(path);
        Session? found = await reopened.FindAsync(session.Id, TestContext.Current.CancellationToken);
        Assert.NotNull(found);
        Assert.Equal(session.CreatedAt.UtcTicks, found.CreatedAt.UtcTicks);
        Assert.Equal(session.Device, found.Device);
        Assert.Equal(session.Data, found.Data);
        Assert.Equal(session with { Data = found.Data }, found);
        RefreshFamily? foundFamily = await reopened.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, TestContext.Current.CancellationToken);
        Assert.Equal(family.SealedCurrentToken.ToArray(), foundFamily!.SealedCurrentToken.ToArray());
        Assert.Equal(1, (await reopened.GetUserSecurityStateAsync(session.UserId, TestContext.Current.CancellationToken)).SecurityEpoch);
    }

    [Fact]
    public void Mapper_Session_UsesExplicitFieldNamesAndTicks()
    {
        Session session = NewSession("user") with { RevokedAt = T0.AddTicks(1), RevocationReason = RevocationReason.Evicted };

        BsonDocument doc = LiteDbMapper.ToDocument(session);

        Assert.Equal(session.Id.ToString(), doc["_id"].AsString);
        Assert.Equal(T0.UtcTicks, doc["c"].AsInt64);
        Assert.Equal(T0.AddTicks(1).UtcTicks, doc["ra"].AsInt64);
        Assert.Equal((int)RevocationReason.Evicted, doc["rr"].AsInt32);
        Assert.Equal(LiteDbMapper.UserKeyOf("user"), doc["uk"].AsString);
        Assert.True(doc["dv"].IsNull);
        Session back = LiteDbMapper.ToSession(doc);
        Assert.Equal(session with { Data = back.Data }, back);
    }

    [Fact]
    public void Mapper_Family_RoundTripsEveryField()
    {
        RefreshFamily family = NewFamily(NewSession("user")) with
        {
            Generation = 3,
            PreviousTokenHash = "prev",
            RotatedAt = T0.AddMinutes(3),
            SpentTokenHashes = ["a", "b"],
            RevokedAt = T0.AddMinutes(4),
            RevocationReason = RevocationReason.RefreshTokenReuse,
            Version = 9,
        };

        RefreshFamily back = LiteDbMapper.ToFamily(LiteDbMapper.ToDocument(family));

        Assert.Equal(family.SpentTokenHashes, back.SpentTokenHashes);
        Assert.Equal(family.SealedCurrentToken.ToArray(), back.SealedCurrentToken.ToArray());
        Assert.Equal(family with { SpentTokenHashes = back.SpentTokenHashes, SealedCurrentToken = back.SealedCurrentToken }, back);
    }

    [Fact]
    public void Mapper_UserKey_IsFixedLengthForAKilobyteId()
    {
        string huge = string.Concat(System.Linq.Enumerable.Repeat("😀", 600));

        string key = LiteDbMapper.UserKeyOf(huge);

        Assert.Equal(43, key.Length);
        Assert.NotEqual(key, LiteDbMapper.UserKeyOf(huge + "x"));
    }

    [Fact]
    public async Task PurgeTimer_AfterInterval_DeletesExpiredSessions()
    {
        FakeTimeProvider time = new(T0);
        using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = _folder.File("purge.db"), PurgeInterval = TimeSpan.FromMinutes(10) }, time);
        Session shortLived = NewSession("u") with { IdleExpiresAt = T0.AddMinutes(5) };
        Session longLived = NewSession("u");
        await store.CreateAsync(shortLived, SessionLimit.None, T0, TestContext.Current.CancellationToken);
        await store.CreateAsync(longLived, SessionLimit.None, T0, TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(await store.FindAsync(shortLived.Id, TestContext.Current.CancellationToken));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await store.FindAsync(shortLived.Id, TestContext.Current.CancellationToken));
        Assert.NotNull(await store.FindAsync(longLived.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PurgeTimer_AfterDispose_DoesNotRun()
    {
        FakeTimeProvider time = new(T0);
        LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = _folder.File("disposed.db"), PurgeInterval = TimeSpan.FromMinutes(1) }, time);
        await store.DisposeAsync();

        time.Advance(TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.FindAsync(default, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a.db", "Filename=b.db")]
    [InlineData(null, "Filename=x.db;Connection=shared")]
    [InlineData(null, "Filename=x.db;ReadOnly=true")]
    public void Constructor_BadLocation_Throws(string? path, string? connectionString)
    {
        Assert.ThrowsAny<ArgumentException>(() => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = path, ConnectionString = connectionString }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2 * 24 * 3600)]
    public void Constructor_PurgeIntervalOutOfRange_Throws(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _folder.File("x.db"), PurgeInterval = TimeSpan.FromSeconds(seconds) }));
    }

    [Fact]
    public void Constructor_UnopenableFile_ThrowsSessionStoreException()
    {
        System.IO.File.WriteAllText(_folder.File("junk.db"), new string('x', 70000));

        SessionStoreException ex = Assert.Throws<SessionStoreException>(() => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _folder.File("junk.db") }));
        Assert.DoesNotContain("junk", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddLiteDbStore_ResolvedManager_UsesTheFileAndDisposesIt()
    {
        string path = _folder.File("di.db");
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        services.AddSessionCore().AddLiteDbStore(o => o.FilePath = path);
        SessionId id;
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            Assert.IsType<LiteDbSessionStore>(provider.GetRequiredService<ISessionStore>());
            SessionManager manager = provider.GetRequiredService<SessionManager>();
            SignInResult result = await manager.SignInAsync(new SignInRequest("di-user"), TestContext.Current.CancellationToken);
            id = result.Value.Id;
        }

        using LiteDbSessionStore reopened = Open(path);
        Assert.Equal("di-user", (await reopened.FindAsync(id, TestContext.Current.CancellationToken))!.UserId);
    }

    [Fact]
    public void AddLiteDbStore_BadOptions_ThrowsAtRegistration()
    {
        ServiceCollection services = new();

        Assert.ThrowsAny<ArgumentException>(() => services.AddSessionCore().AddLiteDbStore(o => o.ConnectionString = "Filename=x.db;Connection=shared"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeysDifferingOnlyInCase_NeverReachAnotherRecord(bool fileCreatedIgnoringCase)
    {
        System.Threading.CancellationToken ct = TestContext.Current.CancellationToken;
        string path = _folder.File("case.db");
        if (fileCreatedIgnoringCase)
        {
            // LiteDB's own default; a file keeps the collation it was created with.
            using LiteDatabase created = new(new ConnectionString { Filename = path, Collation = new Collation(127, System.Globalization.CompareOptions.IgnoreCase) });
            created.GetCollection("sessions").Insert(new BsonDocument { ["_id"] = "placeholder" });
            created.GetCollection("sessions").Delete("placeholder");
        }

        Session session = NewSession("alice");
        RefreshFamily family = NewFamily(session) with { FamilyId = "Family-MixedCase" };
        SessionId swappedId = SessionId.Parse(SwapCase(session.Id.ToString()));
        string swappedHash = SwapCase(family.CurrentTokenHash);
        using (LiteDbSessionStore store = Open(path))
        {
            Assert.True((await store.CreateAsync(session, SessionLimit.None, T0, ct)).Created);
            Assert.True(await store.CreateRefreshFamilyAsync(family, T0, ct));

            Assert.Null(await store.FindAsync(swappedId, ct));
            Assert.False(await store.TouchAsync(swappedId, session.Version, T0.AddMinutes(1), T0.AddMinutes(31), ct));
            Assert.False(await store.RevokeAsync(swappedId, RevocationReason.Logout, T0, ct));
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(swappedHash, ct));
            RefreshRedemption redemption = new(swappedHash, System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), default, T0.AddHours(1), T0.AddMinutes(1));
            Assert.Equal(RefreshRedeemStatus.NotFound, (await store.RedeemRefreshTokenAsync(redemption, ct)).Status);
            Assert.False(await store.RevokeRefreshFamilyAsync("family-mixedcase", RevocationReason.Logout, T0, ct));

            Session stored = (await store.FindAsync(session.Id, ct))!;
            Assert.False(stored.IsRevoked);
            Assert.Equal(session.Version, stored.Version);
            RefreshFamily storedFamily = (await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, ct))!;
            Assert.False(storedFamily.IsRevoked);
            Assert.Equal(0, storedFamily.Generation);
        }

        using LiteDatabase reopened = new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        Assert.Equal(
            fileCreatedIgnoringCase ? System.Globalization.CompareOptions.IgnoreCase : System.Globalization.CompareOptions.Ordinal,
            reopened.Collation.SortOptions);
    }

    [Fact]
    public void Open_ExistingEmptyFile_IsFormattedWithTheOrdinalCollation()
    {
        // An empty file (a temp-file API, a touch) is a new database to LiteDB, so it gets the same collation.
        string path = _folder.File("empty.db");
        System.IO.File.WriteAllBytes(path, []);
        using (LiteDbSessionStore store = Open(path))
        {
        }

        using LiteDatabase reopened = new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        Assert.Equal(System.Globalization.CompareOptions.Ordinal, reopened.Collation.SortOptions);
    }

    private static string SwapCase(string value) =>
        string.Concat(value[..^1].Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))) + value[^1];

    private static LiteDbSessionStore Open(string path) => new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null });

    private static Session NewSession(string userId) => new()
    {
        Id = SessionId.Parse(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
        UserId = userId,
        CreatedAt = T0,
        LastSeenAt = T0,
        AuthenticatedAt = T0,
        IdleExpiresAt = T0.AddMinutes(30),
        AbsoluteExpiresAt = T0.AddHours(12),
    };

    private static RefreshFamily NewFamily(Session session) => new()
    {
        FamilyId = "family-" + session.Id.ToString()[..8],
        SessionId = session.Id,
        UserId = session.UserId,
        CreatedAt = T0,
        AbsoluteExpiresAt = T0.AddHours(8),
        CurrentTokenHash = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        CurrentIssuedAt = T0,
        CurrentIdleExpiresAt = T0.AddHours(1),
        SealedCurrentToken = new byte[] { 1, 2, 3, 0, 255 },
    };
}
