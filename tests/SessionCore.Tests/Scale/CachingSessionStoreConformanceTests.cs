using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using SessionCore.Scale;
using SessionCore.StoreConformance;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;

namespace SessionCore.Tests.Scale;

/// <summary>
/// The node cache in front of the reference store answers every conformance case as the store alone does. The backend is
/// made unavailable by failing the inner store; the cache is then told its subscription is gone too, so nothing is
/// answered from memory (with the subscription up, a cached validation is answered for up to T — by design).
/// </summary>
public sealed class CachingSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly ConditionalWeakTable<ISessionStore, Parts> _parts = [];

    protected override ValueTask<ISessionStore> CreateStoreAsync()
    {
        DelegatingStore inner = new(new InMemorySessionStore());
        ControllableBus bus = new();
        CachingSessionStore cache = new(inner, bus);
        _parts.Add(cache, new Parts(inner, bus));
        return ValueTask.FromResult<ISessionStore>(cache);
    }

    protected override ValueTask<bool> MakeUnavailableAsync(ISessionStore store)
    {
        Parts parts = _parts.GetOrCreateValue(store);
        parts.Inner!.Fail = true;
        parts.Bus!.Disconnect();
        return ValueTask.FromResult(true);
    }

    private sealed class Parts(DelegatingStore? inner, ControllableBus? bus)
    {
        public Parts()
            : this(null, null)
        {
        }

        public DelegatingStore? Inner { get; } = inner;

        public ControllableBus? Bus { get; } = bus;
    }

    private sealed class ControllableBus : ISessionInvalidationBus
    {
        private readonly InProcessInvalidationBus _inner = new();
        private ISessionInvalidationHandler? _handler;

        public bool PublishesStoreChanges => false;

        public ValueTask PublishAsync(SessionInvalidation invalidation, System.Threading.CancellationToken cancellationToken = default) =>
            _inner.PublishAsync(invalidation, cancellationToken);

        public System.IDisposable Subscribe(ISessionInvalidationHandler handler)
        {
            _handler = handler;
            return _inner.Subscribe(handler);
        }

        public void Disconnect() => _handler?.OnConnectionChanged(false);
    }
}
