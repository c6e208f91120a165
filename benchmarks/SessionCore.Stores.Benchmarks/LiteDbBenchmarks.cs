using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;

namespace SessionCore.Stores.Benchmarks;

/// <summary>
/// Session validation on the LiteDB store against a raw LiteDB <c>FindById</c> on a copy of the same collection
/// (same documents, same indexes), and against the two raw lookups a validation needs (the session, then its user's
/// security epoch) in one transaction. The file is read through LiteDB's page cache after warm-up.
/// </summary>
[MemoryDiagnoser]
public class LiteDbBenchmarks
{
    private const int Count = 1000;
    private LiteDbFixture _fixture = null!;
    private LiteDatabase _raw = null!;
    private string _rawPath = string.Empty;
    private ILiteCollection<BsonDocument> _rawSessions = null!;
    private ILiteCollection<BsonDocument> _rawUsers = null!;
    private BsonValue _id = null!;
    private SessionId _sessionId;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = LiteDbFixture.Open(Count);
        _rawPath = LiteDbFixture.RawCopy(Count, "find");
        _raw = new LiteDatabase(new ConnectionString { Filename = _rawPath, Connection = ConnectionType.Direct });
        _rawSessions = LiteDbFixture.RawSessions(_raw);
        _rawUsers = _raw.GetCollection("users", BsonAutoId.ObjectId);
        _sessionId = SessionToken.TryParse(_fixture.Token, out SessionToken? token) ? token.Id : default;
        _id = _sessionId.ToString();
        if (_rawSessions.FindById(_id) is null || !Complete(_fixture.Manager.ValidateAsync(_fixture.Token)).IsValid)
        {
            throw new System.InvalidOperationException("The probe session is missing from the LiteDB file.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.Dispose();
        _raw.Dispose();
        LiteDbFixture.Delete(_rawPath);
    }

    [Benchmark(Baseline = true)]
    public BsonDocument RawLiteDbFindById() => _rawSessions.FindById(_id);

    [Benchmark]
    public long RawSessionAndEpochInOneTransaction()
    {
        _raw.BeginTrans();
        BsonDocument session = _rawSessions.FindById(_id);
        long epoch = _rawUsers.FindById(LiteDbMapper.UserKeyOf(session["u"].AsString)) is { } user ? user["ep"].AsInt64 : 0;
        _raw.Commit();
        return epoch;
    }

    [Benchmark]
    public Session? StoreFindAsync() => Complete(_fixture.Store.FindAsync(_sessionId));

    [Benchmark]
    public SessionCheck StoreValidateAsync() => Complete(_fixture.Store.ValidateAsync(_sessionId, _fixture.Manager.Rules, LiteDbFixture.Clock.GetUtcNow(), touch: true));

    [Benchmark]
    public SessionValidationResult ManagerValidateAsync() => Complete(_fixture.Manager.ValidateAsync(_fixture.Token));

    internal static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
