using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Tests.TestSupport;

/// <summary>
/// The one observing store of the tests: forwards every call to an inner store, counts calls per operation, runs hooks
/// before and after each call, and on demand fails calls the way a dead database would. A test that must tamper with one
/// operation's answer derives from it and overrides that operation.
/// </summary>
/// <remarks>
/// Operations are named by their <see cref="ISessionStore"/> method names (<c>nameof(ISessionStore.CreateAsync)</c>). A call
/// is counted first, then <see cref="Before"/> runs, then the failure switches apply, then the inner store is called and
/// <see cref="After"/> runs with its result. <see cref="ISessionStore.GetSecurityEpochAsync"/> is forwarded (and counted) as
/// an operation of its own.
/// </remarks>
internal class DelegatingStore(ISessionStore inner) : ISessionStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Gets the store every call is forwarded to.</summary>
    public ISessionStore Inner { get; } = inner;

    /// <summary>Gets or sets a value indicating whether every call throws <see cref="FailureToThrow"/>.</summary>
    public bool Fail { get; set; }

    /// <summary>Gets or sets a predicate on the operation name; calls for which it holds throw <see cref="FailureToThrow"/>.</summary>
    public Func<string, bool>? FailWhen { get; set; }

    /// <summary>Gets or sets what a failing call throws.</summary>
    public Exception FailureToThrow { get; set; } = new SessionStoreException("connection refused");

    /// <summary>Gets or sets a hook run before each call with the operation name (it may throw, or interleave another operation).</summary>
    public Func<string, ValueTask>? Before { get; set; }

    /// <summary>Gets or sets a hook run after each call that succeeded, with the operation name and its result.</summary>
    public Func<string, object?, ValueTask>? After { get; set; }

    /// <summary>Gets the number of calls since the last <see cref="ResetCalls"/>, all operations together.</summary>
    public int TotalCalls => _calls.Values.Sum();

    /// <summary>Gets the calls per operation since the last <see cref="ResetCalls"/> (operations never called are absent).</summary>
    public IReadOnlyDictionary<string, int> CallCounts => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    /// <summary>Counts the calls of one operation since the last <see cref="ResetCalls"/>.</summary>
    /// <param name="operation">The operation name, for example <c>nameof(ISessionStore.CreateAsync)</c>.</param>
    /// <returns>How many times it was called.</returns>
    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    /// <summary>Forgets the counted calls.</summary>
    public void ResetCalls() => _calls.Clear();

    /// <summary>Runs <paramref name="action"/> once, after the next successful call of <paramref name="operation"/>, keeping any other <see cref="After"/> hook.</summary>
    /// <param name="operation">The operation name.</param>
    /// <param name="action">What to interleave at that point.</param>
    public void AfterNext(string operation, Func<ValueTask> action)
    {
        Func<string, object?, ValueTask>? previous = After;
        int pending = 1;
        After = async (op, result) =>
        {
            if (previous is not null)
            {
                await previous(op, result);
            }

            if (string.Equals(op, operation, StringComparison.Ordinal) && Interlocked.Exchange(ref pending, 0) == 1)
            {
                await action();
            }
        };
    }

    public virtual ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(CreateAsync), static (s, ct) => s.Inner.CreateAsync(s.creation, ct), (Inner, creation), cancellationToken);

    public virtual ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(FindAsync), static (s, ct) => s.Inner.FindAsync(s.id, ct), (Inner, id), cancellationToken);

    public virtual ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(ValidateAsync), static (s, ct) => s.Inner.ValidateAsync(s.id, s.rules, s.now, s.touch, ct), (Inner, id, rules, now, touch), cancellationToken);

    public virtual ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RegenerateAsync), static (s, ct) => s.Inner.RegenerateAsync(s.regeneration, ct), (Inner, regeneration), cancellationToken);

    public virtual ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RevokeAsync), static (s, ct) => s.Inner.RevokeAsync(s.id, s.userId, s.reason, s.now, ct), (Inner, id, userId, reason, now), cancellationToken);

    public virtual ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RevokeUserSessionsAsync), static (s, ct) => s.Inner.RevokeUserSessionsAsync(s.revocation, ct), (Inner, revocation), cancellationToken);

    public virtual ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(ListUserSessionsAsync), static (s, ct) => s.Inner.ListUserSessionsAsync(s.userId, s.rules, s.now, ct), (Inner, userId, rules, now), cancellationToken);

    public virtual ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(BindKeyAsync), static (s, ct) => s.Inner.BindKeyAsync(s.id, s.binding, s.rules, s.now, ct), (Inner, id, binding, rules, now), cancellationToken);

    public virtual ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(CreateRefreshFamilyAsync), static (s, ct) => s.Inner.CreateRefreshFamilyAsync(s.creation, ct), (Inner, creation), cancellationToken);

    public virtual ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(FindRefreshFamilyByTokenAsync), static (s, ct) => s.Inner.FindRefreshFamilyByTokenAsync(s.tokenHash, ct), (Inner, tokenHash), cancellationToken);

    public virtual ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RedeemRefreshTokenAsync), static (s, ct) => s.Inner.RedeemRefreshTokenAsync(s.redemption, ct), (Inner, redemption), cancellationToken);

    public virtual ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RevokeRefreshFamilyAsync), static (s, ct) => s.Inner.RevokeRefreshFamilyAsync(s.tokenHash, s.reason, s.now, ct), (Inner, tokenHash, reason, now), cancellationToken);

    public virtual ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(GetUserSecurityStateAsync), static (s, ct) => s.Inner.GetUserSecurityStateAsync(s.userId, ct), (Inner, userId), cancellationToken);

    public virtual ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(ISessionStore.GetSecurityEpochAsync), static (s, ct) => s.Inner.GetSecurityEpochAsync(s.userId, ct), (Inner, userId), cancellationToken);

    public virtual ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RememberDeviceAsync), static (s, ct) => s.Inner.RememberDeviceAsync(s.userId, s.device, s.maxDevices, ct), (Inner, userId, device, maxDevices), cancellationToken);

    public virtual ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(RevokeEverySessionAsync), static (s, ct) => s.Inner.RevokeEverySessionAsync(s.now, ct), (Inner, now), cancellationToken);

    public virtual ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(PurgeExpiredAsync), static (s, ct) => s.Inner.PurgeExpiredAsync(s.now, ct), (Inner, now), cancellationToken);

    public virtual ValueTask<bool> TryUseOnceAsync(SingleUseKey key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(nameof(TryUseOnceAsync), static (s, ct) => s.Inner.TryUseOnceAsync(s.key, s.expiresAt, s.now, ct), (Inner, key, expiresAt, now), cancellationToken);

    private async ValueTask<TResult> CallAsync<TState, TResult>(string operation, Func<TState, CancellationToken, ValueTask<TResult>> call, TState state, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(operation, 1, static (_, count) => count + 1);
        if (Before is { } before)
        {
            await before(operation);
        }

        if (Fail || FailWhen?.Invoke(operation) == true)
        {
            throw FailureToThrow;
        }

        TResult result = await call(state, cancellationToken);
        if (After is { } after)
        {
            await after(operation, result);
        }

        return result;
    }
}
