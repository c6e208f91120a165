using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// Four DemoHost processes on one Redis (a single server, then a three-primary Cluster), each with a node cache of
/// T = 2 s: sign in on A, validate on B–D (from their caches after the first request), sign out on A, and every node
/// refuses; propagation is measured over many revocations. Then faults, on a Redis server the test owns: stop it, start
/// it again, kill one node's subscription, restart a node.
/// </summary>
/// <remarks>
/// The number of revocations comes from SESSIONCORE_SCALE_REVOCATIONS (default 100, after one unmeasured round). Propagation is measured from the client: from just before the sign-out request is sent to the
/// first refused request on a node, so it includes one HTTP round trip per poll and is an upper bound.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class ScaleOutTests
{
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);
    private readonly ITestOutputHelper _output = TestContext.Current.TestOutputHelper!;

    public static TheoryData<string> Topologies => ["single", "cluster"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task FourNodes_SignOutOnOne_EveryNodeRefusesWithinTheBound(string topology)
    {
        string? redis = topology == "cluster"
            ? Environment.GetEnvironmentVariable("SESSIONCORE_REDIS_CLUSTER")
            : Environment.GetEnvironmentVariable("SESSIONCORE_REDIS");
        Assert.SkipWhen(string.IsNullOrEmpty(redis), (topology == "cluster" ? "SESSIONCORE_REDIS_CLUSTER" : "SESSIONCORE_REDIS") + " is not set; the scale-out tests need a Redis to share.");
        int revocations = int.TryParse(Environment.GetEnvironmentVariable("SESSIONCORE_SCALE_REVOCATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 100;

        await using Cluster nodes = await Cluster.StartAsync(redis!, Prefix(), 4);
        List<double> latencies = [];
        double lastAccepted = -1;

        // One round first, not measured: it compiles the paths a node takes (steady state is what is measured).
        int[] warm = new int[4];
        for (int i = -1; i < revocations; i++)
        {
            if (i == 0)
            {
                latencies.Clear();
                lastAccepted = -1;
                for (int node = 1; node < 4; node++)
                {
                    warm[node] = (await NodeAsync(nodes.Clients[node])).GetProperty("propagationMs").GetArrayLength();
                }
            }

            string session = await nodes.Clients[0].SignInAsync("alice", "alice-password");
            for (int node = 1; node < 4; node++)
            {
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[node], session));
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[node], session));
            }

            if (i == -1)
            {
                // The second request on each node was answered from its cache.
                for (int node = 1; node < 4; node++)
                {
                    Assert.True((await NodeAsync(nodes.Clients[node])).GetProperty("cachedSessions").GetInt32() >= 1);
                }
            }

            string csrf = await nodes.Clients[0].CsrfAsync(session);
            Stopwatch since = Stopwatch.StartNew();
            using (HttpResponseMessage logout = await nodes.Clients[0].PostFormAsync("/logout", DemoClient.Form(("csrf", csrf)), session))
            {
                Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
            }

            // Per node: when the first refusal arrived, and when the last accepted request had been sent.
            (double Refused, double LastAccepted)[] polled = await Task.WhenAll(Enumerable.Range(1, 3).Select(node => PollUntilRefusedAsync(nodes.Clients[node], session, since)));
            latencies.AddRange(polled.Select(p => p.Refused));
            lastAccepted = Math.Max(lastAccepted, polled.Max(p => p.LastAccepted));
        }

        latencies.Sort();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topology}: {revocations} revocations x 3 nodes, client side (sign-out sent -> first refused request): {Summary(latencies)}"));

        // What the nodes measured themselves: the change in the store to the node applying the invalidation.
        List<double> applied = [];
        for (int node = 1; node < 4; node++)
        {
            applied.AddRange((await NodeAsync(nodes.Clients[node])).GetProperty("propagationMs").EnumerateArray().Skip(warm[node]).Select(v => v.GetDouble()));
        }

        applied.Sort();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topology}: node side (change -> applied): {Summary(applied)}"));
        Assert.True(applied.Count >= 3 * revocations, "a node missed invalidations: " + applied.Count);

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topology}: latest accepted request sent {lastAccepted:F2} ms after the sign-out was sent"));

        // The security bound: no node accepted a request sent T or more after the sign-out, and every invalidation was
        // applied, within T, by every node (so the refusals came from the bus, not from entries ageing out).
        Assert.True(lastAccepted < Staleness.TotalMilliseconds, "a node accepted a revoked session " + lastAccepted + " ms after the sign-out");
        Assert.True(applied[^1] < Staleness.TotalMilliseconds, "an invalidation took " + applied[^1] + " ms to apply");
    }

    [Fact]
    public async Task Faults_RedisStoppedRestarted_SubscriptionKilled_NodeRestarted()
    {
        string? binary = FindOnPath("redis-server");
        Assert.SkipWhen(binary is null || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SESSIONCORE_REDIS")), "SESSIONCORE_REDIS is not set or redis-server is not on PATH; the fault test runs its own server.");
        int port = FreePort();
        string directory = Directory.CreateTempSubdirectory("sessioncore-scale-").FullName;
        Process? server = await StartRedisAsync(binary!, port, directory);
        try
        {
            string redis = $"127.0.0.1:{port},connectTimeout=500,syncTimeout=1000,asyncTimeout=1000,connectRetry=1,abortConnect=false";
            await using Cluster nodes = await Cluster.StartAsync(redis, Prefix(), 4);
            string session = await nodes.Clients[0].SignInAsync("alice", "alice-password");
            for (int node = 1; node < 4; node++)
            {
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[node], session));
            }

            // Redis stops: every node refuses within T (its subscription drops, so it reads the store, which is gone).
            server.Kill();
            await server.WaitForExitAsync(Ct);
            server.Dispose();
            server = null;
            Stopwatch down = Stopwatch.StartNew();
            double[] lastAccepted = await Task.WhenAll(Enumerable.Range(1, 3).Select(node => LastAcceptedAsync(nodes.Clients[node], session, down)));
            for (int node = 1; node < 4; node++)
            {
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node {node}: last request accepted {lastAccepted[node - 1]:F1} ms after Redis stopped"));
                Assert.True(lastAccepted[node - 1] < Staleness.TotalMilliseconds, "served " + lastAccepted[node - 1] + " ms after Redis stopped");
            }

            // Redis is back (empty: no persistence): the nodes reconnect and resubscribe by themselves.
            server = await StartRedisAsync(binary!, port, directory);
            foreach (DemoClient client in nodes.Clients)
            {
                await WaitAsync(async () => (await NodeAsync(client)).GetProperty("servingFromCache").GetBoolean(), "a node did not resubscribe after Redis came back");
            }

            string again = await SignInEventuallyAsync(nodes.Clients[0]);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[1], again));

            // One node's subscription is killed: it stops answering from its cache at once, then resubscribes.
            await KillSubscriptionAsync(port, "scale-node-1");
            await WaitAsync(async () => !(await NodeAsync(nodes.Clients[1])).GetProperty("servingFromCache").GetBoolean() || (await NodeAsync(nodes.Clients[1])).GetProperty("cachedSessions").GetInt32() == 0, "the node kept its cache after losing its subscription");
            await WaitAsync(async () => (await NodeAsync(nodes.Clients[1])).GetProperty("servingFromCache").GetBoolean(), "the node did not resubscribe");
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[1], again));
            string csrf = await nodes.Clients[0].CsrfAsync(again);
            int appliedBefore = (await NodeAsync(nodes.Clients[1])).GetProperty("propagationMs").GetArrayLength();
            Stopwatch since = Stopwatch.StartNew();
            using (HttpResponseMessage logout = await nodes.Clients[0].PostFormAsync("/logout", DemoClient.Form(("csrf", csrf)), again))
            {
                Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
            }

            // Refused, and because the resubscribed node applied the invalidation (not because the entry aged out).
            Assert.True((await PollUntilRefusedAsync(nodes.Clients[1], again, since)).LastAccepted < Staleness.TotalMilliseconds);
            await WaitAsync(async () => (await NodeAsync(nodes.Clients[1])).GetProperty("propagationMs").GetArrayLength() > appliedBefore, "the resubscribed node did not apply the invalidation");

            // A restarted node starts cold.
            await nodes.RestartAsync(2);
            Assert.Equal(0, (await NodeAsync(nodes.Clients[2])).GetProperty("cachedSessions").GetInt32());
            string third = await nodes.Clients[0].SignInAsync("alice", "alice-password");
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(nodes.Clients[2], third));
        }
        finally
        {
            if (server is not null)
            {
                server.Kill();
                await server.WaitForExitAsync(CancellationToken.None);
                server.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Prefix() => "scale:" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5)) + ":";

    private static string Summary(List<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"n {sorted.Count}, p50 {Percentile(sorted, 0.50):F2} ms, p99 {Percentile(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms");

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<HttpStatusCode> StatusAsync(DemoClient client, string session)
    {
        using HttpResponseMessage response = await client.GetAsync("/api/session", session);
        return response.StatusCode;
    }

    private static async Task<JsonElement> NodeAsync(DemoClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/api/node");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await DemoClient.JsonAsync(response);
    }

    /// <summary>
    /// Polls a node until it refuses the session; returns when the refusal arrived and when the last accepted request had
    /// been sent (-1 when none was), in milliseconds since <paramref name="since"/> started.
    /// </summary>
    private static async Task<(double Refused, double LastAccepted)> PollUntilRefusedAsync(DemoClient client, string session, Stopwatch since)
    {
        double last = -1;
        while (true)
        {
            double sent = since.Elapsed.TotalMilliseconds;
            HttpStatusCode status = await StatusAsync(client, session);
            if (status != HttpStatusCode.OK)
            {
                return (since.Elapsed.TotalMilliseconds, last);
            }

            last = sent;

            // Bounded: well past T, a node that still answers 200 fails the test instead of hanging it.
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(10), "a node kept accepting a revoked session");
        }
    }

    /// <summary>
    /// Polls a node until it refuses; returns when (ms since <paramref name="since"/>) the last request that was accepted
    /// had been sent (-1 when none was), since a refusal may take the store's timeout to arrive.
    /// </summary>
    private static async Task<double> LastAcceptedAsync(DemoClient client, string session, Stopwatch since)
    {
        double last = -1;
        while (true)
        {
            double sent = since.Elapsed.TotalMilliseconds;
            if (await StatusAsync(client, session) != HttpStatusCode.OK)
            {
                return last;
            }

            last = sent;
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(10), "a node kept accepting after Redis stopped");
        }
    }

    private static async Task<string> SignInEventuallyAsync(DemoClient client)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await client.PostFormAsync("/login", DemoClient.Form(("username", "alice"), ("password", "alice-password")), null, ("Origin", client.Origin), ("Sec-Fetch-Site", "same-origin"));
            if (response.StatusCode == HttpStatusCode.SeeOther && DemoClient.SetCookieValue(response, DemoClient.SessionCookie) is { Length: > 0 } value)
            {
                return value;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "sign-in did not recover after Redis came back");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), failure);
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Kills the pub/sub connection of the client named <paramref name="name"/> (CLIENT LIST, then CLIENT KILL ID).</summary>
    private static async Task KillSubscriptionAsync(int port, string name)
    {
        string list = await RedisCliAsync(port, "CLIENT", "LIST", "TYPE", "pubsub");
        string[] ids = [.. list.Split('\n').Where(l => l.Contains(" name=" + name + " ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]["id=".Length..])];
        Assert.NotEmpty(ids);
        foreach (string id in ids)
        {
            await RedisCliAsync(port, "CLIENT", "KILL", "ID", id);
        }
    }

    private static async Task<string> RedisCliAsync(int port, params string[] arguments)
    {
        ProcessStartInfo start = new("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output;
    }

    private static async Task<Process> StartRedisAsync(string binary, int port, string directory)
    {
        ProcessStartInfo start = new(binary)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Stopwatch waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                using TcpClient client = new();
                await client.ConnectAsync(IPAddress.Loopback, port, Ct);
                return process;
            }
            catch (SocketException)
            {
                await Task.Delay(50, Ct);
            }
        }

        process.Kill();
        throw new InvalidOperationException("redis-server did not start.");
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>DemoHost processes sharing one Redis, each named scale-node-N on its Redis connections.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _redis;
        private readonly string _prefix;

        private Cluster(string redis, string prefix, DemoHostProcess[] hosts)
        {
            _redis = redis;
            _prefix = prefix;
            Hosts = hosts;
            Clients = [.. hosts.Select(h => h.CreateClient())];
        }

        public DemoHostProcess[] Hosts { get; }

        public DemoClient[] Clients { get; }

        public static async Task<Cluster> StartAsync(string redis, string prefix, int count)
        {
            DemoHostProcess[] hosts = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Start(redis, prefix, i)));
            Cluster cluster = new(redis, prefix, hosts);
            foreach (DemoClient client in cluster.Clients)
            {
                await WaitAsync(async () => (await NodeAsync(client)).GetProperty("servingFromCache").GetBoolean(), "a node did not subscribe");
            }

            return cluster;
        }

        public async Task RestartAsync(int index)
        {
            Clients[index].Dispose();
            await Hosts[index].DisposeAsync();
            Hosts[index] = await Start(_redis, _prefix, index);
            Clients[index] = Hosts[index].CreateClient();
            await WaitAsync(async () => (await NodeAsync(Clients[index])).GetProperty("servingFromCache").GetBoolean(), "the restarted node did not subscribe");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (DemoClient client in Clients)
            {
                client.Dispose();
            }

            foreach (DemoHostProcess host in Hosts)
            {
                await host.DisposeAsync();
            }
        }

        private static Task<DemoHostProcess> Start(string redis, string prefix, int index) =>
            DemoHostProcess.StartAsync("--redis", redis + ",name=scale-node-" + index.ToString(CultureInfo.InvariantCulture), "--redis-prefix", prefix, "--node-cache", Staleness.TotalSeconds.ToString(CultureInfo.InvariantCulture));
    }
}
