using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// A redemption on LiteDB of a family rotated 100 times against one rotated 10,000 times: a family remembers at most
/// <see cref="RefreshFamily.SpentTokenCapacity"/> spent tokens, so the cost must not grow with the depth. Both families are
/// rotated to their depth in the global setup and put back to it (document and token index) before every iteration, so
/// each invocation rotates a family within 16 rotations of its nominal depth.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[InvocationCount(Invocations)]
public class LiteDbRotationDepthBenchmarks
{
    private const int Invocations = 16;
    private static readonly DateTimeOffset Now = LiteDbWriteBenchmarks.T0.AddSeconds(30);

    private LiteDbSessionStore _store = null!;
    private string _path = string.Empty;
    private Chain _shallow = null!;
    private Chain _deep = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = System.IO.Path.Combine(BenchEnvironment.CacheFolder, $"store-depth-{Environment.ProcessId}.db");
        LiteDbFixture.Delete(_path);
        _store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = _path, PurgeInterval = null });
        _shallow = Chain.Build(_store, 100);
        _deep = Chain.Build(_store, 10_000);
    }

    [IterationSetup]
    public void Restore()
    {
        _shallow.Restore(_store.Database);
        _deep.Restore(_store.Database);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        LiteDbFixture.Delete(_path);
    }

    [Benchmark(Baseline = true)]
    public RefreshRedeemStatus RedeemAtRotation100() => _shallow.Redeem(_store);

    [Benchmark]
    public RefreshRedeemStatus RedeemAtRotation10000() => _deep.Redeem(_store);

    /// <summary>A family rotated to a given depth, with a snapshot of its stored documents to go back to.</summary>
    private sealed class Chain
    {
        private readonly List<RefreshTokenHash> _added = [];
        private BsonDocument _family = null!;
        private List<BsonDocument> _tokens = null!;
        private RefreshTokenHash _snapshotCurrent;
        private RefreshTokenHash _current;

        public static Chain Build(LiteDbSessionStore store, int rotations)
        {
            Session session = LiteDbWriteBenchmarks.NewSession("depth-" + rotations);
            LiteDbWriteBenchmarks.StoreWriter writer = new(store);
            RefreshFamily family = LiteDbWriteBenchmarks.NewFamily(session.Id, session.UserId);
            writer.Insert(session);
            writer.Insert(family);
            Chain chain = new() { _current = family.CurrentTokenHash };
            for (int i = 1; i <= rotations; i++)
            {
                chain._current = chain.Rotate(store, LiteDbWriteBenchmarks.T0.AddMilliseconds(i));
            }

            RefreshFamily stored = LiteDbWriteBenchmarks.Complete(store.FindRefreshFamilyByTokenAsync(chain._current))!;
            ILiteCollection<BsonDocument> tokens = store.Database.GetCollection("refresh_tokens");
            chain._family = store.Database.GetCollection("refresh_families").FindById(stored.FamilyId.ToString());
            chain._tokens = [];
            foreach (RefreshTokenHash hash in stored.TokenHashes)
            {
                chain._tokens.Add(tokens.FindById(hash.ToString()));
            }

            chain._snapshotCurrent = chain._current;
            chain._added.Clear();
            return chain;
        }

        public RefreshRedeemStatus Redeem(LiteDbSessionStore store)
        {
            _current = Rotate(store, Now);
            return RefreshRedeemStatus.Rotated;
        }

        public void Restore(LiteDatabase db)
        {
            ILiteCollection<BsonDocument> tokens = db.GetCollection("refresh_tokens");
            foreach (RefreshTokenHash hash in _added)
            {
                tokens.Delete(hash.ToString());
            }

            foreach (BsonDocument token in _tokens)
            {
                tokens.Upsert(token);
            }

            db.GetCollection("refresh_families").Upsert(_family);
            _added.Clear();
            _current = _snapshotCurrent;
        }

        private RefreshTokenHash Rotate(LiteDbSessionStore store, DateTimeOffset now)
        {
            RefreshTokenHash successor = LiteDbWriteBenchmarks.NewHash();
            RefreshRedemption redemption = new()
            {
                PresentedTokenHash = _current,
                SuccessorTokenHash = successor,
                SuccessorIdleExpiresAt = now.AddHours(1),
                SealedSuccessor = new byte[72],
                Rules = LiteDbWriteBenchmarks.Rules,
                Now = now,
            };
            if (LiteDbWriteBenchmarks.Complete(store.RedeemRefreshTokenAsync(redemption)).Status != RefreshRedeemStatus.Rotated)
            {
                throw new InvalidOperationException("The chain did not rotate.");
            }

            _added.Add(successor);
            return successor;
        }
    }
}
