using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Diagnostics;
using SessionCore.Scale;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Scale;

/// <summary>
/// Several nodes (managers, each with its own cache) over one store and one in-process bus, on one fake clock. The store
/// is observed through a <see cref="DelegatingStore"/>, so every test can tell a cache answer from a store answer.
/// </summary>
public sealed class CachingSessionStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Validate = nameof(ISessionStore.ValidateAsync);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(Start);
    private readonly DelegatingStore _store = new(new InMemorySessionStore());
    private readonly SwitchableBus _bus = new();

    [Fact]
    public async Task ValidateAsync_WithinStaleness_AnsweredFromCache()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        _store.ResetCalls();

        Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);
        Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);

        Assert.Equal(1, _store.Calls(Validate));
    }

    [Fact]
    public async Task ValidateAsync_AtStaleness_AsksTheStore()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        await a.Manager.ValidateAsync(token, Ct);
        _store.ResetCalls();

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);

        Assert.Equal(1, _store.Calls(Validate));
    }

    [Fact]
    public async Task RevokeAsync_OnAnotherNode_EveryNodeRefusesAtOnce()
    {
        Node a = NewNode();
        Node[] others = [NewNode(), NewNode(), NewNode()];
        SessionToken token = await SignInAsync(a, "alice");
        foreach (Node node in others)
        {
            Assert.True((await node.Manager.ValidateAsync(token, Ct)).IsValid);
            Assert.True((await node.Manager.ValidateAsync(token, Ct)).IsValid);
        }

        Assert.Equal(SessionOperationStatus.Done, await a.Manager.RevokeAsync(token.Id, RevocationReason.Administrative, Ct));

        foreach (Node node in others)
        {
            Assert.Equal(SessionValidationStatus.Revoked, (await node.Manager.ValidateAsync(token, Ct)).Status);
        }
    }

    [Fact]
    public async Task RevokeAsync_WithoutTheBus_RefusedNoLaterThanStaleness()
    {
        Node a = NewNode();
        Node b = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        await b.Manager.ValidateAsync(token, Ct);

        // The invalidation is lost without the subscription dropping: only the staleness bound protects b.
        _bus.Drop = true;
        await a.Manager.RevokeAsync(token.Id, RevocationReason.Administrative, Ct);
        Assert.True((await b.Manager.ValidateAsync(token, Ct)).IsValid);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SessionValidationStatus.Revoked, (await b.Manager.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_SubscriptionLost_ReadsTheStoreUntilBack()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        await a.Manager.ValidateAsync(token, Ct);
        _store.ResetCalls();

        _bus.SetConnected(false);
        Assert.False(a.Cache.IsServingFromCache);
        await a.Manager.ValidateAsync(token, Ct);
        await a.Manager.ValidateAsync(token, Ct);
        Assert.Equal(2, _store.Calls(Validate));

        _bus.SetConnected(true);
        await a.Manager.ValidateAsync(token, Ct);
        await a.Manager.ValidateAsync(token, Ct);
        Assert.Equal(3, _store.Calls(Validate));
    }

    [Fact]
    public async Task ValidateAsync_SubscriptionAndStoreLost_FailsClosed()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        await a.Manager.ValidateAsync(token, Ct);

        _bus.SetConnected(false);
        _store.Fail = true;

        Assert.Equal(SessionValidationStatus.StoreUnavailable, (await a.Manager.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_StoreLostWhileSubscribed_ServesNoLongerThanStaleness()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        await a.Manager.ValidateAsync(token, Ct);
        _store.Fail = true;

        Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SessionValidationStatus.StoreUnavailable, (await a.Manager.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task RevokeEverySessionAsync_OnAnotherNode_EveryNodeRefuses()
    {
        Node a = NewNode();
        Node b = NewNode();
        SessionToken alice = await SignInAsync(a, "alice");
        SessionToken bob = await SignInAsync(a, "bob");
        await b.Manager.ValidateAsync(alice, Ct);
        await b.Manager.ValidateAsync(bob, Ct);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await a.Manager.RevokeEverySessionAsync(Ct);

        Assert.Equal(SessionValidationStatus.Revoked, (await b.Manager.ValidateAsync(alice, Ct)).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await b.Manager.ValidateAsync(bob, Ct)).Status);
        Assert.Equal(0, b.Cache.Count);
    }

    [Fact]
    public async Task InvalidateUserAsync_OnAnotherNode_DropsTheUsersSessionsAndEpoch()
    {
        Node a = NewNode();
        Node b = NewNode();
        SessionToken alice = await SignInAsync(a, "alice");
        SessionToken bob = await SignInAsync(a, "bob");
        await b.Manager.ValidateAsync(alice, Ct);
        await b.Manager.ValidateAsync(bob, Ct);
        Assert.Equal(0, await b.Cache.GetSecurityEpochAsync("alice", Ct));

        await a.Manager.InvalidateUserAsync("alice", InvalidationTrigger.PasswordChanged, cancellationToken: Ct);

        Assert.Equal(SessionValidationStatus.Revoked, (await b.Manager.ValidateAsync(alice, Ct)).Status);
        Assert.Equal(1, await b.Cache.GetSecurityEpochAsync("alice", Ct));
        _store.ResetCalls();
        Assert.True((await b.Manager.ValidateAsync(bob, Ct)).IsValid);
        Assert.Equal(0, _store.Calls(Validate));
    }

    [Fact]
    public async Task GetSecurityEpochAsync_WithinStaleness_AnsweredFromCache()
    {
        Node a = NewNode();
        await SignInAsync(a, "alice");
        _store.ResetCalls();

        await a.Cache.GetSecurityEpochAsync("alice", Ct);
        await a.Cache.GetSecurityEpochAsync("alice", Ct);

        Assert.Equal(1, _store.Calls(nameof(ISessionStore.GetSecurityEpochAsync)));
    }

    [Fact]
    public async Task ValidateAsync_RenewalDue_WritesThroughTheStore()
    {
        Node a = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        Session before = (await a.Manager.ValidateAsync(token, Ct)).Value;

        // Within T of the last read but past the renewal interval: the renewal is the store's, as without a cache.
        a.Cache.Dispose();
        Node b = NewNode(TimeSpan.FromSeconds(30));
        await b.Manager.ValidateAsync(token, Ct);
        _store.ResetCalls();
        _time.Advance(new SessionOptions().RenewalInterval);

        Session after = (await b.Manager.ValidateAsync(token, Ct)).Value;

        Assert.Equal(1, _store.Calls(Validate));
        Assert.True(after.LastSeenAt > before.LastSeenAt);
    }

    [Fact]
    public async Task ValidateAsync_InvalidationDuringTheRead_NotCached()
    {
        Node a = NewNode();
        Node b = NewNode();
        SessionToken token = await SignInAsync(a, "alice");

        // b's read returns the session as valid, but a revocation lands while the answer is on its way.
        int armed = 1;
        _store.After = async (operation, _) =>
        {
            if (operation == Validate && Interlocked.Exchange(ref armed, 0) == 1)
            {
                await a.Manager.RevokeAsync(token.Id, RevocationReason.Administrative, Ct);
            }
        };
        Assert.True((await b.Manager.ValidateAsync(token, Ct)).IsValid);
        _store.After = null;

        Assert.Equal(SessionValidationStatus.Revoked, (await b.Manager.ValidateAsync(token, Ct)).Status);
    }

    [Fact]
    public async Task ValidateAsync_CacheFull_StaysBounded()
    {
        Node a = NewNode(capacity: 2);
        SessionToken[] tokens = [await SignInAsync(a, "u1"), await SignInAsync(a, "u2"), await SignInAsync(a, "u3")];
        foreach (SessionToken token in tokens)
        {
            Assert.True((await a.Manager.ValidateAsync(token, Ct)).IsValid);
        }

        Assert.Equal(2, a.Cache.Count);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await a.Manager.ValidateAsync(tokens[2], Ct)).IsValid);
        Assert.Equal(1, a.Cache.Count);
    }

    [Fact]
    public async Task Invalidation_Applied_RecordsPropagationAndCounts()
    {
        Node a = NewNode();
        Node b = NewNode();
        SessionToken token = await SignInAsync(a, "alice");
        List<(string Name, double Value)> seen = [];
        using MeterListener listener = new();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SessionCoreTelemetry.Name && instrument.Name.StartsWith("sessioncore.invalidations.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (seen) { seen.Add((i.Name, v)); } });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (seen) { seen.Add((i.Name, v)); } });
        listener.Start();

        await a.Manager.RevokeAsync(token.Id, RevocationReason.Administrative, Ct);

        lock (seen)
        {
            Assert.Contains(seen, m => m.Name == "sessioncore.invalidations.published");
            Assert.Contains(seen, m => m.Name == "sessioncore.invalidations.applied");
            Assert.Contains(seen, m => m.Name == "sessioncore.invalidations.propagation" && m.Value >= 0);
        }

        GC.KeepAlive(b);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(30_001)]
    public void Constructor_StalenessOutOfBounds_Throws(int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingSessionStore(_store, _bus, new NodeCacheOptions { Staleness = TimeSpan.FromMilliseconds(milliseconds) }));

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Constructor_CapacityOutOfBounds_Throws(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingSessionStore(_store, _bus, new NodeCacheOptions { Capacity = capacity }));

    private Node NewNode(TimeSpan? staleness = null, int capacity = 10_000)
    {
        CachingSessionStore cache = new(_store, _bus, new NodeCacheOptions { Staleness = staleness ?? TimeSpan.FromSeconds(2), Capacity = capacity }, _time);
        SessionManager manager = new SessionManagerBuilder { Store = cache, TimeProvider = _time }.Build();
        return new Node(cache, manager);
    }

    private static async Task<SessionToken> SignInAsync(Node node, string userId) =>
        (await node.Manager.SignInAsync(new SignInRequest(userId), Ct)).Value;

    private sealed record Node(CachingSessionStore Cache, SessionManager Manager);

    /// <summary>An in-process bus whose subscription can be dropped, or whose messages can be lost without it noticing.</summary>
    private sealed class SwitchableBus : ISessionInvalidationBus
    {
        private readonly InProcessInvalidationBus _inner = new();
        private readonly List<ISessionInvalidationHandler> _handlers = [];

        public bool PublishesStoreChanges => false;

        public bool Drop { get; set; }

        public ValueTask PublishAsync(SessionInvalidation invalidation, CancellationToken cancellationToken = default) =>
            Drop ? ValueTask.CompletedTask : _inner.PublishAsync(invalidation, cancellationToken);

        public IDisposable Subscribe(ISessionInvalidationHandler handler)
        {
            _handlers.Add(handler);
            return _inner.Subscribe(handler);
        }

        public void SetConnected(bool connected)
        {
            foreach (ISessionInvalidationHandler handler in _handlers)
            {
                handler.OnConnectionChanged(connected);
            }
        }
    }
}
