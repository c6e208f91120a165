using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.StoreConformance;

/// <summary>
/// The single-use primitive (<see cref="ISessionStore.TryUseOnceAsync"/>): the replay cache of DPoP proofs and
/// browser-binding challenges. Time comes from a <see cref="FakeTimeProvider"/> and is passed to the store, so
/// expiry is decided by the caller's clock, never by the backend's own.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>Gets how long the suite's single-use entries live unless a test says otherwise.</summary>
    protected static TimeSpan SingleUseLifetime => TimeSpan.FromSeconds(66);

    [Fact]
    public virtual async Task TryUseOnce_FirstUse_ReturnsTrue()
    {
        ISessionStore store = await NewStoreAsync();

        Assert.True(await store.TryUseOnceAsync(NewSingleUseKey(), T0 + SingleUseLifetime, T0, Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_SecondAndLaterUses_ReturnFalse()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        FakeTimeProvider time = new(T0);
        Assert.True(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, time.GetUtcNow(), Ct));

        Assert.False(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, time.GetUtcNow(), Ct));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));
        time.Advance(SingleUseLifetime - TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_IndependentKeys_DoNotAffectEachOther()
    {
        ISessionStore store = await NewStoreAsync();
        string scope = NewUserId("scope");
        SingleUseKey key = SingleUseKey.Create("conformance", scope, "value");
        SingleUseKey otherValue = SingleUseKey.Create("conformance", scope, "value2");
        SingleUseKey otherScope = SingleUseKey.Create("conformance", scope + "x", "value");
        SingleUseKey otherPurpose = SingleUseKey.Create("conformance2", scope, "value");
        DateTimeOffset expiresAt = T0 + SingleUseLifetime;

        Assert.True(await store.TryUseOnceAsync(key, expiresAt, T0, Ct));
        Assert.True(await store.TryUseOnceAsync(otherValue, expiresAt, T0, Ct));
        Assert.True(await store.TryUseOnceAsync(otherScope, expiresAt, T0, Ct));
        Assert.True(await store.TryUseOnceAsync(otherPurpose, expiresAt, T0, Ct));
        Assert.False(await store.TryUseOnceAsync(key, expiresAt, T0, Ct));
        Assert.False(await store.TryUseOnceAsync(otherValue, expiresAt, T0, Ct));
        Assert.False(await store.TryUseOnceAsync(otherScope, expiresAt, T0, Ct));
        Assert.False(await store.TryUseOnceAsync(otherPurpose, expiresAt, T0, Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_ManyDistinctKeys_AreEachUsedOnce()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey[] keys = [.. Enumerable.Range(0, 200).Select(_ => NewSingleUseKey())];

        foreach (SingleUseKey key in keys)
        {
            Assert.True(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
        }

        foreach (SingleUseKey key in keys)
        {
            Assert.False(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
        }
    }

    [Fact]
    public virtual async Task TryUseOnce_AtAndAfterExpiry_IsUsableAgainOnce()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        FakeTimeProvider time = new(T0);
        DateTimeOffset expiresAt = time.GetUtcNow() + SingleUseLifetime;
        Assert.True(await store.TryUseOnceAsync(key, expiresAt, time.GetUtcNow(), Ct));

        time.Advance(SingleUseLifetime - TimeSpan.FromTicks(1));
        Assert.False(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));

        // The entry lives while it expires after now: at its expiry instant it is gone.
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(expiresAt, time.GetUtcNow());
        Assert.True(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));
        Assert.False(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));

        time.Advance(TimeSpan.FromDays(3));
        Assert.True(await store.TryUseOnceAsync(key, time.GetUtcNow() + SingleUseLifetime, time.GetUtcNow(), Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_RefusedUse_DoesNotExtendTheExpiry()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        FakeTimeProvider time = new(T0);
        Assert.True(await store.TryUseOnceAsync(key, T0 + TimeSpan.FromSeconds(60), time.GetUtcNow(), Ct));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await store.TryUseOnceAsync(key, time.GetUtcNow() + TimeSpan.FromHours(1), time.GetUtcNow(), Ct));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await store.TryUseOnceAsync(key, time.GetUtcNow() + TimeSpan.FromSeconds(60), time.GetUtcNow(), Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_64ParallelUsesOfOneKey_ExactlyOneSucceeds()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();

        bool[] results = await RunInParallelAsync(64, _ => store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));

        Assert.Equal(1, results.Count(r => r));
        Assert.False(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_64ParallelUsesAfterExpiry_ExactlyOneSucceeds()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        Assert.True(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
        DateTimeOffset later = T0 + SingleUseLifetime + TimeSpan.FromSeconds(1);

        bool[] results = await RunInParallelAsync(64, _ => store.TryUseOnceAsync(key, later + SingleUseLifetime, later, Ct));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public virtual async Task TryUseOnce_ParallelUsesOfDistinctKeys_AllSucceed()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey[] keys = [.. Enumerable.Range(0, 64).Select(_ => NewSingleUseKey())];

        bool[] results = await RunInParallelAsync(64, i => store.TryUseOnceAsync(keys[i], T0 + SingleUseLifetime, T0, Ct));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public virtual async Task TryUseOnce_CancelledBeforehand_ThrowsAndRecordsNothing()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, cancelled.Token));

        Assert.True(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_CallerMisuse_Throws()
    {
        ISessionStore store = await NewStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUseOnceAsync(default, T0 + SingleUseLifetime, T0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryUseOnceAsync(NewSingleUseKey(), T0, T0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryUseOnceAsync(NewSingleUseKey(), T0 - TimeSpan.FromSeconds(1), T0, Ct));
    }

    [Fact]
    public virtual async Task TryUseOnce_UnavailableBackend_ThrowsSessionStoreException()
    {
        ISessionStore store = await NewStoreAsync();
        SingleUseKey key = NewSingleUseKey();
        Assert.True(await store.TryUseOnceAsync(key, T0 + SingleUseLifetime, T0, Ct));
        Assert.SkipUnless(await MakeUnavailableAsync(store), NoFailureHook);

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(async () => await store.TryUseOnceAsync(NewSingleUseKey(), T0 + SingleUseLifetime, T0, Ct));
        Assert.IsType<SessionStoreException>(ex);
        Assert.DoesNotContain(key.ToString(), ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A fresh random single-use key.</summary>
    /// <returns>The key.</returns>
    protected static SingleUseKey NewSingleUseKey() =>
        SingleUseKey.Create("conformance", "https://server.example", RandomNumberGenerator.GetBytes(16));
}
