using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Benchmarks;

/// <summary>
/// Validating a presented session token on the in-memory store against the bare store lookup it is built on,
/// so the ratio is the manager's own cost: parsing, hashing the token to its id, classifying expiry and telemetry.
/// </summary>
[MemoryDiagnoser]
public class SessionsBenchmarks
{
    private SessionManager _manager = null!;
    private InMemorySessionStore _store = null!;
    private string _token = string.Empty;
    private SessionId _id;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemorySessionStore();
        _manager = new SessionManagerBuilder { Store = _store, TimeProvider = new FixedClock() }.Build();
        SessionToken token = _manager.SignInAsync(new SignInRequest("bench")).AsTask().GetAwaiter().GetResult().Value;
        _token = token.Reveal();
        _id = token.Id;
    }

    [Benchmark(Baseline = true)]
    public Session? StoreFindById() => Complete(_store.FindAsync(_id));

    [Benchmark]
    public SessionValidationResult ValidateToken() => Complete(_manager.ValidateAsync(_token));

    // The in-memory store completes synchronously; block only when it did not, so no Task is allocated for nothing.
    private static T Complete<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
