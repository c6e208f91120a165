using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

public sealed class LiteDbSessionStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = Records.T0;
    private static readonly SessionRules Rules = Records.Rules;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reopen_AfterDispose_ReadsEveryRecordExactly()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string path = _folder.File("reopen.db");
        Session session = NewSession("ünïcødé:{user}$.*") with
        {
            CreatedAt = new DateTimeOffset(2030, 1, 1, 2, 8, 9, TimeSpan.FromHours(-5)).AddTicks(4321),
            Device = new SessionDevice("agent", null, "device-hash"),
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["$where"] = "x.y", ["a.b"] = "" },
            AuthenticationMethods = ["pwd", "hwk"],
            Version = 7,
        };
        SessionKeyBinding binding = new("thumbprint", "{\"kty\":\"OKP\"}", T0.AddTicks(3));
        RefreshTokenHash hash = Records.NewHash();
        Session stored;
        RefreshFamily family;
        using (LiteDbSessionStore store = Open(path))
        {
            stored = (await store.CreateAsync(Records.SignIn(session, T0), ct)).Session!;
            stored = (await store.BindKeyAsync(session.Id, binding, Rules, T0, ct)).Session!;
            family = (await store.CreateRefreshFamilyAsync(Records.Issue(session.Id, hash, T0) with { ClientId = "client", KeyThumbprint = "jkt" }, ct)).Family!;
            await store.RememberDeviceAsync(session.UserId, new KnownDevice("key", null, "Firefox", "2001:db8::/48", T0, T0.AddTicks(1)), 3, ct);
            await store.RevokeUserSessionsAsync(new UserRevocation { UserId = "other", Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0 }, ct);
            Assert.Equal(T0.AddTicks(5), await store.RevokeEverySessionAsync(T0.AddTicks(5), ct));
        }

        using LiteDbSessionStore reopened = Open(path);
        Session? found = await reopened.FindAsync(session.Id, ct);
        Assert.NotNull(found);
        Assert.Equal(session.CreatedAt.UtcTicks, found.CreatedAt.UtcTicks);
        Assert.Equal(stored.Data, found.Data);
        Assert.Equal(stored.AuthenticationMethods, found.AuthenticationMethods);
        Assert.Equal(binding, found.KeyBinding);
        Assert.Equal(stored with { Data = found.Data, AuthenticationMethods = found.AuthenticationMethods }, found);
        RefreshFamily? foundFamily = await reopened.FindRefreshFamilyByTokenAsync(hash, ct);
        Assert.Equal(family with { SealedCurrentToken = foundFamily!.SealedCurrentToken, SpentTokenHashes = foundFamily.SpentTokenHashes }, foundFamily);
        Assert.Equal("client", foundFamily.ClientId);
        Assert.Equal("jkt", foundFamily.KeyThumbprint);
        UserSecurityState state = await reopened.GetUserSecurityStateAsync(session.UserId, ct);
        Assert.Equal(new KnownDevice("key", null, "Firefox", "2001:db8::/48", T0, T0.AddTicks(1)), Assert.Single(state.KnownDevices));
        Assert.Equal(1, await reopened.GetSecurityEpochAsync("other", ct));

        // The global revocation instant is read back with the file: the session, created before it, no longer opens.
        Assert.Equal(SessionValidationStatus.Revoked, (await reopened.ValidateAsync(session.Id, Rules, T0.AddMinutes(1), touch: true, ct)).Status);
        Assert.Equal(T0.AddTicks(5), await reopened.RevokeEverySessionAsync(T0, ct));
    }

    [Fact]
    public async Task RevokeEverySession_EarlierInstant_NeverMovesBack()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LiteDbSessionStore store = Open(_folder.File("global.db"));
        Session before = NewSession("u");
        await store.CreateAsync(Records.SignIn(before), ct);

        Assert.Equal(T0.AddMinutes(1), await store.RevokeEverySessionAsync(T0.AddMinutes(1), ct));
        Assert.Equal(T0.AddMinutes(1), await store.RevokeEverySessionAsync(T0, ct));
        Session after = NewSession("u") with { CreatedAt = T0.AddMinutes(2), LastSeenAt = T0.AddMinutes(2) };
        await store.CreateAsync(Records.SignIn(after), ct);

        Assert.Equal(SessionValidationStatus.Revoked, (await store.ValidateAsync(before.Id, Rules, T0.AddMinutes(3), touch: false, ct)).Status);
        Assert.Equal(SessionValidationStatus.Valid, (await store.ValidateAsync(after.Id, Rules, T0.AddMinutes(3), touch: false, ct)).Status);
    }

    [Fact]
    public async Task Create_DuplicateId_ThrowsInvalidOperationAndWritesNothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LiteDbSessionStore store = Open(_folder.File("duplicate.db"));
        Session existing = NewSession("alice");
        Session presented = NewSession("alice");
        await store.CreateAsync(Records.SignIn(existing), ct);
        await store.CreateAsync(Records.SignIn(presented), ct);
        SessionCreation duplicate = Records.SignIn(existing with { UserId = "alice" }) with
        {
            PresentedId = presented.Id,
            Device = new KnownDevice("k", null, null, null, T0, T0),
            MaxDevices = 2,
        };

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(duplicate, ct));

        Assert.False((await store.FindAsync(presented.Id, ct))!.IsRevoked);
        Assert.Empty((await store.GetUserSecurityStateAsync("alice", ct)).KnownDevices);
        Assert.Equal(SessionValidationStatus.Valid, (await store.ValidateAsync(existing.Id, Rules, T0, touch: false, ct)).Status);
    }

    [Fact]
    public async Task Redeem_SuccessorHashOfAnotherFamily_ThrowsInvalidOperationAndRotatesNothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LiteDbSessionStore store = Open(_folder.File("duplicate-hash.db"));
        Session session = NewSession("alice");
        await store.CreateAsync(Records.SignIn(session), ct);
        RefreshTokenHash first = Records.NewHash();
        RefreshTokenHash other = Records.NewHash();
        await store.CreateRefreshFamilyAsync(Records.Issue(session.Id, first, T0), ct);
        await store.CreateRefreshFamilyAsync(Records.Issue(session.Id, other, T0), ct);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RedeemRefreshTokenAsync(Records.Redeem(first, T0.AddMinutes(1)) with { SuccessorTokenHash = other }, ct));

        RefreshFamily family = (await store.FindRefreshFamilyByTokenAsync(first, ct))!;
        Assert.Equal(0, family.Generation);
        Assert.Equal(first, family.CurrentTokenHash);
    }

    [Fact]
    public async Task UserState_IdSharingTheKey_IsNeverOverwritten()
    {
        // A lone surrogate becomes U+FFFD in UTF-8, so these two ids hash to the same users key.
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LiteDbSessionStore store = Open(_folder.File("lookalike.db"));
        string owner = "bob" + '\uFFFD';
        string lookalike = "bob" + (char)0xD800;
        await store.RememberDeviceAsync(owner, new KnownDevice("k", null, null, null, T0, T0), 3, ct);
        await store.RevokeUserSessionsAsync(new UserRevocation { UserId = owner, Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0 }, ct);

        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RevokeUserSessionsAsync(
            new UserRevocation { UserId = lookalike, Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0 }, ct));
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.RememberDeviceAsync(lookalike, new KnownDevice("x", null, null, null, T0, T0), 3, ct));

        UserSecurityState state = await store.GetUserSecurityStateAsync(owner, ct);
        Assert.Equal(1, state.SecurityEpoch);
        Assert.Equal("k", Assert.Single(state.KnownDevices).Key);
        Assert.Equal(0, await store.GetSecurityEpochAsync(lookalike, ct));
    }

    [Fact]
    public async Task Failures_AreClassifiedAsDocumented()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        LiteDbSessionStore store = Open(_folder.File("failures.db"));
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(Records.NewSessionId(), cancelled.Token));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.GetUserSecurityStateAsync(null!, ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeUserSessionsAsync(
            new UserRevocation { UserId = "u", Reason = RevocationReason.Logout, AdvanceEpoch = true, Except = Records.NewSessionId(), Rules = Rules, Now = T0 }, ct));

        // The driver failing under the store (a closed database) is a store failure, wrapped without data.
        store.Database.Dispose();
        SessionStoreException failure = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.GetUserSecurityStateAsync("secret-user", ct));
        Assert.DoesNotContain("secret-user", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(failure.InnerException);

        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.FindAsync(Records.NewSessionId(), ct));
    }

    [Fact]
    public async Task Operations_ManyDistinctValues_CompileNoQueryText()
    {
        // LiteDB compiles every new expression text once and keeps it in a static cache for the life of the process;
        // a value written into query text would make every lookup a compilation and grow that cache without bound.
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LiteDbSessionStore store = Open(_folder.File("expressions.db"));
        await ExerciseAsync(store, "warm-up", ct);
        int before = CompiledExpressionCount();

        for (int i = 0; i < 5; i++)
        {
            await ExerciseAsync(store, "user-" + i, ct);
        }

        Assert.Equal(before, CompiledExpressionCount());
    }

    private static async Task ExerciseAsync(LiteDbSessionStore store, string userId, CancellationToken ct)
    {
        Session session = NewSession(userId);
        RefreshTokenHash hash = Records.NewHash();
        await store.CreateAsync(Records.SignIn(session) with { Limit = new SessionLimit(3, SessionLimitMode.EvictOldest), PresentedId = Records.NewSessionId() }, ct);
        await store.ValidateAsync(session.Id, Rules, T0.AddMinutes(5), touch: true, ct);
        await store.CreateRefreshFamilyAsync(Records.Issue(session.Id, hash, T0.AddMinutes(5)), ct);
        await store.RedeemRefreshTokenAsync(Records.Redeem(hash, T0.AddMinutes(6)), ct);
        await store.ListUserSessionsAsync(userId, Rules, T0.AddMinutes(6), ct);
        await store.RegenerateAsync(new SessionRegeneration { CurrentId = session.Id, Replacement = new SessionReplacement { NewId = Records.NewSessionId() }, Rules = Rules, Now = T0.AddMinutes(7) }, ct);
        await store.RevokeUserSessionsAsync(new UserRevocation { UserId = userId, Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = T0.AddMinutes(8) }, ct);
        await store.RevokeRefreshFamilyAsync(hash, RevocationReason.Logout, T0.AddMinutes(8), ct);
        await store.PurgeExpiredAsync(T0.AddDays(1), ct);
    }

    private static int CompiledExpressionCount()
    {
        int count = 0;
        foreach (string name in new[] { "_cacheScalar", "_cacheEnumerable" })
        {
            FieldInfo field = typeof(BsonExpression).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("LiteDB's expression cache is no longer where this test looks for it.");
            count += ((ICollection)field.GetValue(null)!).Count;
        }

        return count;
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
        Assert.Equal(session with { Data = back.Data, AuthenticationMethods = back.AuthenticationMethods }, back);
    }

    [Fact]
    public void Mapper_Family_RoundTripsEveryField()
    {
        RefreshFamily family = NewFamily(NewSession("user")) with
        {
            Generation = 3,
            ClientId = "client",
            KeyThumbprint = "jkt",
            PreviousTokenHash = Records.NewHash(),
            RotatedAt = T0.AddMinutes(3),
            SpentTokenHashes = [Records.NewHash(), Records.NewHash()],
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
        await store.CreateAsync(Records.SignIn(shortLived), TestContext.Current.CancellationToken);
        await store.CreateAsync(Records.SignIn(longLived), TestContext.Current.CancellationToken);

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
        CancellationToken ct = TestContext.Current.CancellationToken;
        string path = _folder.File("case.db");
        if (fileCreatedIgnoringCase)
        {
            // LiteDB's own default; a file keeps the collation it was created with.
            using LiteDatabase created = new(new ConnectionString { Filename = path, Collation = new Collation(127, System.Globalization.CompareOptions.IgnoreCase) });
            created.GetCollection("sessions").Insert(new BsonDocument { ["_id"] = "placeholder" });
            created.GetCollection("sessions").Delete("placeholder");
        }

        Session session = NewSession("alice");
        RefreshTokenHash hash = Records.NewHash();
        SessionId swappedId = SessionId.Parse(SwapCase(session.Id.ToString()));
        RefreshTokenHash swappedHash = RefreshTokenHash.Parse(SwapCase(hash.ToString()));
        using (LiteDbSessionStore store = Open(path))
        {
            Assert.True((await store.CreateAsync(Records.SignIn(session), ct)).IsSuccess);
            Assert.NotNull((await store.CreateRefreshFamilyAsync(Records.Issue(session.Id, hash, T0), ct)).Family);

            Assert.Null(await store.FindAsync(swappedId, ct));
            Assert.Equal(SessionValidationStatus.NotFound, (await store.ValidateAsync(swappedId, Rules, T0.AddMinutes(5), touch: true, ct)).Status);
            Assert.Null(await store.RevokeAsync(swappedId, null, RevocationReason.Logout, T0, ct));
            Assert.Null(await store.FindRefreshFamilyByTokenAsync(swappedHash, ct));
            Assert.Equal(RefreshRedeemStatus.NotFound, (await store.RedeemRefreshTokenAsync(Records.Redeem(swappedHash, T0.AddMinutes(1)), ct)).Status);
            Assert.Null(await store.RevokeRefreshFamilyAsync(swappedHash, RevocationReason.Logout, T0, ct));

            Session stored = (await store.FindAsync(session.Id, ct))!;
            Assert.False(stored.IsRevoked);
            Assert.Equal(session.LastSeenAt, stored.LastSeenAt);
            RefreshFamily storedFamily = (await store.FindRefreshFamilyByTokenAsync(hash, ct))!;
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

    private static Session NewSession(string userId) => Records.NewSession(userId);

    private static RefreshFamily NewFamily(Session session) => Records.NewFamily(session);
}
