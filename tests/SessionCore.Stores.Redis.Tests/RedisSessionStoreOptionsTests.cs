using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.Sessions;
using SessionCore.Stores;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

public sealed class RedisSessionStoreOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a{b")]
    [InlineData("a}b")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    public void Constructor_BadPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => new RedisSessionStore(new RedisSessionStoreOptions { Configuration = "localhost", KeyPrefix = prefix }));

    [Fact]
    public void Constructor_NoConnectionOrBoth_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RedisSessionStore(new RedisSessionStoreOptions()));
        Assert.Throws<ArgumentNullException>(() => new RedisSessionStore((RedisSessionStoreOptions)null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2 * 24 * 3600)]
    public void Constructor_GraceOutOfRange_Throws(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSessionStore(new RedisSessionStoreOptions { Configuration = "localhost", ExpiryGrace = TimeSpan.FromSeconds(seconds) }));

    [Fact]
    public void AddRedisStore_RegistersTheStoreAndValidatesAtOnce()
    {
        ServiceCollection services = new();
        services.AddSessionCore().AddRedisStore("127.0.0.1:1,abortConnect=false");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<RedisSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.Same(provider.GetRequiredService<ISessionStore>(), provider.GetRequiredService<SessionManager>().Store);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSessionCore().AddRedisStore(o => o.KeyPrefix = "x"));
    }

    [Fact]
    public async Task Find_ServerUnreachable_ThrowsSessionStoreExceptionWithoutData()
    {
        int port;
        using (TcpListener listener = new(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using RedisSessionStore store = new(new RedisSessionStoreOptions
        {
            Configuration = $"127.0.0.1:{port},connectTimeout=200,syncTimeout=300,asyncTimeout=300,connectRetry=0",
        });
        Tokens.SessionId id = NewId();

        SessionStoreException ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.FindAsync(id, TestContext.Current.CancellationToken));

        Assert.DoesNotContain(id.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task Validate_ServerUnreachable_IsStoreUnavailable()
    {
        await using RedisSessionStore store = new(new RedisSessionStoreOptions { Configuration = "127.0.0.1:1,connectTimeout=200,syncTimeout=300,asyncTimeout=300,connectRetry=0" });
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();

        SessionValidationResult result = await manager.ValidateAsync(Tokens.SessionToken.TryParse("sc_" + new string('A', 43), out Tokens.SessionToken? token) ? token : throw new InvalidOperationException(), TestContext.Current.CancellationToken);

        Assert.Equal(SessionValidationStatus.StoreUnavailable, result.Status);
    }
}
