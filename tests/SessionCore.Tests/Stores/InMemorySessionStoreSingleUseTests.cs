using System;
using System.Threading.Tasks;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Stores;

public sealed class InMemorySessionStoreSingleUseTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryUseOnce_AtCapacity_FailsClosedUntilEntriesExpire()
    {
        InMemorySessionStore store = new() { MaxSingleUseEntries = 3 };
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await store.TryUseOnceAsync(Key(i), T0.AddSeconds(60), T0, TestContext.Current.CancellationToken));
        }

        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.TryUseOnceAsync(Key(3), T0.AddSeconds(60), T0, TestContext.Current.CancellationToken));

        // A known value is still refused as used, not as "full".
        Assert.False(await store.TryUseOnceAsync(Key(0), T0.AddSeconds(60), T0, TestContext.Current.CancellationToken));
        Assert.True(await store.TryUseOnceAsync(Key(3), T0.AddSeconds(120), T0.AddSeconds(60), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryUseOnce_LaterCall_DropsExpiredEntries()
    {
        InMemorySessionStore store = new();
        for (int i = 0; i < 50; i++)
        {
            await store.TryUseOnceAsync(Key(i), T0.AddSeconds(10 + i), T0, TestContext.Current.CancellationToken);
        }

        Assert.Equal(50, store.SingleUseCount);

        await store.TryUseOnceAsync(Key(1000), T0.AddSeconds(100), T0.AddSeconds(30), TestContext.Current.CancellationToken);

        // Entries expiring at 10..30 s are gone; 31..59 s and the new one remain.
        Assert.Equal(29 + 1, store.SingleUseCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_001)]
    public void MaxSingleUseEntries_OutOfBounds_Throws(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemorySessionStore { MaxSingleUseEntries = value });

    [Fact]
    public void MaxSingleUseEntries_Default_IsDocumentedValue() =>
        Assert.Equal(InMemorySessionStore.DefaultMaxSingleUseEntries, new InMemorySessionStore().MaxSingleUseEntries);

    private static SingleUseKey Key(int i) => SingleUseKey.Create("test", "scope", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
