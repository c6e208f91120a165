using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// The reference store: everything in process memory behind one lock, so every primitive is trivially
/// atomic. Suits tests, single-process hosts that accept losing sessions on restart, and adapter authors
/// who want to see the intended behaviour of each primitive.
/// </summary>
/// <threadsafety>Safe to share between threads.</threadsafety>
public sealed partial class InMemorySessionStore : ISessionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SessionId, Session> _sessions = [];
    private readonly Dictionary<string, HashSet<SessionId>> _sessionsByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshFamily> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _familyByTokenHash = new(StringComparer.Ordinal);
    private readonly Dictionary<SessionId, HashSet<string>> _familiesBySession = [];
    private readonly Dictionary<string, UserSecurityState> _users = new(StringComparer.Ordinal);

    /// <summary>Gets the number of session records held, revoked ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_sessions.ContainsKey(session.Id))
            {
                throw new InvalidOperationException("A session with this identifier exists already.");
            }

            List<SessionId>? evicted = null;
            if (limit.IsLimited)
            {
                if (!limit.TrySelectEvictions(LiveSessionsOf(session.UserId, now), out IReadOnlyList<Session> victims))
                {
                    return ValueTask.FromResult(SessionCreateResult.LimitReached());
                }

                evicted = [];
                foreach (Session victim in victims)
                {
                    RevokeLocked(victim.Id, RevocationReason.Evicted, now);
                    evicted.Add(victim.Id);
                }
            }

            _sessions.Add(session.Id, session);
            IndexOf(_sessionsByUser, session.UserId).Add(session.Id);
            return ValueTask.FromResult(SessionCreateResult.Success(evicted));
        }
    }

    /// <inheritdoc/>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_sessions.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out Session? session) || session.IsRevoked || session.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            _sessions[id] = session with { LastSeenAt = lastSeenAt, IdleExpiresAt = idleExpiresAt, Version = checked(session.Version + 1) };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            SessionRegenerateStatus status = _sessions.TryGetValue(currentId, out Session? current)
                ? current.ClassifyRegeneration(expectedVersion, now)
                : SessionRegenerateStatus.NotFound;
            if (status != SessionRegenerateStatus.Regenerated)
            {
                return ValueTask.FromResult(status);
            }

            if (_sessions.ContainsKey(replacement.Id))
            {
                throw new InvalidOperationException("A session with this identifier exists already.");
            }

            RevokeLocked(currentId, RevocationReason.Regenerated, now);
            _sessions.Add(replacement.Id, replacement);
            IndexOf(_sessionsByUser, replacement.UserId).Add(replacement.Id);
            return ValueTask.FromResult(SessionRegenerateStatus.Regenerated);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(RevokeLocked(id, reason, now));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            List<SessionId> revoked = [];
            if (_sessionsByUser.TryGetValue(userId, out HashSet<SessionId>? ids))
            {
                foreach (SessionId id in ids.ToArray())
                {
                    if (id != except && RevokeLocked(id, reason, now))
                    {
                        revoked.Add(id);
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<SessionId>>(revoked);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Session>>(LiveSessionsOf(userId, now));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(family);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(family.SessionId, out Session? session) || !session.IsLiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            if (_families.ContainsKey(family.FamilyId) || _familyByTokenHash.ContainsKey(family.CurrentTokenHash))
            {
                throw new InvalidOperationException("A refresh family or token with this identifier exists already.");
            }

            _families.Add(family.FamilyId, family);
            _familyByTokenHash.Add(family.CurrentTokenHash, family.FamilyId);
            IndexOf(_familiesBySession, family.SessionId).Add(family.FamilyId);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(FamilyOfLocked(tokenHash));
        }
    }

    /// <inheritdoc/>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            RefreshFamily? family = FamilyOfLocked(redemption.PresentedTokenHash);
            if (family is null)
            {
                return ValueTask.FromResult(RefreshRedeemResult.NotFound);
            }

            RefreshRedeemStatus status = Classify(family, redemption);
            if (status != RefreshRedeemStatus.Rotated)
            {
                return ValueTask.FromResult(new RefreshRedeemResult(status, family));
            }

            if (_familyByTokenHash.ContainsKey(redemption.SuccessorTokenHash))
            {
                throw new InvalidOperationException("A refresh token with this identifier exists already.");
            }

            RefreshFamily rotated = family.Rotate(redemption);
            _families[family.FamilyId] = rotated;
            _familyByTokenHash.Add(redemption.SuccessorTokenHash, family.FamilyId);
            return ValueTask.FromResult(new RefreshRedeemResult(RefreshRedeemStatus.Rotated, rotated));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(RevokeFamilyLocked(familyId, reason, now));
        }
    }

    /// <inheritdoc/>
    public ValueTask<UserSecurityState> GetUserSecurityStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_users.GetValueOrDefault(userId) ?? new UserSecurityState(userId, 0, []));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> IncrementSecurityEpochAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            UserSecurityState state = _users.GetValueOrDefault(userId) ?? new UserSecurityState(userId, 0, []);
            state = state with { SecurityEpoch = checked(state.SecurityEpoch + 1) };
            _users[userId] = state;
            return ValueTask.FromResult(state.SecurityEpoch);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RememberDeviceAsync(string userId, KnownDevice device, int maxDevices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            UserSecurityState state = _users.GetValueOrDefault(userId) ?? new UserSecurityState(userId, 0, []);
            _users[userId] = state.WithDevice(device, maxDevices, out bool isNew);
            return ValueTask.FromResult(isNew);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            int removed = 0;
            foreach (Session session in _sessions.Values.ToArray())
            {
                bool expired = now >= session.AbsoluteExpiresAt || (!session.IsRevoked && now >= session.IdleExpiresAt);
                if (expired)
                {
                    _sessions.Remove(session.Id);
                    if (_sessionsByUser.TryGetValue(session.UserId, out HashSet<SessionId>? ids))
                    {
                        ids.Remove(session.Id);
                        if (ids.Count == 0)
                        {
                            _sessionsByUser.Remove(session.UserId);
                        }
                    }

                    removed++;
                }
            }

            foreach (RefreshFamily family in _families.Values.ToArray())
            {
                if (now >= family.AbsoluteExpiresAt)
                {
                    _families.Remove(family.FamilyId);
                    _familyByTokenHash.Remove(family.CurrentTokenHash);
                    if (family.PreviousTokenHash is not null)
                    {
                        _familyByTokenHash.Remove(family.PreviousTokenHash);
                    }

                    foreach (string spent in family.SpentTokenHashes)
                    {
                        _familyByTokenHash.Remove(spent);
                    }

                    if (_familiesBySession.TryGetValue(family.SessionId, out HashSet<string>? families))
                    {
                        families.Remove(family.FamilyId);
                        if (families.Count == 0)
                        {
                            _familiesBySession.Remove(family.SessionId);
                        }
                    }

                    removed++;
                }
            }

            return ValueTask.FromResult(removed);
        }
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

    private RefreshRedeemStatus Classify(RefreshFamily family, RefreshRedemption redemption) =>
        family.Classify(redemption, _sessions.GetValueOrDefault(family.SessionId));

    private RefreshFamily? FamilyOfLocked(string tokenHash) =>
        _familyByTokenHash.TryGetValue(tokenHash, out string? familyId) ? _families.GetValueOrDefault(familyId) : null;

    private List<Session> LiveSessionsOf(string userId, DateTimeOffset now)
    {
        List<Session> live = [];
        if (_sessionsByUser.TryGetValue(userId, out HashSet<SessionId>? ids))
        {
            foreach (SessionId id in ids)
            {
                Session session = _sessions[id];
                if (session.IsLiveAt(now))
                {
                    live.Add(session);
                }
            }
        }

        return live;
    }

    private bool RevokeLocked(SessionId id, RevocationReason reason, DateTimeOffset now)
    {
        if (!_sessions.TryGetValue(id, out Session? session) || session.IsRevoked)
        {
            return false;
        }

        _sessions[id] = session with { RevokedAt = now, RevocationReason = reason, Version = checked(session.Version + 1) };
        if (_familiesBySession.TryGetValue(id, out HashSet<string>? families))
        {
            foreach (string familyId in families)
            {
                RevokeFamilyLocked(familyId, reason, now);
            }
        }

        return true;
    }

    private bool RevokeFamilyLocked(string familyId, RevocationReason reason, DateTimeOffset now)
    {
        if (!_families.TryGetValue(familyId, out RefreshFamily? family) || family.IsRevoked)
        {
            return false;
        }

        _families[familyId] = family.Revoke(reason, now);
        return true;
    }
}
