using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores.Redis.Internal;
using SessionCore.Tokens;
using StackExchange.Redis;
using static SessionCore.Stores.Redis.Internal.RedisRecordCodec;

namespace SessionCore.Stores.Redis;

public sealed partial class RedisSessionStore
{
    private const string Pending = "-";

    /// <inheritdoc/>
    /// <remarks>
    /// One script (<see cref="StoreDecisions.Create"/>): expected epoch, limit and eviction, insert, presented session and
    /// device memory. Single server: one round trip. Cluster: the session pointer is claimed first (together with the
    /// global revocation instant when a limit applies), then the script runs: two round trips.
    /// </remarks>
    public ValueTask<SessionCreateResult> CreateAsync(SessionCreation creation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        ArgumentNullException.ThrowIfNull(creation.Session);
        ArgumentNullException.ThrowIfNull(creation.Rules);
        if (creation.Device is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(creation.MaxDevices, 1, nameof(creation));
        }

        return RunAsync(creation, static (store, db, c, ct) => store.CreateCoreAsync(db, c, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Single server: one script. Cluster: the pointer, then the hash (two round trips).</remarks>
    public ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default) =>
        id.IsEmpty ? ValueTask.FromResult<Session?>(null) : RunAsync(id, static (store, db, id, ct) => store.FindCoreAsync(db, id, ct), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Security: one script (<see cref="StoreDecisions.Validate"/>) reads the session, its user's epoch and the global
    /// revocation instant, judges with <see cref="Session.Classify"/> and writes a due renewal in the same step. Single
    /// server: one round trip. Cluster: the pointer and the instant, then the script (two).
    /// </remarks>
    public ValueTask<SessionCheck> ValidateAsync(SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return id.IsEmpty
            ? ValueTask.FromResult(SessionCheck.NotFound)
            : RunAsync((id, rules, now, touch), static (store, db, a, ct) => store.ValidateCoreAsync(db, a.id, a.rules, a.now, a.touch, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.Regenerate"/>). Single server: one round trip; Cluster: two.</remarks>
    public ValueTask<SessionRegenerateResult> RegenerateAsync(SessionRegeneration regeneration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regeneration);
        ArgumentNullException.ThrowIfNull(regeneration.Replacement);
        ArgumentNullException.ThrowIfNull(regeneration.Rules);
        return regeneration.CurrentId.IsEmpty
            ? ValueTask.FromResult(SessionRegenerateResult.NotFound)
            : RunAsync(regeneration, static (store, db, g, ct) => store.RegenerateCoreAsync(db, g, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.Revoke"/>). Single server: one round trip; Cluster: two.</remarks>
    public ValueTask<Session?> RevokeAsync(SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        id.IsEmpty
            ? ValueTask.FromResult<Session?>(null)
            : RunAsync((id, userId, reason, now), static (store, db, a, ct) => store.RevokeCoreAsync(db, a.id, a.userId, a.reason, a.now, ct), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// One script over the user's records (<see cref="StoreDecisions.RevokeUserSessions"/>): the epoch advance, the kept
    /// session's regeneration and every revocation succeed or fail together, atomically with <see cref="CreateAsync"/>
    /// for the same user. One round trip; in Cluster two when a session is kept (the global revocation instant first).
    /// </remarks>
    public ValueTask<UserRevocationResult> RevokeUserSessionsAsync(UserRevocation revocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(revocation.UserId);
        ArgumentNullException.ThrowIfNull(revocation.Rules);
        if (revocation.AdvanceEpoch && revocation.Except is not null)
        {
            throw new ArgumentException(Error.ExceptWithEpoch, nameof(revocation));
        }

        return RunAsync(revocation, static (store, db, r, ct) => store.RevokeUserCoreAsync(db, r, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.ListUserSessions"/>); one round trip (in Cluster the global revocation instant is read alongside).</remarks>
    public ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(rules);
        return RunAsync((userId, rules, now), static (store, db, a, ct) => store.ListCoreAsync(db, a.userId, a.rules, a.now, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.BindKey"/>). Single server: one round trip; Cluster: two.</remarks>
    public ValueTask<SessionBindResult> BindKeyAsync(SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(rules);
        return id.IsEmpty
            ? ValueTask.FromResult(new SessionBindResult(SessionBindStatus.NotValid, SessionValidationStatus.NotFound, null))
            : RunAsync((id, binding, rules, now), static (store, db, a, ct) => store.BindKeyCoreAsync(db, a.id, a.binding, a.rules, a.now, ct), cancellationToken);
    }

    private async Task<SessionCreateResult> CreateCoreAsync(IDatabase db, SessionCreation creation, CancellationToken cancellationToken)
    {
        Session session = creation.Session;
        DateTimeOffset now = creation.Now;
        string h = RedisKeys.UserHash(session.UserId);
        RedisKey pointer = _keys.SessionPointer(session.Id);
        bool cluster = IsCluster(db);
        string revokedBefore = ReadByScript;
        if (cluster)
        {
            // The pointer lives in another slot: claiming it first is the duplicate check, so a refused create writes nothing
            // but a pointer to nothing, dropped below. The instant matters only for counting live sessions.
            Task<bool> claim = db.StringSetAsync(pointer, h, Life(session.AbsoluteExpiresAt, now), When.NotExists);
            Task<RedisValue>? instant = creation.Limit.IsLimited ? db.StringGetAsync(_keys.RevokedBefore) : null;
            bool claimed = await claim.WaitAsync(cancellationToken).ConfigureAwait(false);
            revokedBefore = instant is null ? string.Empty : RevokedBeforeArgument(await instant.WaitAsync(cancellationToken).ConfigureAwait(false));
            if (!claimed)
            {
                throw new InvalidOperationException(Error.DuplicateSession);
            }
        }

        List<RedisValue> values = Header(h, revokedBefore, now, creation.Rules, cluster, 32);
        values.AddRange(
        [
            session.UserId,
            creation.ExpectedSecurityEpoch is long expected ? Number(expected) : string.Empty,
            creation.PresentedId is SessionId presented && !presented.IsEmpty ? presented.ToString() : string.Empty,
            Number(creation.Limit.MaxSessions),
            creation.Limit.Mode == SessionLimitMode.RejectNew ? "1" : "0",
            creation.Device is KnownDevice device ? EncodeDevice(device) : string.Empty,
            Number(creation.MaxDevices),
            session.Id.ToString(),
            Ticks(session.IsRevoked || session.AbsoluteExpiresAt < session.IdleExpiresAt ? session.AbsoluteExpiresAt : session.IdleExpiresAt),
            Ticks(session.AbsoluteExpiresAt),
            session.IsRevoked ? "sr" : "ss",
        ]);
        AddSessionFields(values, session);
        RedisResult[] reply = Items(await EvaluateAsync(db, RedisScripts.Create, [_keys.Session(h, session.Id)], values, cancellationToken).ConfigureAwait(false));
        int status = Integer(reply[0]);
        if (cluster && status != 0)
        {
            Forget(db, pointer);
        }

        switch (status)
        {
            case 0:
                break;
            case 1:
                return SessionCreateResult.NotCreated(SessionCreateStatus.LimitReached);
            case 2:
                return SessionCreateResult.NotCreated(SessionCreateStatus.EpochMoved);
            case -1:
                throw new InvalidOperationException(Error.DuplicateSession);
            default:
                throw new FormatException();
        }

        RedisResult[] presentedFields = Items(reply[2]);
        Session? found = presentedFields.Length == 0 ? null : DecodeSession(presentedFields);
        return SessionCreateResult.Created(
            session with { SecurityEpoch = Long(Text(reply[1])) },
            SessionIds(reply[3]),
            found is not null,
            found is { IsRevoked: false } ? found.Revoke(RevocationReason.Regenerated, now) : null,
            Integer(reply[4]) == 1,
            DecodeDevices((RedisValue)reply[5]));
    }

    private async Task<Session?> FindCoreAsync(IDatabase db, SessionId id, CancellationToken cancellationToken)
    {
        RedisKey pointer = _keys.SessionPointer(id);
        if (IsCluster(db))
        {
            RedisValue h = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (h.IsNullOrEmpty)
            {
                return null;
            }

            HashEntry[] entries = await db.HashGetAllAsync(_keys.Session((string)h!, id)).WaitAsync(cancellationToken).ConfigureAwait(false);
            return entries.Length == 0 ? null : Matching(DecodeSession(entries), id);
        }

        List<RedisValue> values = Header(string.Empty, string.Empty, default, null, cluster: false, 1);
        values.Add(id.ToString());
        RedisResult[] fields = Items(await EvaluateAsync(db, RedisScripts.Find, [pointer], values, cancellationToken).ConfigureAwait(false));
        return fields.Length == 0 ? null : Matching(DecodeSession(fields), id);
    }

    private async Task<SessionCheck> ValidateCoreAsync(IDatabase db, SessionId id, SessionRules rules, DateTimeOffset now, bool touch, CancellationToken cancellationToken)
    {
        (RedisKey key, string route, string revokedBefore)? target = await SessionTargetAsync(db, id, revokedBefore: true, cancellationToken).ConfigureAwait(false);
        if (target is not (RedisKey key, string route, string instant))
        {
            return SessionCheck.NotFound;
        }

        List<RedisValue> values = Header(route, instant, now, rules, IsCluster(db), 2);
        values.Add(id.ToString());
        values.Add(touch ? "1" : "0");
        RedisResult[] reply = Items(await EvaluateAsync(db, RedisScripts.Validate, [key], values, cancellationToken).ConfigureAwait(false));
        SessionValidationStatus status = Status(reply[0]);
        if (status == SessionValidationStatus.NotFound || Matching(DecodeSession(reply[1]), id) is not Session session)
        {
            return SessionCheck.NotFound;
        }

        return new SessionCheck(status, status == SessionValidationStatus.Valid && touch ? session.Touch(rules, now) : session);
    }

    private async Task<SessionRegenerateResult> RegenerateCoreAsync(IDatabase db, SessionRegeneration regeneration, CancellationToken cancellationToken)
    {
        SessionId currentId = regeneration.CurrentId;
        SessionId newId = regeneration.Replacement.NewId;
        bool cluster = IsCluster(db);
        RedisKey newPointer = _keys.SessionPointer(newId);
        Task<bool>? claim = cluster ? ClaimAsync(db, newPointer, regeneration.Rules.AbsoluteLifetime) : null;
        (RedisKey key, string route, string revokedBefore)? target = await SessionTargetAsync(db, currentId, revokedBefore: true, cancellationToken).ConfigureAwait(false);
        if (claim is not null && !await claim.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(Error.DuplicateSession);
        }

        if (target is not (RedisKey key, string route, string instant))
        {
            if (cluster)
            {
                Forget(db, newPointer);
            }

            return SessionRegenerateResult.NotFound;
        }

        List<RedisValue> values = Header(route, instant, regeneration.Now, regeneration.Rules, cluster, 8);
        values.Add(currentId.ToString());
        AddReplacement(values, regeneration.Replacement);
        Task<RedisResult> script = EvaluateAsync(db, RedisScripts.Regenerate, [key], values, cancellationToken);
        RedisResult[] reply = Items(await SettleAsync(db, cluster, newPointer, route, script, cancellationToken).ConfigureAwait(false));
        int code = Integer(reply[0]);
        if (cluster && code != 0)
        {
            Forget(db, newPointer);
        }

        if (code == -1)
        {
            throw new InvalidOperationException(Error.DuplicateSession);
        }

        SessionValidationStatus status = Status(reply[0]);
        if (status == SessionValidationStatus.NotFound || Matching(DecodeSession(reply[1]), currentId) is not Session current)
        {
            return SessionRegenerateResult.NotFound;
        }

        return status == SessionValidationStatus.Valid
            ? Replaced(current, regeneration.Replacement, regeneration.Rules, Long(Text(reply[2])), regeneration.Now)
            : new SessionRegenerateResult(status, current, null);
    }

    private async Task<Session?> RevokeCoreAsync(IDatabase db, SessionId id, string? userId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (RedisKey key, string route, string revokedBefore)? target = await SessionTargetAsync(db, id, revokedBefore: false, cancellationToken).ConfigureAwait(false);
        if (target is not (RedisKey key, string route, _))
        {
            return null;
        }

        List<RedisValue> values = Header(route, string.Empty, now, null, IsCluster(db), 3);
        values.Add(id.ToString());
        values.Add(Optional(userId));
        values.Add(Number((int)reason));
        RedisResult[] fields = Items(await EvaluateAsync(db, RedisScripts.Revoke, [key], values, cancellationToken).ConfigureAwait(false));
        return fields.Length == 0 ? null : Matching(DecodeSession(fields), id)?.Revoke(reason, now);
    }

    private async Task<UserRevocationResult> RevokeUserCoreAsync(IDatabase db, UserRevocation revocation, CancellationToken cancellationToken)
    {
        string h = RedisKeys.UserHash(revocation.UserId);
        bool cluster = IsCluster(db);
        (SessionId CurrentId, SessionReplacement Replacement)? keep = revocation.Keep;
        string revokedBefore = ReadByScript;
        RedisKey? newPointer = null;
        if (cluster)
        {
            revokedBefore = string.Empty;
            if (keep is (_, SessionReplacement keptReplacement))
            {
                RedisKey claimed = _keys.SessionPointer(keptReplacement.NewId);
                newPointer = claimed;
                Task<bool> claim = ClaimAsync(db, claimed, revocation.Rules.AbsoluteLifetime);
                Task<RedisValue> instant = db.StringGetAsync(_keys.RevokedBefore);
                bool won = await claim.WaitAsync(cancellationToken).ConfigureAwait(false);
                revokedBefore = RevokedBeforeArgument(await instant.WaitAsync(cancellationToken).ConfigureAwait(false));
                if (!won)
                {
                    throw new InvalidOperationException(Error.DuplicateSession);
                }
            }
        }

        List<RedisValue> values = Header(h, revokedBefore, revocation.Now, revocation.Rules, cluster, 12);
        values.AddRange(
        [
            revocation.UserId,
            Number((int)revocation.Reason),
            revocation.AdvanceEpoch ? "1" : "0",
            revocation.Except is SessionId except && !except.IsEmpty ? except.ToString() : string.Empty,
            keep is (SessionId keepId, _) && !keepId.IsEmpty ? keepId.ToString() : string.Empty,
        ]);
        if (keep is (_, SessionReplacement replacement))
        {
            AddReplacement(values, replacement);
        }

        Task<RedisResult> script = EvaluateAsync(db, RedisScripts.RevokeUser, [_keys.UserSessions(h)], values, cancellationToken);
        RedisResult[] reply = Items(await (newPointer is RedisKey settled ? SettleAsync(db, cluster, settled, h, script, cancellationToken) : script).ConfigureAwait(false));
        if (reply.Length == 1)
        {
            if (newPointer is RedisKey stale)
            {
                Forget(db, stale);
            }

            throw Integer(reply[0]) == -1 ? new InvalidOperationException(Error.DuplicateSession) : new FormatException();
        }

        long epoch = Long(Text(reply[0]));
        SessionRegenerateResult? kept = null;
        if (keep is (SessionId currentId, SessionReplacement keptWith))
        {
            int code = Integer(reply[2]);
            SessionValidationStatus status = code == (int)SessionValidationStatus.NotFound ? SessionValidationStatus.NotFound : Status(reply[2]);
            Session? current = status == SessionValidationStatus.NotFound ? null : Matching(DecodeSession(reply[3]), currentId);
            kept = current is null ? SessionRegenerateResult.NotFound
                : status == SessionValidationStatus.Valid ? Replaced(current, keptWith, revocation.Rules, epoch, revocation.Now)
                : new SessionRegenerateResult(status, current, null);
            if (newPointer is RedisKey unused && kept.Replacement is null)
            {
                Forget(db, unused);
            }
        }

        return new UserRevocationResult(epoch, SessionIds(reply[1]), kept);
    }

    private async Task<IReadOnlyList<Session>> ListCoreAsync(IDatabase db, string userId, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string h = RedisKeys.UserHash(userId);
        bool cluster = IsCluster(db);

        // In Cluster the instant is read alongside the script and applied here: listing writes nothing that depends on it.
        Task<RedisValue>? instant = cluster ? db.StringGetAsync(_keys.RevokedBefore) : null;
        List<RedisValue> values = Header(h, cluster ? string.Empty : ReadByScript, now, rules, cluster, 1);
        values.Add(userId);
        RedisResult[] reply = Items(await EvaluateAsync(db, RedisScripts.ListUser, [_keys.UserSessions(h)], values, cancellationToken).ConfigureAwait(false));
        DateTimeOffset? floor = instant is null ? null : TimeOrNull(await instant.WaitAsync(cancellationToken).ConfigureAwait(false));
        List<Session> sessions = new(reply.Length);
        foreach (RedisResult fields in reply)
        {
            Session session = DecodeSession(fields);
            if (floor is not DateTimeOffset revokedBefore || session.CreatedAt > revokedBefore)
            {
                sessions.Add(session);
            }
        }

        return sessions;
    }

    private async Task<SessionBindResult> BindKeyCoreAsync(IDatabase db, SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding.Thumbprint);
        ArgumentNullException.ThrowIfNull(binding.PublicKeyJwk);
        (RedisKey key, string route, string revokedBefore)? target = await SessionTargetAsync(db, id, revokedBefore: true, cancellationToken).ConfigureAwait(false);
        if (target is not (RedisKey key, string route, string instant))
        {
            return new SessionBindResult(SessionBindStatus.NotValid, SessionValidationStatus.NotFound, null);
        }

        List<RedisValue> values = Header(route, instant, now, rules, IsCluster(db), 4);
        values.AddRange([id.ToString(), binding.Thumbprint, binding.PublicKeyJwk, Ticks(binding.BoundAt)]);
        RedisResult[] reply = Items(await EvaluateAsync(db, RedisScripts.BindKey, [key], values, cancellationToken).ConfigureAwait(false));
        SessionValidationStatus sessionStatus = Status(reply[1]);
        if (sessionStatus == SessionValidationStatus.NotFound || Matching(DecodeSession(reply[2]), id) is not Session session)
        {
            return new SessionBindResult(SessionBindStatus.NotValid, SessionValidationStatus.NotFound, null);
        }

        SessionBindStatus status = Integer(reply[0]) switch
        {
            0 => SessionBindStatus.Bound,
            1 => SessionBindStatus.AlreadyBound,
            2 => SessionBindStatus.BoundToOtherKey,
            3 => SessionBindStatus.NotValid,
            _ => throw new FormatException(),
        };
        return new SessionBindResult(
            status,
            sessionStatus,
            status == SessionBindStatus.Bound ? session with { KeyBinding = binding, Version = checked(session.Version + 1) } : session);
    }

    /// <summary>
    /// Where a script that starts from a session id runs: on a single server the script reads the pointer itself
    /// (KEYS[1] = pointer, empty route); in Cluster the pointer (and the global revocation instant) are read first and
    /// the script is routed by the session's key. <see langword="null"/> when the pointer leads nowhere.
    /// </summary>
    private async Task<(RedisKey Key, string Route, string RevokedBefore)?> SessionTargetAsync(IDatabase db, SessionId id, bool revokedBefore, CancellationToken cancellationToken)
    {
        RedisKey pointer = _keys.SessionPointer(id);
        if (!IsCluster(db))
        {
            return (pointer, string.Empty, revokedBefore ? ReadByScript : string.Empty);
        }

        (string? h, string instant) = await ResolveAsync(db, pointer, revokedBefore, cancellationToken).ConfigureAwait(false);
        return h is { Length: RedisKeys.UserHashLength } ? (_keys.Session(h, id), h, instant) : null;
    }

    /// <summary>Cluster only: claims a pointer for a record about to be inserted (the duplicate check), with a placeholder value.</summary>
    private Task<bool> ClaimAsync(IDatabase db, RedisKey pointer, TimeSpan lifetime) =>
        db.StringSetAsync(pointer, Pending, lifetime + TimeSpan.FromMilliseconds(_settings.GraceMilliseconds), When.NotExists);

    /// <summary>Cluster only: runs the script and, in the same round trip, gives a claimed pointer its value (kept only if the script inserts).</summary>
    private static async Task<RedisResult> SettleAsync(IDatabase db, bool cluster, RedisKey pointer, string value, Task<RedisResult> script, CancellationToken cancellationToken)
    {
        if (!cluster)
        {
            return await script.ConfigureAwait(false);
        }

        Task<bool> settle = db.StringSetAsync(pointer, value, expiry: null, keepTtl: true, when: When.Exists);
        RedisResult reply = await script.ConfigureAwait(false);
        await settle.WaitAsync(cancellationToken).ConfigureAwait(false);
        return reply;
    }

    private static SessionRegenerateResult Replaced(Session current, SessionReplacement replacement, SessionRules rules, long epoch, DateTimeOffset now) =>
        new(SessionValidationStatus.Valid, current.Revoke(RevocationReason.Regenerated, now), current.Regenerate(replacement, rules, epoch, now));

    /// <summary>A record that is not the one asked for counts as none (as in <see cref="StoreDecisions"/>).</summary>
    private static Session? Matching(Session session, SessionId id) => session.Id == id ? session : null;

    private static SessionValidationStatus Status(RedisResult reply)
    {
        SessionValidationStatus status = (SessionValidationStatus)Integer(reply);
        return status is SessionValidationStatus.Valid or SessionValidationStatus.NotFound or SessionValidationStatus.ExpiredIdle
            or SessionValidationStatus.ExpiredAbsolute or SessionValidationStatus.Revoked or SessionValidationStatus.ClockSkew
            ? status
            : throw new FormatException();
    }

    private static DateTimeOffset? TimeOrNull(RedisValue value) =>
        value.IsNullOrEmpty ? null : new DateTimeOffset(long.Parse((string)value!, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
}
