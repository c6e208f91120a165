using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

/// <summary>The write operations the LiteDB benchmarks compare with a raw transaction.</summary>
public enum LiteDbWrite
{
    /// <summary>A sign-in without a limit: the user's epoch read, the session inserted.</summary>
    SignIn,

    /// <summary>A sign-in at a limit of 3 with 3 live sessions: the oldest revoked with its family, the new one inserted.</summary>
    SignInWithEviction,

    /// <summary>A regeneration: the replacement inserted, the session revoked with its family.</summary>
    Regenerate,

    /// <summary>A sign-out: the session revoked with its family.</summary>
    Revoke,

    /// <summary>A refresh issue: a new family and its token's index entry.</summary>
    Issue,

    /// <summary>A refresh redemption: the family rotated, the successor indexed.</summary>
    Redeem,

    /// <summary>An issue and then the redemption of its token, two operations.</summary>
    IssueThenRedeem,

    /// <summary>An invalidation: the epoch advanced and 3 sessions revoked with their families.</summary>
    Invalidate,
}

/// <summary>
/// Each LiteDB write operation through the store against <see cref="LiteDbRaw"/>: a raw LiteDB transaction that makes the
/// same writes on a file with the same layout, in the same run. Every invocation works on records prepared in the untimed
/// iteration setup (a fresh session, family or user per invocation), so every one measures the same step.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[InvocationCount(Invocations)]
public class LiteDbWriteBenchmarks
{
    internal const int Invocations = 32;
    internal static readonly DateTimeOffset T0 = LiteDbFixture.Clock.GetUtcNow();
    internal static readonly SessionRules Rules = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    // The operations run 30 seconds after the records were made: no sliding renewal is due, on either side.
    internal static readonly DateTimeOffset Now = T0.AddSeconds(30);

    private readonly Queue<Target> _store = new();
    private readonly Queue<Target> _raw = new();
    private LiteDbSessionStore _storeDb = null!;
    private LiteDbRaw _rawDb = null!;
    private string _storePath = string.Empty;

    [ParamsAllValues]
    public LiteDbWrite Operation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rawDb = LiteDbRaw.Create("write");
        _storePath = System.IO.Path.Combine(BenchEnvironment.CacheFolder, $"store-write-{Environment.ProcessId}.db");
        LiteDbFixture.Delete(_storePath);
        _storeDb = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _storePath, PurgeInterval = null });
    }

    [IterationSetup]
    public void Prepare()
    {
        _store.Clear();
        _raw.Clear();
        for (int i = 0; i < Invocations; i++)
        {
            _store.Enqueue(Target.Prepare(Operation, new StoreWriter(_storeDb)));
            _raw.Enqueue(Target.Prepare(Operation, new RawWriter(_rawDb)));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _storeDb.Dispose();
        LiteDbFixture.Delete(_storePath);
        _rawDb.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int RawTransaction() => Run(_raw.Dequeue(), new RawWriter(_rawDb));

    [Benchmark]
    public int Store() => Run(_store.Dequeue(), new StoreWriter(_storeDb));

    internal static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    internal static Session NewSession(string userId) => new()
    {
        Id = SessionId.Parse(LiteDbFixture.RandomSessionId()),
        UserId = userId,
        CreatedAt = T0,
        LastSeenAt = T0,
        AuthenticatedAt = T0,
        IdleExpiresAt = T0 + Rules.IdleTimeout,
        AbsoluteExpiresAt = T0 + Rules.AbsoluteLifetime,
        AuthenticationLevel = 1,
        AuthenticationMethods = ["pwd"],
    };

    internal static RefreshFamily NewFamily(SessionId sessionId, string userId) => new()
    {
        FamilyId = RefreshFamilyId.Parse(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))),
        SessionId = sessionId,
        UserId = userId,
        CreatedAt = T0,
        AbsoluteExpiresAt = T0.AddHours(8),
        CurrentTokenHash = NewHash(),
        CurrentIssuedAt = T0,
        CurrentIdleExpiresAt = T0.AddHours(1),
        SealedCurrentToken = new byte[72],
    };

    internal static RefreshTokenHash NewHash() => RefreshTokenHash.Parse(LiteDbFixture.RandomSessionId());

    internal static int Run(Target target, IWriter writer) => target.Operation switch
    {
        LiteDbWrite.SignIn => writer.SignIn(target.Session),
        LiteDbWrite.SignInWithEviction => writer.SignInWithEviction(target.Session),
        LiteDbWrite.Regenerate => writer.Regenerate(target.Session.Id, target.NewId),
        LiteDbWrite.Revoke => writer.Revoke(target.Session.Id),
        LiteDbWrite.Issue => writer.Issue(target.Family),
        LiteDbWrite.Redeem => writer.Redeem(target.Family.CurrentTokenHash, target.Successor),
        LiteDbWrite.IssueThenRedeem => writer.Issue(target.Family) + writer.Redeem(target.Family.CurrentTokenHash, target.Successor),
        _ => writer.Invalidate(target.Session.UserId),
    };

    /// <summary>One side of the comparison: the operations, and the same preparation through the same side.</summary>
    internal interface IWriter
    {
        void Insert(Session session);

        void Insert(RefreshFamily family);

        int SignIn(Session session);

        int SignInWithEviction(Session session);

        int Regenerate(SessionId current, SessionId replacement);

        int Revoke(SessionId id);

        int Issue(RefreshFamily family);

        int Redeem(RefreshTokenHash presented, RefreshTokenHash successor);

        int Invalidate(string userId);
    }

    /// <summary>The records one invocation works on.</summary>
    internal sealed record Target(LiteDbWrite Operation, Session Session, RefreshFamily Family, SessionId NewId, RefreshTokenHash Successor)
    {
        public static Target Prepare(LiteDbWrite operation, IWriter writer)
        {
            string user = "bench-" + LiteDbFixture.RandomSessionId()[..12];
            Session session = NewSession(user);
            RefreshFamily family = NewFamily(session.Id, user);
            switch (operation)
            {
                case LiteDbWrite.SignInWithEviction or LiteDbWrite.Invalidate:
                    // Three live sessions, each with a family; the sign-in is the fourth.
                    for (int i = 0; i < 3; i++)
                    {
                        Session existing = NewSession(user) with { LastSeenAt = T0.AddTicks(-i) };
                        writer.Insert(existing);
                        writer.Insert(NewFamily(existing.Id, user));
                    }

                    break;
                case LiteDbWrite.Regenerate or LiteDbWrite.Revoke or LiteDbWrite.Redeem:
                    writer.Insert(session);
                    writer.Insert(family);
                    break;
                case LiteDbWrite.Issue or LiteDbWrite.IssueThenRedeem:
                    writer.Insert(session);
                    break;
            }

            return new Target(operation, session, family, SessionId.Parse(LiteDbFixture.RandomSessionId()), NewHash());
        }
    }

    internal readonly struct RawWriter(LiteDbRaw raw) : IWriter
    {
        public void Insert(Session session) => raw.SignIn(session);

        public void Insert(RefreshFamily family) => raw.Issue(family);

        public int SignIn(Session session)
        {
            raw.SignIn(session);
            return 1;
        }

        public int SignInWithEviction(Session session) => raw.SignInWithEviction(session, 3, Now) == 1 ? 1 : throw Unexpected();

        public int Regenerate(SessionId current, SessionId replacement)
        {
            raw.Regenerate(current, replacement, Now);
            return 1;
        }

        public int Revoke(SessionId id)
        {
            raw.Revoke(id, Now);
            return 1;
        }

        public int Issue(RefreshFamily family)
        {
            raw.Issue(family with { CreatedAt = Now, CurrentIssuedAt = Now });
            return 1;
        }

        public int Redeem(RefreshTokenHash presented, RefreshTokenHash successor)
        {
            raw.Redeem(presented, successor, Now);
            return 1;
        }

        public int Invalidate(string userId) => raw.Invalidate(userId, Now) == 3 ? 1 : throw Unexpected();
    }

    internal readonly struct StoreWriter(LiteDbSessionStore store) : IWriter
    {
        public void Insert(Session session) => Complete(store.CreateAsync(new SessionCreation { Session = session, Rules = Rules, Now = T0 }));

        public void Insert(RefreshFamily family) => Complete(store.CreateRefreshFamilyAsync(Issuing(family, T0)));

        public int SignIn(Session session) =>
            Complete(store.CreateAsync(new SessionCreation { Session = session, Rules = Rules, Now = Now })).IsSuccess ? 1 : throw Unexpected();

        public int SignInWithEviction(Session session) =>
            Complete(store.CreateAsync(new SessionCreation { Session = session, Rules = Rules, Limit = new SessionLimit(3, SessionLimitMode.EvictOldest), Now = Now })).Evicted.Count == 1 ? 1 : throw Unexpected();

        public int Regenerate(SessionId current, SessionId replacement) =>
            Complete(store.RegenerateAsync(new SessionRegeneration { CurrentId = current, Replacement = new SessionReplacement { NewId = replacement }, Rules = Rules, Now = Now })).Replacement is not null ? 1 : throw Unexpected();

        public int Revoke(SessionId id) => Complete(store.RevokeAsync(id, null, RevocationReason.Logout, Now)) is not null ? 1 : throw Unexpected();

        public int Issue(RefreshFamily family) => Complete(store.CreateRefreshFamilyAsync(Issuing(family, Now))).Family is not null ? 1 : throw Unexpected();

        public int Redeem(RefreshTokenHash presented, RefreshTokenHash successor) =>
            Complete(store.RedeemRefreshTokenAsync(new RefreshRedemption { PresentedTokenHash = presented, SuccessorTokenHash = successor, SuccessorIdleExpiresAt = Now.AddHours(1), SealedSuccessor = new byte[72], Rules = Rules, Now = Now })).Status == RefreshRedeemStatus.Rotated
                ? 1
                : throw Unexpected();

        public int Invalidate(string userId) =>
            Complete(store.RevokeUserSessionsAsync(new UserRevocation { UserId = userId, Reason = RevocationReason.PasswordChanged, AdvanceEpoch = true, Rules = Rules, Now = Now })).Revoked.Count == 3 ? 1 : throw Unexpected();

        private static RefreshFamilyCreation Issuing(RefreshFamily family, DateTimeOffset now) => new()
        {
            FamilyId = family.FamilyId,
            SessionId = family.SessionId,
            TokenHash = family.CurrentTokenHash,
            Lifetime = TimeSpan.FromHours(8),
            IdleLifetime = TimeSpan.FromHours(1),
            Rules = Rules,
            Now = now,
        };
    }

    private static InvalidOperationException Unexpected() => new("The operation did not do what the benchmark measures.");
}
