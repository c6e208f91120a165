using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Scale;
using SessionCore.Sessions;
using SessionCore.Tokens;
using StackExchange.Redis;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// Nodes in one process, each with its own connection, Redis store, invalidation bus and node cache (T = 30 s, so that
/// only an invalidation can explain a refusal within the test), on a single server and on a three-primary Cluster.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisInvalidationTests : IAsyncLifetime
{
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly string _prefix = "scti:" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)) + ":";
    private readonly List<Node> _nodes = [];

    public static TheoryData<string> Topologies => ["single", "cluster"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        string? configuration = null;
        foreach (Node node in _nodes)
        {
            configuration ??= node.Configuration;
            node.Cache.Dispose();
            node.Bus.Dispose();
            await node.Store.DisposeAsync();
            await node.Connection.DisposeAsync();
        }

        if (configuration is not null)
        {
            await using ConnectionMultiplexer cleanup = await ConnectionMultiplexer.ConnectAsync(configuration);
            await RedisFixture.DeleteKeysAsync(cleanup, _prefix);
        }
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task RevokeAsync_OnOneNode_EveryOtherNodeRefuses(string topology)
    {
        Node[] nodes = await StartAsync(topology, 4);
        SessionToken token = (await nodes[0].Manager.SignInAsync(new SignInRequest("alice"), Ct)).Value;
        foreach (Node node in nodes[1..])
        {
            Assert.True((await node.Manager.ValidateAsync(token, Ct)).IsValid);
        }

        Assert.Equal(SessionOperationStatus.Done, await nodes[0].Manager.RevokeAsync(token.Id, RevocationReason.Logout, Ct));

        foreach (Node node in nodes[1..])
        {
            await RefusedWithinAsync(node, token);
        }
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task EveryKindOfChange_OnOneNode_ReachesTheOtherNode(string topology)
    {
        Node[] nodes = await StartAsync(topology, 2);
        SessionManager a = nodes[0].Manager;
        Node b = nodes[1];

        SessionToken regenerated = (await a.SignInAsync(new SignInRequest("u-regen"), Ct)).Value;
        await b.Manager.ValidateAsync(regenerated, Ct);
        Assert.True((await a.RegenerateAsync(regenerated, null, Ct)).IsSuccess);
        await RefusedWithinAsync(b, regenerated);

        SessionToken invalidated = (await a.SignInAsync(new SignInRequest("u-epoch"), Ct)).Value;
        await b.Manager.ValidateAsync(invalidated, Ct);
        await a.InvalidateUserAsync("u-epoch", InvalidationTrigger.PasswordChanged, cancellationToken: Ct);
        await RefusedWithinAsync(b, invalidated);

        SessionToken everything = (await a.SignInAsync(new SignInRequest("u-all"), Ct)).Value;
        await b.Manager.ValidateAsync(everything, Ct);
        await Task.Delay(2, Ct);
        Assert.Equal(SessionOperationStatus.Done, await a.RevokeEverySessionAsync(Ct));
        await RefusedWithinAsync(b, everything);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task SubscriptionKilled_NodeReadsTheStoreThenRecovers(string topology)
    {
        Node[] nodes = await StartAsync(topology, 2);
        Node b = nodes[1];
        SessionToken token = (await nodes[0].Manager.SignInAsync(new SignInRequest("alice"), Ct)).Value;
        await b.Manager.ValidateAsync(token, Ct);

        // Kill node b's pub/sub connections on every server (only its own: other tests share the server).
        await using (ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(b.Configuration + ",allowAdmin=true"))
        {
            int killed = 0;
            foreach (IServer server in admin.GetServers())
            {
                foreach (ClientInfo client in (await server.ClientListAsync()).Where(c => c.ClientType == ClientType.PubSub))
                {
                    if (client.Name == b.Name)
                    {
                        await server.ClientKillAsync(client.Id, clientType: null, endpoint: null, skipMe: true);
                        killed++;
                    }
                }
            }

            Assert.True(killed > 0, "no subscription connection of the node was found");
        }

        // The loss is reported (the cache stops answering), however briefly: the driver reconnects within milliseconds.
        await WaitAsync(() => b.Bus.Losses > 0, "the loss of the subscription was not reported");
        await WaitAsync(() => b.Cache.IsServingFromCache, "the cache did not recover its subscription");

        // Back on the bus: a revocation reaches it again.
        await b.Manager.ValidateAsync(token, Ct);
        await nodes[0].Manager.RevokeAsync(token.Id, RevocationReason.Logout, Ct);
        await RefusedWithinAsync(b, token);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task Announcement_OnTheChannel_CarriesNoUserId(string topology)
    {
        Node[] nodes = await StartAsync(topology, 1);
        List<string> seen = [];
        ISubscriber subscriber = nodes[0].Connection.GetSubscriber();
        bool cluster = nodes[0].Connection.GetServers().Any(s => s.ServerType == ServerType.Cluster);
        RedisChannel channel = cluster
            ? RedisChannel.Sharded(Internal.RedisChannels.ForKey(nodes[0].Prefix, nodes[0].Prefix + "{u:" + Internal.RedisKeys.UserHash("alice@example.com") + "}:ss"))
            : RedisChannel.Literal(nodes[0].Prefix + "inv");
        await subscriber.SubscribeAsync(channel, (_, message) => { lock (seen) { seen.Add(message!); } });

        SessionToken token = (await nodes[0].Manager.SignInAsync(new SignInRequest("alice@example.com"), Ct)).Value;
        await nodes[0].Manager.InvalidateUserAsync("alice@example.com", InvalidationTrigger.PasswordChanged, cancellationToken: Ct);
        await WaitAsync(() => { lock (seen) { return seen.Count >= 2; } }, "no announcement arrived");

        lock (seen)
        {
            Assert.Contains("1|s|" + seen[0].Split('|')[2] + "|" + token.Id, seen);
            Assert.All(seen, m => Assert.DoesNotContain("alice", m, StringComparison.Ordinal));
            Assert.Contains(seen, m => m.StartsWith("1|u|", StringComparison.Ordinal) && m.Contains("|" + SessionInvalidation.HashUserId("alice@example.com") + "|1", StringComparison.Ordinal));
        }
    }

    private static async Task RefusedWithinAsync(Node node, SessionToken token)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (true)
        {
            SessionValidationResult result = await node.Manager.ValidateAsync(token, Ct);
            if (!result.IsValid)
            {
                Assert.Equal(SessionValidationStatus.Revoked, result.Status);
                return;
            }

            Assert.True(clock.Elapsed < Bound, "a revoked session still validated on another node long after the change");
            await Task.Delay(5, Ct);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), failure);
            await Task.Delay(10, Ct);
        }
    }

    private async Task<Node[]> StartAsync(string topology, int count)
    {
        string? configuration = topology == "cluster" ? RedisFixture.ClusterConfiguration : RedisFixture.Configuration;
        Assert.SkipWhen(configuration is null, topology == "cluster" ? RedisFixture.ClusterSkipReason : RedisFixture.SkipReason);
        Node[] nodes = new Node[count];
        for (int i = 0; i < count; i++)
        {
            string name = _prefix.Replace(":", "-", StringComparison.Ordinal) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration! + ",name=" + name);
            RedisSessionStore store = new(new RedisSessionStoreOptions { ConnectionMultiplexer = connection, KeyPrefix = _prefix });
            ObservedBus bus = new(new RedisInvalidationBus(store));
            CachingSessionStore cache = new(store, bus, new NodeCacheOptions { Staleness = Staleness });
            SessionManager manager = new SessionManagerBuilder { Store = cache }.Build();
            nodes[i] = new Node(configuration!, name, _prefix, connection, store, bus, cache, manager);
            _nodes.Add(nodes[i]);
        }

        foreach (Node node in nodes)
        {
            await WaitAsync(() => node.Cache.IsServingFromCache, "the invalidation bus did not subscribe");
        }

        return nodes;
    }

    private sealed record Node(string Configuration, string Name, string Prefix, ConnectionMultiplexer Connection, RedisSessionStore Store, ObservedBus Bus, CachingSessionStore Cache, SessionManager Manager);

    /// <summary>The Redis bus, counting the losses it reports to the cache.</summary>
    private sealed class ObservedBus(RedisInvalidationBus inner) : ISessionInvalidationBus, IDisposable
    {
        private int _losses;

        public int Losses => Volatile.Read(ref _losses);

        public bool PublishesStoreChanges => inner.PublishesStoreChanges;

        public ValueTask PublishAsync(SessionInvalidation invalidation, CancellationToken cancellationToken = default) => inner.PublishAsync(invalidation, cancellationToken);

        public IDisposable Subscribe(ISessionInvalidationHandler handler) => inner.Subscribe(new Counting(this, handler));

        public void Dispose() => inner.Dispose();

        private sealed class Counting(ObservedBus bus, ISessionInvalidationHandler handler) : ISessionInvalidationHandler
        {
            public void OnInvalidation(SessionInvalidation invalidation) => handler.OnInvalidation(invalidation);

            public void OnConnectionChanged(bool connected)
            {
                if (!connected)
                {
                    Interlocked.Increment(ref bus._losses);
                }

                handler.OnConnectionChanged(connected);
            }
        }
    }
}
