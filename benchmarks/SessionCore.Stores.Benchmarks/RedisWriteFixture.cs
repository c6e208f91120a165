using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores.Redis;
using SessionCore.Tokens;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// One Redis connection, a store under a fresh key prefix, and the raw engine: Lua scripts that make exactly the key
/// writes a store operation makes (same keys, same fields, same expiries), with none of its reads or decisions. The raw
/// scripts run through the same connection, so a ratio compares the store's work with the engine's floor for the same
/// writes in one round trip.
/// </summary>
internal sealed class RedisWriteFixture : IDisposable
{
    /// <summary>Raw sign-in: the session hash, its expiry, the user's index entry and the session pointer.</summary>
    private const string InsertBody = """
        local function insert(sk, ss, ptr, sid, ttl, score, h, pttl, first, last)
          redis.call('HSET', sk, unpack(ARGV, first, last))
          redis.call('PEXPIRE', sk, ttl)
          redis.call('ZADD', ss, score, sid)
          redis.call('SET', ptr, h, 'PX', pttl)
        end
        local function revoke(sk, ss, sr, sid, now, reason, ttl, score)
          redis.call('HSET', sk, 'ra', now, 'rr', reason)
          redis.call('HINCRBY', sk, 'v', 1)
          redis.call('PEXPIRE', sk, ttl)
          redis.call('ZREM', ss, sid)
          redis.call('ZADD', sr, score, sid)
        end

        """;

    private const string RawInsert = InsertBody + "insert(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], 6, #ARGV) return 1";

    private const string RawRevoke = InsertBody + "revoke(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]) return 1";

    private const string RawInsertAndRevoke = InsertBody
        + "revoke(KEYS[4], KEYS[5], KEYS[6], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]) "
        + "insert(KEYS[1], KEYS[2], KEYS[3], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], 11, #ARGV) return 1";

    private const string RawInvalidate = InsertBody + "redis.call('HINCRBY', KEYS[4], 'ep', 1) revoke(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]) return 1";

    private const string RawIssue = """
        redis.call('HSET', KEYS[1], unpack(ARGV, 5, #ARGV))
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
        redis.call('SADD', KEYS[3], ARGV[3])
        redis.call('PEXPIRE', KEYS[3], ARGV[1])
        redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[1])
        return 1
        """;

    private const string RawRotate = """
        local f = redis.call('HMGET', KEYS[1], 'cur', 'sp', 'prev')
        local sp = string.sub(f[2], 44) .. f[3]
        redis.call('HSET', KEYS[1], 'prev', f[1], 'rat', ARGV[2], 'cur', ARGV[1], 'cia', ARGV[2], 'cie', ARGV[3], 'sp', sp)
        redis.call('HSET', KEYS[1], 'sl', ARGV[4])
        redis.call('HINCRBY', KEYS[1], 'g', 1)
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        redis.call('DEL', ARGV[7] .. string.sub(f[2], 1, 43))
        redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6])
        return 1
        """;

    private readonly ConnectionMultiplexer _multiplexer;
    private readonly Dictionary<string, byte[]> _hashes = new(StringComparer.Ordinal);
    private ProfilingSession? _profiling;

    public RedisWriteFixture(string name)
    {
        _multiplexer = ConnectionMultiplexer.Connect(BenchEnvironment.RedisConfiguration!);
        _multiplexer.RegisterProfiler(() => _profiling);
        Prefix = "scbw:" + name + ":" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)) + ":";
        Store = new RedisSessionStore(new RedisSessionStoreOptions { ConnectionMultiplexer = _multiplexer, KeyPrefix = Prefix });
        Database = _multiplexer.GetDatabase();
        foreach (string body in (string[])[RawInsert, RawRevoke, RawInsertAndRevoke, RawInvalidate, RawIssue, RawRotate])
        {
            _hashes[body] = Convert.FromHexString((string)Database.Execute("SCRIPT", "LOAD", body)!);
        }
    }

    /// <summary>Real time, pinned: nothing slides or expires during a run, and Redis expiries stay realistic.</summary>
    public static DateTimeOffset Now { get; } = TimeProvider.System.GetUtcNow();

    public static SessionRules Rules { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    public static TimeSpan Grace => TimeSpan.FromMinutes(1);

    public string Prefix { get; }

    public RedisSessionStore Store { get; }

    public IDatabase Database { get; }

    public static SessionId NewId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static RefreshTokenHash NewHash() => RefreshTokenHash.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static RefreshFamilyId NewFamilyId() => RefreshFamilyId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>A session as the manager creates one at sign-in.</summary>
    public static Session NewSession(string userId) => new()
    {
        Id = NewId(),
        UserId = userId,
        CreatedAt = Now,
        LastSeenAt = Now,
        AuthenticatedAt = Now,
        IdleExpiresAt = Now + Rules.IdleTimeout,
        AbsoluteExpiresAt = Now + Rules.AbsoluteLifetime,
        AuthenticationLevel = 1,
        AuthenticationMethods = ["pwd"],
        Device = new SessionDevice("Firefox 128 on Linux", "198.51.100.0/24", null),
    };

    public static SessionCreation Creation(Session session, SessionLimit limit = default) => new() { Session = session, Rules = Rules, Limit = limit, Now = Now };

    public static RefreshRedemption Redemption(RefreshTokenHash presented) => new()
    {
        PresentedTokenHash = presented,
        SuccessorTokenHash = NewHash(),
        SealedSuccessor = RandomNumberGenerator.GetBytes(72),
        SuccessorIdleExpiresAt = Now + TimeSpan.FromDays(1),
        GraceWindow = TimeSpan.FromSeconds(10),
        Rules = Rules,
        Now = Now,
    };

    public static string Ticks(DateTimeOffset value) => value.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static string UserHash(string userId) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)).AsSpan(0, 16));

    public string UserKey(string userId, string suffix) => Prefix + "{u:" + UserHash(userId) + "}:" + suffix;

    public static string Millis(DateTimeOffset value) => (value.UtcTicks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture);

    public static string Ttl(DateTimeOffset purgeAt) => ((long)(purgeAt - Now + Grace).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>The raw insert of <paramref name="session"/>: the same fields the store writes.</summary>
    public Task RawInsertAsync(Session session) => RawAsync(RawInsert, InsertKeys(session), [.. InsertValues(session)]);

    /// <summary>The raw revocation: the session's revocation fields, version, expiry and index move.</summary>
    public Task RawRevokeAsync(Session session) => RawAsync(RawRevoke, RevokeKeys(session), RevokeValues(session));

    /// <summary>The raw sign-in that evicts: the insert and one revocation in one script.</summary>
    public Task RawInsertAndRevokeAsync(Session inserted, Session revoked)
    {
        List<RedisValue> values = [.. RevokeValues(revoked)];
        values.AddRange(InsertValues(inserted));
        return RawAsync(RawInsertAndRevoke, [.. InsertKeys(inserted), .. RevokeKeys(revoked)], [.. values]);
    }

    /// <summary>The raw invalidation: the epoch and the revocation of the user's one session.</summary>
    public Task RawInvalidateAsync(Session session) =>
        RawAsync(RawInvalidate, [.. RevokeKeys(session), UserKey(session.UserId, "sec")], RevokeValues(session));

    /// <summary>The raw issue: the family hash, its expiry, both indexes and the token pointer.</summary>
    public Task RawIssueAsync(Session session, RefreshFamilyId familyId, RefreshTokenHash hash)
    {
        string h = UserHash(session.UserId);
        string life = Ttl(session.AbsoluteExpiresAt);
        return RawAsync(
            RawIssue,
            [UserKey(session.UserId, "f:" + familyId), UserKey(session.UserId, "fs"), UserKey(session.UserId, "sf:" + session.Id), Prefix + "rt:" + hash],
            [
                life, Millis(session.AbsoluteExpiresAt), familyId.ToString(), h + familyId,
                "fid", familyId.ToString(), "sid", session.Id.ToString(), "uid", session.UserId, "ca", Ticks(Now), "ae", Ticks(session.AbsoluteExpiresAt),
                "g", "0", "cur", hash.ToString(), "cia", Ticks(Now), "cie", Ticks(Now + TimeSpan.FromDays(1)), "v", "0",
            ]);
    }

    /// <summary>
    /// The raw rotation of a family whose spent list is full: it reads the fields it moves (current, spent) and writes what
    /// the store's rotation writes — the rotated fields, the sealed successor, generation and version, the forgotten
    /// hash's pointer deleted and the successor's pointer set.
    /// </summary>
    public Task RawRotateAsync(string familyKey, RefreshTokenHash successor, byte[] sealedSuccessor, string pointerValue, string pointerTtl) =>
        RawAsync(
            RawRotate,
            [familyKey, Prefix + "rt:" + successor],
            [successor.ToString(), Ticks(Now), Ticks(Now + TimeSpan.FromDays(1)), sealedSuccessor, pointerValue, pointerTtl, Prefix + "rt:"]);

    /// <summary>Runs <paramref name="operation"/> once and returns the Redis commands it sent.</summary>
    public IReadOnlyList<string> CommandsOf(Func<Task> operation)
    {
        _profiling = new ProfilingSession();
        operation().GetAwaiter().GetResult();
        ProfilingSession session = _profiling;
        _profiling = null;
        return [.. session.FinishProfiling().Select(c => c.Command)];
    }

    /// <summary>Prints the commands a store operation and its raw counterpart send (run twice: the first loads the scripts).</summary>
    public void Report(string operation, Func<Task> store, Func<Task> raw)
    {
        Report(operation + ", store", store);
        Report(operation + ", raw", raw);
    }

    /// <summary>Prints the commands one call sends, once the server has the script cached.</summary>
    public void Report(string operation, Func<Task> call)
    {
        call().GetAwaiter().GetResult();
        IReadOnlyList<string> commands = CommandsOf(call);
        Console.WriteLine($"// Redis commands per {operation} (warm): {commands.Count} [{string.Join(", ", commands)}]");
    }

    /// <summary>Runs <paramref name="count"/> calls, <paramref name="parallel"/> at a time (for populating).</summary>
    public static void Populate(int count, int parallel, Func<int, Task> call)
    {
        int next = -1;
        Task[] workers = new Task[parallel];
        for (int w = 0; w < parallel; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                for (int i = System.Threading.Interlocked.Increment(ref next); i < count; i = System.Threading.Interlocked.Increment(ref next))
                {
                    await call(i);
                }
            });
        }

        Task.WaitAll(workers);
    }

    public void Dispose()
    {
        Store.Dispose();
        foreach (IServer server in _multiplexer.GetServers())
        {
            if (server.IsConnected && !server.IsReplica)
            {
                foreach (RedisKey key in server.Keys(pattern: Prefix + "*", pageSize: 1000))
                {
                    Database.KeyDelete(key, CommandFlags.FireAndForget);
                }
            }
        }

        Database.Ping();
        _multiplexer.Dispose();
    }

    private RedisKey[] InsertKeys(Session session) =>
        [UserKey(session.UserId, "s:" + session.Id), UserKey(session.UserId, "ss"), Prefix + "sid:" + session.Id];

    private IEnumerable<RedisValue> InsertValues(Session session)
    {
        DateTimeOffset purge = session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt;
        yield return session.Id.ToString();
        yield return Ttl(purge);
        yield return Millis(purge);
        yield return UserHash(session.UserId);
        yield return Ttl(session.AbsoluteExpiresAt);
        foreach (RedisValue value in (RedisValue[])
        [
            "id", session.Id.ToString(), "uid", session.UserId, "ca", Ticks(session.CreatedAt), "ls", Ticks(session.LastSeenAt),
            "ie", Ticks(session.IdleExpiresAt), "ae", Ticks(session.AbsoluteExpiresAt), "aa", Ticks(session.AuthenticatedAt),
            "al", "1", "v", "0", "ep", "0", "dv", "1", "du", session.Device!.UserAgent!, "dn", session.Device.Network!, "m:1", "pwd",
        ])
        {
            yield return value;
        }
    }

    private RedisKey[] RevokeKeys(Session session) =>
        [UserKey(session.UserId, "s:" + session.Id), UserKey(session.UserId, "ss"), UserKey(session.UserId, "sr")];

    private static RedisValue[] RevokeValues(Session session) =>
        [session.Id.ToString(), Ticks(Now), "2", Ttl(session.AbsoluteExpiresAt), Millis(session.AbsoluteExpiresAt)];

    private async Task RawAsync(string body, RedisKey[] keys, RedisValue[] values)
    {
        await Database.ScriptEvaluateAsync(_hashes[body], keys, values);
    }
}
