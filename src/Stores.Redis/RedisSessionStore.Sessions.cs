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
    /// <inheritdoc/>
    /// <remarks>One script: counts the user's live sessions, evicts the least recently seen or rejects, inserts.</remarks>
    public async ValueTask<SessionCreateResult> CreateAsync(Session session, SessionLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        RedisResult[] reply;
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(session.UserId);
            RedisKey pointer = _keys.SessionPointer(session.Id);
            bool cluster = IsCluster(db);
            RedisKey[] keys = cluster
                ? [_keys.Session(h, session.Id), _keys.UserSessions(h)]
                : [_keys.Session(h, session.Id), _keys.UserSessions(h), pointer];
            List<RedisValue> values =
            [
                _keys.Prefix, h, Ticks(now), Number(_settings.GraceMilliseconds),
                Number(limit.MaxSessions), limit.Mode == SessionLimitMode.RejectNew ? "1" : "0",
                session.Id.ToString(), Ticks(session.IdleExpiresAt), Ticks(session.AbsoluteExpiresAt),
            ];
            values.AddRange(SessionFields(session));
            Task pointerWrite = cluster ? WritePointerAsync(db, pointer, h, session.AbsoluteExpiresAt, now) : Task.CompletedTask;
            reply = (RedisResult[])(await EvaluateAsync(db, RedisScripts.Create, keys, [.. values], cancellationToken).ConfigureAwait(false))!;
            await pointerWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (cluster && (int)reply[0] == 0)
            {
                // Rejected at the limit: the pointer written alongside leads nowhere, so drop it now.
                await db.KeyDeleteAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }

        switch ((int)reply[0])
        {
            case -1:
                throw new InvalidOperationException(Error.DuplicateSession);
            case 0:
                return SessionCreateResult.LimitReached();
            default:
                if (reply.Length == 1)
                {
                    return SessionCreateResult.Success();
                }

                SessionId[] evicted = new SessionId[reply.Length - 1];
                for (int i = 1; i < reply.Length; i++)
                {
                    evicted[i - 1] = SessionId.Parse((string)reply[i]!);
                }

                return SessionCreateResult.Success(evicted);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Exactly one round trip (one script) on a single server; two in Redis Cluster (pointer, then record).</remarks>
    public async ValueTask<Session?> FindAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        if (id.IsEmpty)
        {
            return null;
        }

        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            Dictionary<string, RedisValue> fields;
            if (IsCluster(db))
            {
                RedisValue h = await db.StringGetAsync(_keys.SessionPointer(id)).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (h.IsNull)
                {
                    return null;
                }

                fields = Fields(await db.HashGetAllAsync(_keys.Session((string)h!, id)).WaitAsync(cancellationToken).ConfigureAwait(false));
            }
            else
            {
                fields = Fields(await EvaluateAsync(db, RedisScripts.Find, [_keys.SessionPointer(id)], [_keys.Prefix, id.ToString()], cancellationToken).ConfigureAwait(false));
            }

            return fields.Count == 0 ? null : DecodeSession(fields);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync(SessionId id, long expectedVersion, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default) =>
        ChangeSessionAsync(
            id,
            RedisScripts.Touch,
            h => [_keys.Prefix, h, id.ToString(), Number(expectedVersion), Ticks(lastSeenAt), Ticks(idleExpiresAt), Number(_settings.GraceMilliseconds)],
            cancellationToken);

    /// <inheritdoc/>
    /// <remarks>One script: checks the current session, revokes it with its refresh families and inserts the replacement.</remarks>
    public async ValueTask<SessionRegenerateStatus> RegenerateAsync(SessionId currentId, long expectedVersion, Session replacement, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (currentId.IsEmpty)
        {
            return SessionRegenerateStatus.NotFound;
        }

        int code;
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            (RedisKey key, string? h) = await RouteBySessionAsync(db, currentId, cancellationToken).ConfigureAwait(false);
            if (h is null)
            {
                return SessionRegenerateStatus.NotFound;
            }

            bool cluster = IsCluster(db);
            string newHash = RedisKeys.UserHash(replacement.UserId);
            RedisKey newPointer = _keys.SessionPointer(replacement.Id);
            if (cluster && !string.Equals(h, newHash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(Error.CrossUserRegenerate);
            }

            List<RedisValue> values =
            [
                _keys.Prefix, h, currentId.ToString(), Number(expectedVersion), Ticks(now), Number(_settings.GraceMilliseconds),
                newHash, replacement.Id.ToString(), Ticks(replacement.IdleExpiresAt), Ticks(replacement.AbsoluteExpiresAt),
            ];
            values.AddRange(SessionFields(replacement));
            Task pointerWrite = cluster ? WritePointerAsync(db, newPointer, newHash, replacement.AbsoluteExpiresAt, now) : Task.CompletedTask;
            RedisKey[] keys = cluster ? [key] : [key, newPointer];
            code = (int)await EvaluateAsync(db, RedisScripts.Regenerate, keys, [.. values], cancellationToken).ConfigureAwait(false);
            await pointerWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (cluster && code > 0)
            {
                await db.KeyDeleteAsync(newPointer).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }

        return code switch
        {
            0 => SessionRegenerateStatus.Regenerated,
            1 => SessionRegenerateStatus.NotFound,
            2 => SessionRegenerateStatus.NotLive,
            3 => SessionRegenerateStatus.Conflict,
            _ => throw new InvalidOperationException(Error.DuplicateSession),
        };
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(SessionId id, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeSessionAsync(
            id,
            RedisScripts.Revoke,
            h => [_keys.Prefix, h, id.ToString(), Number((int)reason), Ticks(now), Number(_settings.GraceMilliseconds)],
            cancellationToken);

    /// <inheritdoc/>
    /// <remarks>One script over the user's index, so it is atomic with <see cref="CreateAsync"/> for the same user.</remarks>
    public async ValueTask<IReadOnlyList<SessionId>> RevokeUserSessionsAsync(string userId, SessionId? except, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        RedisResult[] reply;
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(userId);
            reply = (RedisResult[])(await EvaluateAsync(
                db,
                RedisScripts.RevokeUser,
                [_keys.UserSessions(h)],
                [_keys.Prefix, h, except is { IsEmpty: false } keep ? keep.ToString() : string.Empty, Number((int)reason), Ticks(now), Number(_settings.GraceMilliseconds)],
                cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }

        SessionId[] revoked = new SessionId[reply.Length];
        for (int i = 0; i < reply.Length; i++)
        {
            revoked[i] = SessionId.Parse((string)reply[i]!);
        }

        return revoked;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Session>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(userId);
            RedisResult[] reply = (RedisResult[])(await EvaluateAsync(
                db, RedisScripts.ListUser, [_keys.UserSessions(h)], [_keys.Prefix, h, Ticks(now)], cancellationToken).ConfigureAwait(false))!;
            Session[] sessions = new Session[reply.Length];
            for (int i = 0; i < reply.Length; i++)
            {
                sessions[i] = DecodeSession(Fields(reply[i]));
            }

            return sessions;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <summary>
    /// On a single server the script resolves the session pointer itself (key = pointer, hash = empty); in
    /// Cluster the pointer is read first and the script is routed by a key in the user's slot.
    /// </summary>
    /// <summary>Routes to the session's user and runs a one-key script on it that answers 1 when it changed the session.</summary>
    private async ValueTask<bool> ChangeSessionAsync(SessionId id, RedisScripts.RedisScript script, Func<string, RedisValue[]> arguments, CancellationToken cancellationToken)
    {
        if (id.IsEmpty)
        {
            return false;
        }

        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            (RedisKey key, string? h) = await RouteBySessionAsync(db, id, cancellationToken).ConfigureAwait(false);
            return h is not null && (int)await EvaluateAsync(db, script, [key], arguments(h), cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    private async ValueTask<(RedisKey Key, string? UserHash)> RouteBySessionAsync(IDatabase db, SessionId id, CancellationToken cancellationToken)
    {
        RedisKey pointer = _keys.SessionPointer(id);
        if (!IsCluster(db))
        {
            return (pointer, string.Empty);
        }

        RedisValue h = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
        return h.IsNull ? (pointer, null) : (_keys.Session((string)h!, id), (string)h!);
    }

    private Task<bool> WritePointerAsync(IDatabase db, RedisKey pointer, string value, DateTimeOffset purgeAt, DateTimeOffset now) =>
        db.StringSetAsync(pointer, value, PointerLife(purgeAt, now));

    private Task<bool> ClaimPointerAsync(IDatabase db, RedisKey pointer, string value, DateTimeOffset purgeAt, DateTimeOffset now) =>
        db.StringSetAsync(pointer, value, PointerLife(purgeAt, now), When.NotExists);

    private TimeSpan PointerLife(DateTimeOffset purgeAt, DateTimeOffset now) =>
        (purgeAt > now ? purgeAt - now : TimeSpan.Zero) + TimeSpan.FromMilliseconds(_settings.GraceMilliseconds);
}
