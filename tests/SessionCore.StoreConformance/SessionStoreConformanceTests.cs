using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

/// <summary>
/// The conformance suite every <see cref="ISessionStore"/> adapter must pass. Derive a public class
/// from it in your test project and implement <see cref="CreateStoreAsync"/>; every primitive of the
/// contract is then exercised, including its concurrency guarantees, against your store.
/// </summary>
/// <remarks>
/// <para>
/// Time is passed explicitly to every primitive, so the suite uses fixed instants around
/// <see cref="T0"/> and never sleeps. Each test uses fresh random user ids, so a store whose
/// <see cref="CreateStoreAsync"/> returns a view on a shared database still sees independent data.
/// </para>
/// <para>
/// Stores returned by <see cref="CreateStoreAsync"/> are disposed after the test when they implement
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class MyStoreConformanceTests : SessionStoreConformanceTests
/// {
///     protected override ValueTask&lt;ISessionStore&gt; CreateStoreAsync() =&gt; new(new MyStore(...));
/// }
/// </code>
/// </example>
public abstract partial class SessionStoreConformanceTests : IAsyncDisposable
{
    /// <summary>The fixed instant the suite's scenarios start from.</summary>
    protected static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly List<ISessionStore> _stores = [];

    /// <summary>Gets the default idle lifetime of the sessions the suite creates.</summary>
    protected static TimeSpan Idle => TimeSpan.FromMinutes(30);

    /// <summary>Gets the default absolute lifetime of the sessions the suite creates.</summary>
    protected static TimeSpan Absolute => TimeSpan.FromHours(12);

    /// <summary>Disposes every store the test created.</summary>
    /// <returns>A task that completes when the stores are disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (ISessionStore store in _stores)
        {
            if (store is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (store is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _stores.Clear();
        await DisposeCoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a store for one test, empty or at least holding none of the random ids the suite uses.</summary>
    /// <returns>The store under test.</returns>
    protected abstract ValueTask<ISessionStore> CreateStoreAsync();

    /// <summary>
    /// The failure hook: makes the backend of <paramref name="store"/> unavailable, so that every later
    /// call on it fails (a closed database, a stopped server, a dropped connection). Return
    /// <see langword="false"/> when the adapter offers no way to do this; the failure tests then skip.
    /// </summary>
    /// <param name="store">A store returned by <see cref="CreateStoreAsync"/>.</param>
    /// <returns><see langword="true"/> when the backend is now unavailable.</returns>
    protected virtual ValueTask<bool> MakeUnavailableAsync(ISessionStore store) => ValueTask.FromResult(false);

    /// <summary>Releases resources the derived class holds (a temporary folder, a client).</summary>
    /// <returns>A task that completes when they are released.</returns>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>Creates a store through <see cref="CreateStoreAsync"/> and registers it for disposal.</summary>
    /// <returns>The store.</returns>
    protected async ValueTask<ISessionStore> NewStoreAsync()
    {
        ISessionStore store = await CreateStoreAsync();
        Assert.NotNull(store);
        _stores.Add(store);
        return store;
    }

    /// <summary>A fresh random user id.</summary>
    /// <param name="prefix">A readable prefix.</param>
    /// <returns>The id.</returns>
    protected static string NewUserId(string prefix = "user") => prefix + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>A fresh random session identifier.</summary>
    /// <returns>The identifier.</returns>
    protected static SessionId NewSessionId() => SessionId.Parse(NewHash());

    /// <summary>A fresh random token hash in the form the manager produces (43 characters of base64url).</summary>
    /// <returns>The hash.</returns>
    protected static string NewHash() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Builds a session for <paramref name="userId"/> created at <paramref name="createdAt"/>.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="createdAt">When it was created (and last seen), or <see cref="T0"/>.</param>
    /// <param name="idle">The idle lifetime, or <see cref="Idle"/>.</param>
    /// <param name="absolute">The absolute lifetime, or <see cref="Absolute"/>.</param>
    /// <returns>The session.</returns>
    protected static Session NewSession(string userId, DateTimeOffset? createdAt = null, TimeSpan? idle = null, TimeSpan? absolute = null)
    {
        DateTimeOffset at = createdAt ?? T0;
        return new Session
        {
            Id = NewSessionId(),
            UserId = userId,
            CreatedAt = at,
            LastSeenAt = at,
            AuthenticatedAt = at,
            IdleExpiresAt = at + (idle ?? Idle),
            AbsoluteExpiresAt = at + (absolute ?? Absolute),
            AuthenticationLevel = 1,
        };
    }

    /// <summary>Builds a refresh family for <paramref name="session"/>, issued at <paramref name="issuedAt"/>.</summary>
    /// <param name="session">The session it is bound to.</param>
    /// <param name="issuedAt">When the first token was issued, or <see cref="T0"/>.</param>
    /// <param name="idle">How long the first token lives unused.</param>
    /// <param name="absolute">How long the family lives.</param>
    /// <returns>The family.</returns>
    protected static RefreshFamily NewFamily(Session session, DateTimeOffset? issuedAt = null, TimeSpan? idle = null, TimeSpan? absolute = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        DateTimeOffset at = issuedAt ?? T0;
        return new RefreshFamily
        {
            FamilyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            SessionId = session.Id,
            UserId = session.UserId,
            CreatedAt = at,
            AbsoluteExpiresAt = at + (absolute ?? TimeSpan.FromHours(8)),
            CurrentTokenHash = NewHash(),
            CurrentIssuedAt = at,
            CurrentIdleExpiresAt = at + (idle ?? TimeSpan.FromHours(1)),
            SealedCurrentToken = RandomNumberGenerator.GetBytes(48),
        };
    }

    /// <summary>A redemption of <paramref name="presentedHash"/> at <paramref name="now"/> with a fresh successor.</summary>
    /// <param name="presentedHash">The presented token hash.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The redemption.</returns>
    protected static RefreshRedemption Redeem(string presentedHash, DateTimeOffset now) =>
        new(presentedHash, NewHash(), RandomNumberGenerator.GetBytes(48), now + TimeSpan.FromHours(1), now);

    /// <summary>Inserts a session without a limit and checks it was created.</summary>
    /// <param name="store">The store.</param>
    /// <param name="session">The session.</param>
    /// <returns>The session.</returns>
    protected static async ValueTask<Session> InsertAsync(ISessionStore store, Session session)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(session);
        SessionCreateResult result = await store.CreateAsync(session, SessionLimit.None, session.CreatedAt, TestContext.Current.CancellationToken);
        Assert.True(result.Created);
        Assert.Empty(result.Evicted);
        return session;
    }

    /// <summary>Inserts a family and checks it was created.</summary>
    /// <param name="store">The store.</param>
    /// <param name="family">The family.</param>
    /// <returns>The family.</returns>
    protected static async ValueTask<RefreshFamily> InsertAsync(ISessionStore store, RefreshFamily family)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(family);
        Assert.True(await store.CreateRefreshFamilyAsync(family, family.CreatedAt, TestContext.Current.CancellationToken));
        return family;
    }

    /// <summary>Asserts that two sessions hold the same data, field by field (times compared as instants, exactly).</summary>
    /// <param name="expected">The expected session.</param>
    /// <param name="actual">The actual session.</param>
    protected static void AssertSameSession(Session expected, Session? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
        Assert.Equal(expected.LastSeenAt.UtcTicks, actual.LastSeenAt.UtcTicks);
        Assert.Equal(expected.IdleExpiresAt.UtcTicks, actual.IdleExpiresAt.UtcTicks);
        Assert.Equal(expected.AbsoluteExpiresAt.UtcTicks, actual.AbsoluteExpiresAt.UtcTicks);
        Assert.Equal(expected.AuthenticatedAt.UtcTicks, actual.AuthenticatedAt.UtcTicks);
        Assert.Equal(expected.AuthenticationLevel, actual.AuthenticationLevel);
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.SecurityEpoch, actual.SecurityEpoch);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.RevokedAt?.UtcTicks, actual.RevokedAt?.UtcTicks);
        Assert.Equal(expected.RevocationReason, actual.RevocationReason);
        Assert.Equal(
            expected.Data.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray(),
            actual.Data.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
    }

    /// <summary>Asserts that two families hold the same data, field by field.</summary>
    /// <param name="expected">The expected family.</param>
    /// <param name="actual">The actual family.</param>
    protected static void AssertSameFamily(RefreshFamily expected, RefreshFamily? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.FamilyId, actual.FamilyId);
        Assert.Equal(expected.SessionId, actual.SessionId);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
        Assert.Equal(expected.AbsoluteExpiresAt.UtcTicks, actual.AbsoluteExpiresAt.UtcTicks);
        Assert.Equal(expected.Generation, actual.Generation);
        Assert.Equal(expected.CurrentTokenHash, actual.CurrentTokenHash);
        Assert.Equal(expected.CurrentIssuedAt.UtcTicks, actual.CurrentIssuedAt.UtcTicks);
        Assert.Equal(expected.CurrentIdleExpiresAt.UtcTicks, actual.CurrentIdleExpiresAt.UtcTicks);
        Assert.Equal(expected.SealedCurrentToken.ToArray(), actual.SealedCurrentToken.ToArray());
        Assert.Equal(expected.PreviousTokenHash, actual.PreviousTokenHash);
        Assert.Equal(expected.RotatedAt?.UtcTicks, actual.RotatedAt?.UtcTicks);
        Assert.Equal(expected.SpentTokenHashes, actual.SpentTokenHashes);
        Assert.Equal(expected.RevokedAt?.UtcTicks, actual.RevokedAt?.UtcTicks);
        Assert.Equal(expected.RevocationReason, actual.RevocationReason);
        Assert.Equal(expected.Version, actual.Version);
    }

    /// <summary>Runs <paramref name="count"/> copies of <paramref name="action"/> on the thread pool, released together.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="count">How many.</param>
    /// <param name="action">The action, given its index.</param>
    /// <returns>The results, by index.</returns>
    protected static async Task<T[]> RunInParallelAsync<T>(int count, Func<int, ValueTask<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        TaskCompletionSource start = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<T>[] tasks = new Task<T>[count];
        for (int i = 0; i < count; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                await start.Task;
                return await action(index);
            });
        }

        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
