using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

/// <summary>
/// The conformance suite every <see cref="ISessionStore"/> adapter must pass: the executable form of the store contract.
/// Derive a public class from it in your test project and implement <see cref="CreateStoreAsync"/>; every operation of the
/// contract is then exercised against your store, outcome by outcome, including its atomicity under concurrency.
/// </summary>
/// <remarks>
/// <para>
/// Time is passed explicitly to every operation, so the suite uses fixed instants around <see cref="T0"/> and never
/// sleeps. Each test uses fresh random user ids, so a store whose <see cref="CreateStoreAsync"/> returns a view on a shared
/// database still sees independent data. The only state shared by all users, the global revocation instant, is only ever
/// moved to <see cref="GlobalRevocationInstant"/>, long before every other scenario.
/// </para>
/// <para>
/// Every case is <see langword="public"/> <see langword="virtual"/>, so an adapter can override one to add a check (or, with
/// a stated reason, to skip it). Stores returned by <see cref="CreateStoreAsync"/> are disposed after the test when they
/// implement <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.
/// </para>
/// <para>
/// Optional hooks widen what the suite can prove: <see cref="MakeUnavailableAsync"/> (the backend goes away),
/// <see cref="InjectFaultAfterWritesAsync"/> (a fault between the writes of one operation) and
/// <see cref="GetStoredFamilySizeAsync"/> (the stored size of a refresh family). Cases that need a hook the adapter does not
/// offer skip with a message saying which hook to override.
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

    /// <summary>
    /// The only instant the suite moves the global revocation instant to (<see cref="ISessionStore.RevokeEverySessionAsync"/>):
    /// 30 days before <see cref="T0"/>, so that no other scenario, even on a shared database, is affected.
    /// </summary>
    protected static readonly DateTimeOffset GlobalRevocationInstant = T0 - TimeSpan.FromDays(30);

    private const string NoFailureHook = "The derived suite offers no way to make the backend unavailable (override MakeUnavailableAsync).";
    private const string NoFaultHook = "The derived suite offers no way to inject a fault between the writes of one operation (override InjectFaultAfterWritesAsync).";

    private readonly List<ISessionStore> _stores = [];

    /// <summary>Gets the idle lifetime of the sessions the suite creates and of <see cref="Rules"/>.</summary>
    protected static TimeSpan Idle => TimeSpan.FromMinutes(30);

    /// <summary>Gets the absolute lifetime of the sessions the suite creates and of <see cref="Rules"/>.</summary>
    protected static TimeSpan Absolute => TimeSpan.FromHours(12);

    /// <summary>Gets the rules most cases judge by: idle 30 minutes, absolute 12 hours, renewal every minute, 30 seconds of clock skew.</summary>
    protected static SessionRules Rules { get; } = new(Idle, Absolute, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    /// <summary>Gets rules with a 12-hour idle lifetime, for refresh scenarios that outlast <see cref="Idle"/>.</summary>
    protected static SessionRules LongRules { get; } = new(Absolute, Absolute, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IComparer<SessionId> IdComparer { get; } = Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));

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
    /// The failure hook: makes the backend of <paramref name="store"/> unavailable, so that every later call on it fails (a
    /// closed database, a stopped server, a dropped connection). Return <see langword="false"/> when the adapter offers no
    /// way to do this; the failure cases then skip.
    /// </summary>
    /// <param name="store">A store returned by <see cref="CreateStoreAsync"/>.</param>
    /// <returns><see langword="true"/> when the backend is now unavailable.</returns>
    protected virtual ValueTask<bool> MakeUnavailableAsync(ISessionStore store) => ValueTask.FromResult(false);

    /// <summary>
    /// The fault hook: arms a one-shot fault in <paramref name="store"/>. The next operation called on it must fail (throw)
    /// after it has made <paramref name="writes"/> of its writes and before the next one, inside its atomic step, the way a
    /// crash or a lost connection between two writes would; 0 fails it before its first write. The store must then leave
    /// nothing of that operation visible. A fault the next operation does not reach (it makes <paramref name="writes"/>
    /// writes or fewer) is disarmed by that operation, which completes normally. What counts as one write is the
    /// adapter's choice (a record, a document, a command); the suite raises <paramref name="writes"/> from 0 until the
    /// operation completes, so every position is tried. Return <see langword="false"/> when the adapter cannot do this
    /// (for example a server-side script that cannot be interrupted); the atomicity-under-fault cases then skip.
    /// </summary>
    /// <param name="store">A store returned by <see cref="CreateStoreAsync"/>.</param>
    /// <param name="writes">How many writes the next operation makes before it fails.</param>
    /// <returns><see langword="true"/> when the fault is armed.</returns>
    /// <remarks>
    /// A store that decides in .NET through <see cref="IStoreRecords"/> can implement it by wrapping the records its next
    /// step sees with one that throws on write number <paramref name="writes"/> + 1, through a test-only seam.
    /// </remarks>
    protected virtual ValueTask<bool> InjectFaultAfterWritesAsync(ISessionStore store, int writes) => ValueTask.FromResult(false);

    /// <summary>
    /// The size hook: the number of bytes the store holds for <paramref name="family"/> (its record, and its index entries if
    /// the adapter can tell), as the backend measures it. Return <see langword="null"/> when the adapter cannot tell; the
    /// growth case then checks the record's content only.
    /// </summary>
    /// <param name="store">A store returned by <see cref="CreateStoreAsync"/>.</param>
    /// <param name="family">The family as the store returned it last.</param>
    /// <returns>The stored size in bytes, or <see langword="null"/>.</returns>
    protected virtual ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family) => ValueTask.FromResult<long?>(null);

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
    protected static SessionId NewSessionId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>A fresh random refresh token hash.</summary>
    /// <returns>The hash.</returns>
    protected static RefreshTokenHash NewTokenHash() => RefreshTokenHash.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>A fresh random refresh family identifier.</summary>
    /// <returns>The identifier.</returns>
    protected static RefreshFamilyId NewFamilyId() => RefreshFamilyId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>A key binding with a fresh random thumbprint and a public JWK that exercises JSON escaping.</summary>
    /// <param name="boundAt">When the key was bound.</param>
    /// <returns>The binding.</returns>
    protected static SessionKeyBinding NewKeyBinding(DateTimeOffset boundAt)
    {
        string x = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        string y = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new SessionKeyBinding(
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}",
            boundAt);
    }

    /// <summary>Builds a session for <paramref name="userId"/> created (and last seen, and authenticated) at <paramref name="createdAt"/>.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="createdAt">When it was created, or <see cref="T0"/>.</param>
    /// <param name="idle">The stored idle lifetime, or <see cref="Idle"/>.</param>
    /// <param name="absolute">The stored absolute lifetime, or <see cref="Absolute"/>.</param>
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

    /// <summary>A sign-in of <paramref name="session"/> at its creation time, without a limit, expected epoch, presented session or device.</summary>
    /// <param name="session">The session.</param>
    /// <param name="rules">The rules, or <see cref="Rules"/>.</param>
    /// <returns>The sign-in.</returns>
    protected static SessionCreation Creation(Session session, SessionRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SessionCreation { Session = session, Rules = rules ?? Rules, Now = session.CreatedAt };
    }

    /// <summary>Signs a session in without a limit, checks it was created, and returns it as stored.</summary>
    /// <param name="store">The store.</param>
    /// <param name="session">The session.</param>
    /// <returns>The session as stored (with the user's epoch).</returns>
    protected static async ValueTask<Session> InsertAsync(ISessionStore store, Session session)
    {
        ArgumentNullException.ThrowIfNull(store);
        SessionCreateResult result = await store.CreateAsync(Creation(session), Ct);
        Assert.Equal(SessionCreateStatus.Created, result.Status);
        Assert.Empty(result.Evicted);
        Assert.NotNull(result.Session);
        return result.Session;
    }

    /// <summary>A new refresh family for <paramref name="session"/>, created at <paramref name="now"/>.</summary>
    /// <param name="session">The session.</param>
    /// <param name="now">When, or <see cref="T0"/>.</param>
    /// <param name="lifetime">The family's lifetime, or 8 hours.</param>
    /// <param name="idle">The first token's idle lifetime, or 1 hour.</param>
    /// <param name="rules">The rules the session must satisfy, or <see cref="Rules"/>.</param>
    /// <returns>The creation.</returns>
    protected static RefreshFamilyCreation FamilyCreation(Session session, DateTimeOffset? now = null, TimeSpan? lifetime = null, TimeSpan? idle = null, SessionRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new RefreshFamilyCreation
        {
            FamilyId = NewFamilyId(),
            SessionId = session.Id,
            TokenHash = NewTokenHash(),
            Lifetime = lifetime ?? TimeSpan.FromHours(8),
            IdleLifetime = idle ?? TimeSpan.FromHours(1),
            Rules = rules ?? Rules,
            Now = now ?? T0,
        };
    }

    /// <summary>Creates a refresh family, checks it was created, and returns it as stored.</summary>
    /// <param name="store">The store.</param>
    /// <param name="creation">The family to create.</param>
    /// <returns>The family as stored.</returns>
    protected static async ValueTask<RefreshFamily> IssueAsync(ISessionStore store, RefreshFamilyCreation creation)
    {
        ArgumentNullException.ThrowIfNull(store);
        RefreshFamilyCreateResult result = await store.CreateRefreshFamilyAsync(creation, Ct);
        Assert.True(result.IsSuccess, $"The family was not created: {result.Status}.");
        return result.Family!;
    }

    /// <summary>Creates a refresh family for <paramref name="session"/> at <see cref="T0"/> with the defaults of <see cref="FamilyCreation"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="session">The session.</param>
    /// <param name="rules">The rules, or <see cref="Rules"/>.</param>
    /// <returns>The family as stored.</returns>
    protected static ValueTask<RefreshFamily> IssueAsync(ISessionStore store, Session session, SessionRules? rules = null) =>
        IssueAsync(store, FamilyCreation(session, rules: rules));

    /// <summary>A redemption of <paramref name="presented"/> at <paramref name="now"/> with a fresh successor living one hour.</summary>
    /// <param name="presented">The presented token hash.</param>
    /// <param name="now">The current time.</param>
    /// <param name="graceWindow">The grace window, or none.</param>
    /// <param name="rules">The rules the session must satisfy, or <see cref="Rules"/>.</param>
    /// <returns>The redemption.</returns>
    protected static RefreshRedemption Redemption(RefreshTokenHash presented, DateTimeOffset now, TimeSpan? graceWindow = null, SessionRules? rules = null) =>
        new()
        {
            PresentedTokenHash = presented,
            SuccessorTokenHash = NewTokenHash(),
            SealedSuccessor = RandomNumberGenerator.GetBytes(48),
            SuccessorIdleExpiresAt = now + TimeSpan.FromHours(1),
            GraceWindow = graceWindow ?? TimeSpan.Zero,
            Rules = rules ?? Rules,
            Now = now,
        };

    /// <summary>A revocation of every session of <paramref name="userId"/> at <paramref name="now"/>.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The revocation.</returns>
    protected static UserRevocation RevokeAll(string userId, RevocationReason reason, DateTimeOffset now) =>
        new() { UserId = userId, Reason = reason, Rules = Rules, Now = now };

    /// <summary>Judges a session without touching it.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The session.</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The rules, or <see cref="Rules"/>.</param>
    /// <returns>The verdict.</returns>
    protected static async ValueTask<SessionValidationStatus> StatusAsync(ISessionStore store, SessionId id, DateTimeOffset now, SessionRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.ValidateAsync(id, rules ?? Rules, now, touch: false, Ct)).Status;
    }

    /// <summary>Asserts that two sessions hold the same data, field by field (times compared as instants, to the tick).</summary>
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
        Assert.Equal(expected.AuthenticationMethods, actual.AuthenticationMethods);
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.SecurityEpoch, actual.SecurityEpoch);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.RevokedAt?.UtcTicks, actual.RevokedAt?.UtcTicks);
        Assert.Equal(expected.RevocationReason, actual.RevocationReason);
        Assert.Equal(expected.KeyBinding?.Thumbprint, actual.KeyBinding?.Thumbprint);
        Assert.Equal(expected.KeyBinding?.PublicKeyJwk, actual.KeyBinding?.PublicKeyJwk);
        Assert.Equal(expected.KeyBinding?.BoundAt.UtcTicks, actual.KeyBinding?.BoundAt.UtcTicks);
        Assert.Equal(expected.Location, actual.Location);
        Assert.Equal(expected.SignInRisk, actual.SignInRisk);
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
        Assert.Equal(expected.ClientId, actual.ClientId);
        Assert.Equal(expected.KeyThumbprint, actual.KeyThumbprint);
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

    /// <summary>Asserts that two sets of session identifiers are equal, in any order.</summary>
    /// <param name="expected">The expected identifiers.</param>
    /// <param name="actual">The actual identifiers.</param>
    protected static void AssertSameIds(IEnumerable<SessionId> expected, IEnumerable<SessionId> actual) =>
        Assert.Equal(expected.Order(IdComparer), actual.Order(IdComparer));

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
