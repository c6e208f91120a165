using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

// Each write operation of the Redis store against the raw engine making the same key writes (a Lua script with the
// same keys, fields and expiries, without the store's reads and decisions), one class per operation so that each has
// its own baseline. Registered only when SESSIONCORE_REDIS is set. Operations that consume a record (revoke,
// invalidate) draw from a pool filled in setup; their invocation count is fixed so the pool always suffices.

/// <summary>Sign-in without a limit: <c>CreateAsync</c> against the raw insert (hash, expiry, index entry, pointer).</summary>
[MemoryDiagnoser]
public class RedisSignInBenchmarks
{
    private RedisWriteFixture _fixture = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("signin");
        _fixture.Report("sign-in", Store, Raw);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => _fixture.RawInsertAsync(RedisWriteFixture.NewSession("raw-" + (_next++ & 255)));

    [Benchmark]
    public async Task Store() => await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(RedisWriteFixture.NewSession("store-" + (_next++ & 255))));
}

/// <summary>Sign-in at a limit of 3 that evicts the least recently seen session: the insert plus one revocation.</summary>
[MemoryDiagnoser]
public class RedisSignInEvictBenchmarks
{
    private const int Users = 64;
    private static readonly SessionLimit Limit = new(3, SessionLimitMode.EvictOldest);
    private readonly Queue<Session>[] _raw = new Queue<Session>[Users];
    private RedisWriteFixture _fixture = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("evict");
        for (int u = 0; u < Users; u++)
        {
            _raw[u] = new Queue<Session>();
            for (int i = 0; i < 3; i++)
            {
                Session session = RedisWriteFixture.NewSession("raw-" + u);
                _fixture.RawInsertAsync(session).GetAwaiter().GetResult();
                _raw[u].Enqueue(session);
                _fixture.Store.CreateAsync(RedisWriteFixture.Creation(RedisWriteFixture.NewSession("store-" + u), Limit)).AsTask().GetAwaiter().GetResult();
            }
        }

        _fixture.Report("sign-in with eviction", Store, Raw);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw()
    {
        Queue<Session> sessions = _raw[_next++ % Users];
        Session inserted = RedisWriteFixture.NewSession(sessions.Peek().UserId);
        Session evicted = sessions.Dequeue();
        sessions.Enqueue(inserted);
        return _fixture.RawInsertAndRevokeAsync(inserted, evicted);
    }

    [Benchmark]
    public async Task Store()
    {
        SessionCreateResult result = await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(RedisWriteFixture.NewSession("store-" + (_next++ % Users)), Limit));
        if (result.Evicted.Count != 1)
        {
            throw new InvalidOperationException("The sign-in did not evict.");
        }
    }
}

/// <summary>Regeneration along a chain: each call replaces the session the previous call created (insert plus revocation).</summary>
[MemoryDiagnoser]
public class RedisRegenerateBenchmarks
{
    private RedisWriteFixture _fixture = null!;
    private Session _raw = null!;
    private SessionId _current;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("regenerate");
        _raw = RedisWriteFixture.NewSession("raw");
        _fixture.RawInsertAsync(_raw).GetAwaiter().GetResult();
        Session session = RedisWriteFixture.NewSession("store");
        _fixture.Store.CreateAsync(RedisWriteFixture.Creation(session)).AsTask().GetAwaiter().GetResult();
        _current = session.Id;
        _fixture.Report("regenerate", Store, Raw);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw()
    {
        Session previous = _raw;
        _raw = RedisWriteFixture.NewSession(previous.UserId);
        return _fixture.RawInsertAndRevokeAsync(_raw, previous);
    }

    [Benchmark]
    public async Task Store()
    {
        SessionId next = RedisWriteFixture.NewId();
        SessionRegenerateResult result = await _fixture.Store.RegenerateAsync(new SessionRegeneration
        {
            CurrentId = _current,
            Replacement = new SessionReplacement { NewId = next },
            Rules = RedisWriteFixture.Rules,
            Now = RedisWriteFixture.Now,
        });
        _current = result.IsSuccess ? next : throw new InvalidOperationException("The regeneration failed.");
    }
}

/// <summary>Revocation of one session (no families): its revocation fields, version, expiry and index move.</summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class RedisRevokeBenchmarks
{
    private const int Invocations = 512;
    private RedisWriteFixture _fixture = null!;
    private Session[] _raw = null!;
    private Session[] _store = null!;
    private int _nextRaw;
    private int _nextStore;

    [GlobalSetup(Target = nameof(Raw))]
    public void SetupRaw()
    {
        _fixture = new RedisWriteFixture("revoke");
        _raw = new Session[Pool.Size];
        RedisWriteFixture.Populate(Pool.Size, 64, async i =>
        {
            _raw[i] = RedisWriteFixture.NewSession("raw-" + (i & 1023));
            await _fixture.RawInsertAsync(_raw[i]);
        });
        _fixture.Report("revoke, raw", Raw);
    }

    [GlobalSetup(Target = nameof(Store))]
    public void SetupStore()
    {
        _fixture = new RedisWriteFixture("revoke");
        _store = new Session[Pool.Size];
        RedisWriteFixture.Populate(Pool.Size, 64, async i =>
        {
            _store[i] = RedisWriteFixture.NewSession("store-" + (i & 1023));
            await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(_store[i]));
        });
        _fixture.Report("revoke, store", Store);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => _fixture.RawRevokeAsync(Pool.Take(_raw, ref _nextRaw));

    [Benchmark]
    public async Task Store()
    {
        Session session = Pool.Take(_store, ref _nextStore);
        if (await _fixture.Store.RevokeAsync(session.Id, null, RevocationReason.Logout, RedisWriteFixture.Now) is null)
        {
            throw new InvalidOperationException("The revocation found nothing.");
        }
    }
}

/// <summary>Invalidation of a user with one session: the epoch advance and the revocation in one step.</summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class RedisInvalidateBenchmarks
{
    private const int Invocations = 512;
    private RedisWriteFixture _fixture = null!;
    private Session[] _raw = null!;
    private Session[] _store = null!;
    private int _nextRaw;
    private int _nextStore;

    [GlobalSetup(Target = nameof(Raw))]
    public void SetupRaw()
    {
        _fixture = new RedisWriteFixture("invalidate");
        _raw = new Session[Pool.Size];
        RedisWriteFixture.Populate(Pool.Size, 64, async i =>
        {
            _raw[i] = RedisWriteFixture.NewSession("raw-" + i);
            await _fixture.RawInsertAsync(_raw[i]);
        });
        _fixture.Report("invalidate, raw", Raw);
    }

    [GlobalSetup(Target = nameof(Store))]
    public void SetupStore()
    {
        _fixture = new RedisWriteFixture("invalidate");
        _store = new Session[Pool.Size];
        RedisWriteFixture.Populate(Pool.Size, 64, async i =>
        {
            _store[i] = RedisWriteFixture.NewSession("store-" + i);
            await _fixture.Store.CreateAsync(RedisWriteFixture.Creation(_store[i]));
        });
        _fixture.Report("invalidate, store", Store);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => _fixture.RawInvalidateAsync(Pool.Take(_raw, ref _nextRaw));

    [Benchmark]
    public async Task Store()
    {
        Session session = Pool.Take(_store, ref _nextStore);
        UserRevocationResult result = await _fixture.Store.RevokeUserSessionsAsync(new UserRevocation
        {
            UserId = session.UserId,
            Reason = RevocationReason.PasswordChanged,
            AdvanceEpoch = true,
            Rules = RedisWriteFixture.Rules,
            Now = RedisWriteFixture.Now,
        });
        if (result.Revoked.Count != 1)
        {
            throw new InvalidOperationException("The invalidation revoked nothing.");
        }
    }
}

/// <summary>Issue of a refresh family for a live session: the family, its indexes and its token pointer.</summary>
[MemoryDiagnoser]
public class RedisIssueBenchmarks
{
    private const int Sessions = 64;
    private readonly Session[] _raw = new Session[Sessions];
    private readonly Session[] _store = new Session[Sessions];
    private RedisWriteFixture _fixture = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("issue");
        for (int i = 0; i < Sessions; i++)
        {
            _raw[i] = RedisWriteFixture.NewSession("raw-" + i);
            _store[i] = RedisWriteFixture.NewSession("store-" + i);
            _fixture.RawInsertAsync(_raw[i]).GetAwaiter().GetResult();
            _fixture.Store.CreateAsync(RedisWriteFixture.Creation(_store[i])).AsTask().GetAwaiter().GetResult();
        }

        _fixture.Report("issue", Store, Raw);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => _fixture.RawIssueAsync(_raw[_next++ % Sessions], RedisWriteFixture.NewFamilyId(), RedisWriteFixture.NewHash());

    [Benchmark]
    public async Task Store()
    {
        RefreshFamilyCreateResult result = await _fixture.Store.CreateRefreshFamilyAsync(new RefreshFamilyCreation
        {
            FamilyId = RedisWriteFixture.NewFamilyId(),
            SessionId = _store[_next++ % Sessions].Id,
            TokenHash = RedisWriteFixture.NewHash(),
            Lifetime = TimeSpan.FromDays(7),
            IdleLifetime = TimeSpan.FromDays(1),
            Rules = RedisWriteFixture.Rules,
            Now = RedisWriteFixture.Now,
        });
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("The issue failed.");
        }
    }
}

/// <summary>
/// Redemption along a chain whose family remembers a full spent list (the steady state): the rotation, the forgotten
/// hash's pointer deleted and the successor's pointer set.
/// </summary>
[MemoryDiagnoser]
public class RedisRedeemBenchmarks
{
    private RedisWriteFixture _fixture = null!;
    private RedeemChain _raw = null!;
    private RedeemChain _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RedisWriteFixture("redeem");
        _raw = RedeemChain.Start(_fixture, "raw", RefreshFamily.SpentTokenCapacity + 2);
        _store = RedeemChain.Start(_fixture, "store", RefreshFamily.SpentTokenCapacity + 2);
        _fixture.Report("redeem", Store, Raw);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true)]
    public Task Raw() => _raw.RawRotateAsync();

    [Benchmark]
    public Task Store() => _store.RedeemAsync();
}

/// <summary>A record pool drawn from in order; running dry is an error, never a silent change of what is measured.</summary>
internal static class Pool
{
    /// <summary>Enough for the pilot-free runs the classes fix: 512 invocations for up to 48 warm-up and workload iterations.</summary>
    public const int Size = 48 * 512;

    public static Session Take(Session[] pool, ref int next) =>
        next < pool.Length ? pool[next++] : throw new InvalidOperationException("The benchmark ran more invocations than its pool holds.");
}

/// <summary>A session and a refresh family rotated to a given depth, redeemed further by each call.</summary>
internal sealed class RedeemChain
{
    private readonly RedisWriteFixture _fixture;
    private readonly string _familyKey;
    private readonly string _pointerValue;
    private readonly string _pointerTtl;
    private RefreshTokenHash _current;

    private RedeemChain(RedisWriteFixture fixture, Session session, RefreshFamily family)
    {
        _fixture = fixture;
        _current = family.CurrentTokenHash;
        _familyKey = fixture.UserKey(session.UserId, "f:" + family.FamilyId);
        _pointerValue = RedisWriteFixture.UserHash(session.UserId) + family.FamilyId;
        _pointerTtl = RedisWriteFixture.Ttl(family.AbsoluteExpiresAt);
    }

    public static RedeemChain Start(RedisWriteFixture fixture, string user, int rotations)
    {
        Session session = RedisWriteFixture.NewSession(user);
        fixture.Store.CreateAsync(RedisWriteFixture.Creation(session)).AsTask().GetAwaiter().GetResult();
        RefreshFamily family = fixture.Store.CreateRefreshFamilyAsync(new RefreshFamilyCreation
        {
            FamilyId = RedisWriteFixture.NewFamilyId(),
            SessionId = session.Id,
            TokenHash = RedisWriteFixture.NewHash(),
            Lifetime = TimeSpan.FromDays(7),
            IdleLifetime = TimeSpan.FromDays(1),
            Rules = RedisWriteFixture.Rules,
            Now = RedisWriteFixture.Now,
        }).AsTask().GetAwaiter().GetResult().Family!;
        RedeemChain chain = new(fixture, session, family);
        for (int i = 0; i < rotations; i++)
        {
            chain.RedeemAsync().GetAwaiter().GetResult();
        }

        return chain;
    }

    public async Task RedeemAsync()
    {
        RefreshRedemption redemption = RedisWriteFixture.Redemption(_current);
        RefreshRedeemResult result = await _fixture.Store.RedeemRefreshTokenAsync(redemption);
        _current = result.Status == RefreshRedeemStatus.Rotated ? redemption.SuccessorTokenHash : throw new InvalidOperationException("The redemption did not rotate: " + result.Status);
    }

    public Task RawRotateAsync()
    {
        RefreshTokenHash successor = RedisWriteFixture.NewHash();
        _current = successor;
        return _fixture.RawRotateAsync(_familyKey, successor, System.Security.Cryptography.RandomNumberGenerator.GetBytes(72), _pointerValue, _pointerTtl);
    }
}
