using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// The reference store: everything in process memory behind one lock, so every operation is trivially atomic; the
/// decisions are <see cref="StoreDecisions"/>'. Suits tests, single-process hosts that accept losing sessions on
/// restart, and adapter authors who want to see the intended behaviour of each operation.
/// </summary>
/// <threadsafety>Safe to share between threads.</threadsafety>
public sealed partial class InMemorySessionStore : ISessionStore
{
    private readonly Lock _gate = new();
    private readonly Records _records = new();

    /// <summary>Gets the number of session records held, revoked ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Sessions.Count;
            }
        }
    }

    /// <summary>
    /// Gets or sets a wrapper around the records each decision sees, for tests that inject a fault between the writes of
    /// one operation; reachable through InternalsVisibleTo only, so production code cannot weaken the store.
    /// </summary>
    internal Func<IStoreRecords, IStoreRecords>? RecordsInterceptor { get; set; }

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default) =>
        Decide(creation, static (r, c) => StoreDecisions.Create(r, c), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        Run(id, static (r, id) => r.FindSession(id), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default) =>
        Decide((id, rules, now, touch), static (r, a) => StoreDecisions.Validate(r, a.id, a.rules, a.now, a.touch), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default) =>
        Decide(regeneration, static (r, g) => StoreDecisions.Regenerate(r, g), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((id, userId, reason, now), static (r, a) => StoreDecisions.Revoke(r, a.id, a.userId, a.reason, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default) =>
        Decide(revocation, static (r, v) => StoreDecisions.RevokeUserSessions(r, v), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((userId, rules, now), static (r, a) => StoreDecisions.ListUserSessions(r, a.userId, a.rules, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((id, binding, rules, now), static (r, a) => StoreDecisions.BindKey(r, a.id, a.binding, a.rules, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default) =>
        Decide(creation, static (r, c) => StoreDecisions.CreateRefreshFamily(r, c), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        Run(tokenHash, static (r, h) => r.FindFamily(h), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default) =>
        Decide(redemption, static (r, d) => StoreDecisions.Redeem(r, d), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Decide((tokenHash, reason, now), static (r, a) => StoreDecisions.RevokeRefreshFamily(r, a.tokenHash, a.reason, a.now), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(userId ?? throw new ArgumentNullException(nameof(userId)), static (r, u) => r.FindUser(u), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> GetSecurityEpochAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(userId ?? throw new ArgumentNullException(nameof(userId)), static (r, u) => r.FindSecurityEpoch(u), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default) =>
        Decide((userId, device, maxDevices), static (r, a) => StoreDecisions.RememberDevice(r, a.userId, a.device, a.maxDevices), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<DateTimeOffset> RevokeEverySessionAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Run(now, static (r, now) => (r.RevokedBefore = r.RevokedBefore > now ? r.RevokedBefore : now).Value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Run(now, static (r, now) => r.Purge(now), cancellationToken);

    private ValueTask<TResult> Decide<TArgument, TResult>(TArgument argument, Func<IStoreRecords, TArgument, TResult> decision, CancellationToken cancellationToken) =>
        Run(
            (argument, decision, RecordsInterceptor),
            static (r, a) => a.decision(a.RecordsInterceptor?.Invoke(r) ?? r, a.argument),
            cancellationToken);

    private ValueTask<TResult> Run<TArgument, TResult>(TArgument argument, Func<Records, TArgument, TResult> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            try
            {
                TResult result = operation(_records, argument);
                _records.Commit();
                return ValueTask.FromResult(result);
            }
            catch
            {
                // All or nothing: whatever the step wrote before it failed is undone before the lock is released.
                _records.Rollback();
                throw;
            }
        }
    }

    /// <summary>
    /// The records behind the lock. Every write is journalled until the operation ends, so an operation that throws part-way
    /// (a refused insert, a fault) leaves no trace: its writes become visible together or not at all.
    /// </summary>
    private sealed class Records : IStoreRecords
    {
        private readonly List<Action> _undo = [];
        private readonly Dictionary<string, HashSet<SessionId>> _sessionsByUser = new(StringComparer.Ordinal);
        private readonly Dictionary<RefreshFamilyId, RefreshFamily> _families = [];
        private readonly Dictionary<RefreshTokenHash, RefreshFamilyId> _familyByToken = [];
        private readonly Dictionary<SessionId, HashSet<RefreshFamilyId>> _familiesBySession = [];
        private readonly Dictionary<string, UserSecurityState> _users = new(StringComparer.Ordinal);

        public Dictionary<SessionId, Session> Sessions { get; } = [];

        public DateTimeOffset? RevokedBefore { get; set; }

        public Session? FindSession(SessionId id) => Sessions.GetValueOrDefault(id);

        public IReadOnlyList<Session> FindUserSessions(string userId) =>
            _sessionsByUser.TryGetValue(userId, out HashSet<SessionId>? ids) ? [.. ids.Select(id => Sessions[id])] : [];

        public RefreshFamily? FindFamily(RefreshTokenHash tokenHash) =>
            _familyByToken.TryGetValue(tokenHash, out RefreshFamilyId id) ? _families.GetValueOrDefault(id) : null;

        public IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId) =>
            _familiesBySession.TryGetValue(sessionId, out HashSet<RefreshFamilyId>? ids) ? [.. ids.Select(id => _families[id])] : [];

        public UserSecurityState FindUser(string userId) => _users.GetValueOrDefault(userId) ?? new UserSecurityState(userId, 0, []);

        public long FindSecurityEpoch(string userId) => _users.TryGetValue(userId, out UserSecurityState? state) ? state.SecurityEpoch : 0;

        public void InsertSession(Session session)
        {
            if (!Sessions.TryAdd(session.Id, session))
            {
                throw new InvalidOperationException("A session with this identifier exists already.");
            }

            _undo.Add(() => Sessions.Remove(session.Id));
            if (IndexOf(_sessionsByUser, session.UserId).Add(session.Id))
            {
                _undo.Add(() => Unindex(_sessionsByUser, session.UserId, session.Id));
            }
        }

        public void UpdateSession(Session session)
        {
            Session? before = Sessions.GetValueOrDefault(session.Id);
            Sessions[session.Id] = session;
            _undo.Add(() => Restore(Sessions, session.Id, before));
        }

        public void InsertFamily(RefreshFamily family)
        {
            if (_families.ContainsKey(family.FamilyId) || !_familyByToken.TryAdd(family.CurrentTokenHash, family.FamilyId))
            {
                throw new InvalidOperationException("A refresh family or token with this identifier exists already.");
            }

            _undo.Add(() => _familyByToken.Remove(family.CurrentTokenHash));
            _families.Add(family.FamilyId, family);
            _undo.Add(() => _families.Remove(family.FamilyId));
            if (IndexOf(_familiesBySession, family.SessionId).Add(family.FamilyId))
            {
                _undo.Add(() => Unindex(_familiesBySession, family.SessionId, family.FamilyId));
            }
        }

        public void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash)
        {
            if (addedTokenHash is RefreshTokenHash added)
            {
                if (!_familyByToken.TryAdd(added, family.FamilyId))
                {
                    throw new InvalidOperationException("A refresh token with this identifier exists already.");
                }

                _undo.Add(() => _familyByToken.Remove(added));
            }

            if (removedTokenHash is RefreshTokenHash removed && _familyByToken.Remove(removed, out RefreshFamilyId owner))
            {
                _undo.Add(() => _familyByToken[removed] = owner);
            }

            RefreshFamily? before = _families.GetValueOrDefault(family.FamilyId);
            _families[family.FamilyId] = family;
            _undo.Add(() => Restore(_families, family.FamilyId, before));
        }

        public void UpdateUser(UserSecurityState state)
        {
            UserSecurityState? before = _users.GetValueOrDefault(state.UserId);
            _users[state.UserId] = state;
            _undo.Add(() => Restore(_users, state.UserId, before));
        }

        public void Commit() => _undo.Clear();

        public void Rollback()
        {
            for (int i = _undo.Count - 1; i >= 0; i--)
            {
                _undo[i]();
            }

            _undo.Clear();
        }

        public int Purge(DateTimeOffset now)
        {
            int removed = 0;
            foreach (Session session in Sessions.Values.Where(s => s.IsPurgeableAt(now)).ToArray())
            {
                Sessions.Remove(session.Id);
                Unindex(_sessionsByUser, session.UserId, session.Id);
                removed++;
            }

            foreach (RefreshFamily family in _families.Values.Where(f => f.IsPurgeableAt(now)).ToArray())
            {
                _families.Remove(family.FamilyId);
                foreach (RefreshTokenHash hash in family.TokenHashes)
                {
                    _familyByToken.Remove(hash);
                }

                Unindex(_familiesBySession, family.SessionId, family.FamilyId);
                removed++;
            }

            return removed;
        }

        private static HashSet<TValue> IndexOf<TKey, TValue>(Dictionary<TKey, HashSet<TValue>> index, TKey key)
            where TKey : notnull
        {
            if (!index.TryGetValue(key, out HashSet<TValue>? set))
            {
                set = [];
                index.Add(key, set);
            }

            return set;
        }

        private static void Restore<TKey, TValue>(Dictionary<TKey, TValue> records, TKey key, TValue? before)
            where TKey : notnull
            where TValue : class
        {
            if (before is null)
            {
                records.Remove(key);
            }
            else
            {
                records[key] = before;
            }
        }

        private static void Unindex<TKey, TValue>(Dictionary<TKey, HashSet<TValue>> index, TKey key, TValue value)
            where TKey : notnull
        {
            if (index.TryGetValue(key, out HashSet<TValue>? set) && set.Remove(value) && set.Count == 0)
            {
                index.Remove(key);
            }
        }
    }
}
