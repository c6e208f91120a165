using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using SessionCore.Stores.LiteDb.Internal;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// A LiteDB file holding a given number of sessions, populated once and cached under the temp folder keyed by the
/// count, then copied for each benchmark process so writes never touch the cached file.
/// </summary>
internal sealed class LiteDbFixture : IDisposable
{
    private const string SessionsCollection = "sessions";

    private LiteDbFixture(string path, string token, SessionManager manager, LiteDbSessionStore store)
    {
        FilePath = path;
        Token = token;
        Manager = manager;
        Store = store;
    }

    /// <summary>Gets the working copy of the file.</summary>
    public string FilePath { get; }

    /// <summary>Gets a live session token in the file (its id is the probe session).</summary>
    public string Token { get; }

    public SessionManager Manager { get; }

    public LiteDbSessionStore Store { get; }

    /// <summary>A clock pinned to the moment the cached files were populated, so they never expire.</summary>
    public static FixedClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Opens a working copy of the cached file with <paramref name="count"/> sessions, populating it first if needed.</summary>
    public static LiteDbFixture Open(int count)
    {
        string cached = Path.Combine(BenchEnvironment.CacheFolder, $"litedb-v2-sessions-{count}.db");
        string tokenFile = cached + ".token";
        if (!File.Exists(cached) || !File.Exists(tokenFile))
        {
            Populate(cached, tokenFile, count);
        }

        string working = Path.Combine(BenchEnvironment.CacheFolder, $"work-{count}-{Environment.ProcessId}.db");
        File.Copy(cached, working, overwrite: true);
        var store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = working, PurgeInterval = null }, Clock);
        SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = Clock }.Build();
        return new LiteDbFixture(working, File.ReadAllText(tokenFile), manager, store);
    }

    /// <summary>Makes a copy of the cached file for raw LiteDB access (the store holds its own file exclusively).</summary>
    public static string RawCopy(int count, string suffix)
    {
        string cached = Path.Combine(BenchEnvironment.CacheFolder, $"litedb-v2-sessions-{count}.db");
        string raw = Path.Combine(BenchEnvironment.CacheFolder, $"raw-{suffix}-{count}-{Environment.ProcessId}.db");
        File.Copy(cached, raw, overwrite: true);
        return raw;
    }

    /// <summary>Opens the sessions collection of a raw copy; the caller disposes the database.</summary>
    public static ILiteCollection<BsonDocument> RawSessions(LiteDatabase database) => database.GetCollection(SessionsCollection, BsonAutoId.ObjectId);

    public void Dispose()
    {
        Store.Dispose();
        Delete(FilePath);
    }

    public static void Delete(string path)
    {
        // LiteDB keeps its write-ahead log beside the file as "<name>-log<ext>".
        string log = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
        foreach (string file in new[] { path, path + ".sessioncore-lock", log })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    // One session goes through the store, so the document has exactly the store's shape; the rest are clones of it
    // with fresh ids and users, bulk-inserted (signing in 10^6 times one transaction each would take far longer).
    private static void Populate(string cached, string tokenFile, int count)
    {
        var watch = Stopwatch.StartNew();
        string building = Path.ChangeExtension(cached, ".building.db");
        Delete(building);
        string token;
        using (var store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = building, PurgeInterval = null }, Clock))
        {
            SessionManager manager = new SessionManagerBuilder { Store = store, TimeProvider = Clock }.Build();
            token = Task.Run(async () => (await manager.SignInAsync(new SignInRequest("probe-user"))).Value.Reveal()).GetAwaiter().GetResult();
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = building, Connection = ConnectionType.Direct }))
        {
            ILiteCollection<BsonDocument> sessions = RawSessions(db);
            BsonDocument probe = sessions.FindAll().First();
            sessions.InsertBulk(Clones(probe, count - 1), batchSize: 10_000);
            db.Checkpoint();
        }

        File.Move(building, cached, overwrite: true);
        Delete(building);
        File.WriteAllText(tokenFile, token);
        Console.WriteLine($"// Populated {count} LiteDB sessions in {watch.Elapsed.TotalSeconds:F1} s: {cached}");
    }

    private static IEnumerable<BsonDocument> Clones(BsonDocument probe, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var clone = new BsonDocument(probe)
            {
                ["_id"] = RandomSessionId(),
                ["u"] = "user-" + i,
                ["uk"] = LiteDbMapper.UserKeyOf("user-" + i),
            };
            yield return clone;
        }
    }

    /// <summary>A random session id in the store's format (43 base64url characters of a 32-byte digest).</summary>
    internal static string RandomSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
