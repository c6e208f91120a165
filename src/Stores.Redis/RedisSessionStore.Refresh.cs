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
    /// <remarks>
    /// One script (<see cref="StoreDecisions.CreateRefreshFamily"/>): judges the session, inserts the family with its
    /// token index and renews the session when due. Single server: one round trip; Cluster: two.
    /// </remarks>
    public ValueTask<RefreshFamilyCreateResult> CreateRefreshFamilyAsync(RefreshFamilyCreation creation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        ArgumentNullException.ThrowIfNull(creation.Rules);
        return creation.SessionId.IsEmpty
            ? ValueTask.FromResult(new RefreshFamilyCreateResult(SessionValidationStatus.NotFound, null, null))
            : RunAsync(creation, static (store, db, c, ct) => store.CreateFamilyCoreAsync(db, c, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Single server: one script. Cluster: the pointer, then the hash (two round trips).</remarks>
    public ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(RefreshTokenHash tokenHash, CancellationToken cancellationToken = default) =>
        tokenHash.IsEmpty
            ? ValueTask.FromResult<RefreshFamily?>(null)
            : RunAsync(tokenHash, static (store, db, h, ct) => store.FindFamilyCoreAsync(db, h, ct), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// Security: one script (<see cref="StoreDecisions.Redeem"/>) resolves the presented hash, judges the family's session
    /// against its user's epoch and the global revocation instant, decides with <see cref="RefreshFamily.Classify"/> and
    /// writes the outcome — the rotation (dropping the forgotten spent hash from the token index) and the session's due
    /// renewal, or for reuse the revocation of the family and its session — so of any number of concurrent redemptions
    /// of one token at most one rotates. Its cost does not grow with the number of rotations: a family keeps at most
    /// <see cref="RefreshFamily.SpentTokenCapacity"/> spent hashes in one field.
    /// </para>
    /// <para>
    /// Single server: one round trip. Cluster: the presented pointer, the global revocation instant and a claim on the
    /// successor's pointer, then the script together with the successor's pointer (two round trips); stale pointers are
    /// dropped afterwards without waiting.
    /// </para>
    /// </remarks>
    public ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        ArgumentNullException.ThrowIfNull(redemption.Rules);
        return redemption.PresentedTokenHash.IsEmpty
            ? ValueTask.FromResult(RefreshRedeemResult.NotFound)
            : RunAsync(redemption, static (store, db, r, ct) => store.RedeemCoreAsync(db, r, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One script (<see cref="StoreDecisions.RevokeRefreshFamily"/>). Single server: one round trip; Cluster: two.</remarks>
    public ValueTask<RefreshFamily?> RevokeRefreshFamilyAsync(RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        tokenHash.IsEmpty
            ? ValueTask.FromResult<RefreshFamily?>(null)
            : RunAsync((tokenHash, reason, now), static (store, db, a, ct) => store.RevokeFamilyCoreAsync(db, a.tokenHash, a.reason, a.now, ct), cancellationToken);

    private async Task<RefreshFamilyCreateResult> CreateFamilyCoreAsync(IDatabase db, RefreshFamilyCreation creation, CancellationToken cancellationToken)
    {
        bool cluster = IsCluster(db);
        RedisKey tokenPointer = _keys.TokenPointer(creation.TokenHash);
        // The family lives at most as long as its session, which lives at most the absolute lifetime from now.
        Task<bool>? claim = cluster ? ClaimAsync(db, tokenPointer, creation.Lifetime < creation.Rules.AbsoluteLifetime ? creation.Lifetime : creation.Rules.AbsoluteLifetime) : null;
        (RedisKey key, string route, string revokedBefore)? target = await SessionTargetAsync(db, creation.SessionId, revokedBefore: true, cancellationToken).ConfigureAwait(false);
        if (claim is not null && !await claim.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(Error.DuplicateFamily);
        }

        if (target is not (RedisKey key, string route, string instant))
        {
            if (cluster)
            {
                Forget(db, tokenPointer);
            }

            return new RefreshFamilyCreateResult(SessionValidationStatus.NotFound, null, null);
        }

        DateTimeOffset now = creation.Now;
        List<RedisValue> values = Header(route, instant, now, creation.Rules, cluster, 7);
        values.AddRange(
        [
            creation.SessionId.ToString(),
            creation.FamilyId.ToString(),
            creation.TokenHash.ToString(),
            Plus(now, creation.Lifetime),
            Plus(now, creation.IdleLifetime),
            Optional(creation.ClientId),
            Optional(creation.KeyThumbprint),
        ]);
        Task<RedisResult> script = EvaluateAsync(db, RedisScripts.CreateFamily, [key], values, cancellationToken);
        RedisResult[] reply = Items(await SettleAsync(db, cluster, tokenPointer, route + creation.FamilyId.ToString(), script, cancellationToken).ConfigureAwait(false));
        int code = Integer(reply[0]);
        if (cluster && code != 0)
        {
            Forget(db, tokenPointer);
        }

        if (code == -1)
        {
            throw new InvalidOperationException(Error.DuplicateFamily);
        }

        SessionValidationStatus status = Status(reply[0]);
        if (status == SessionValidationStatus.NotFound || Matching(DecodeSession(reply[1]), creation.SessionId) is not Session session)
        {
            return new RefreshFamilyCreateResult(SessionValidationStatus.NotFound, null, null);
        }

        if (status != SessionValidationStatus.Valid)
        {
            return new RefreshFamilyCreateResult(status, null, session);
        }

        // What the script wrote (StoreDecisions.CreateRefreshFamily), rebuilt from the session it read.
        DateTimeOffset absolute = Min(now + creation.Lifetime, session.AbsoluteExpiresAt);
        RefreshFamily family = new()
        {
            FamilyId = creation.FamilyId,
            SessionId = session.Id,
            UserId = session.UserId,
            ClientId = creation.ClientId,
            KeyThumbprint = creation.KeyThumbprint,
            CreatedAt = now,
            AbsoluteExpiresAt = absolute,
            CurrentTokenHash = creation.TokenHash,
            CurrentIssuedAt = now,
            CurrentIdleExpiresAt = Min(now + creation.IdleLifetime, absolute),
        };
        return new RefreshFamilyCreateResult(status, family, session.Touch(creation.Rules, now));
    }

    private async Task<RefreshFamily?> FindFamilyCoreAsync(IDatabase db, RefreshTokenHash tokenHash, CancellationToken cancellationToken)
    {
        RedisKey pointer = _keys.TokenPointer(tokenHash);
        RefreshFamily family;
        if (IsCluster(db))
        {
            RedisValue value = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (FamilyKey((string?)value) is not RedisKey key)
            {
                return null;
            }

            RedisValue[] fields = await db.HashGetAsync(key, FamilyFields).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                return null;
            }

            family = DecodeFamily(fields);
        }
        else
        {
            List<RedisValue> values = Header(string.Empty, string.Empty, default, null, cluster: false, 0);
            RedisResult[] fields = Items(await EvaluateAsync(db, RedisScripts.FindFamily, [pointer], values, cancellationToken).ConfigureAwait(false));
            if (fields.Length == 0)
            {
                return null;
            }

            family = DecodeFamily(fields);
        }

        return family.Contains(tokenHash) ? family : null;
    }

    private async Task<RefreshRedeemResult> RedeemCoreAsync(IDatabase db, RefreshRedemption redemption, CancellationToken cancellationToken)
    {
        RedisKey pointer = _keys.TokenPointer(redemption.PresentedTokenHash);
        RedisKey successorPointer = _keys.TokenPointer(redemption.SuccessorTokenHash);
        bool cluster = IsCluster(db);
        RedisKey key = pointer;
        string route = string.Empty;
        string revokedBefore = ReadByScript;
        TimeSpan successorLife = default;
        if (cluster)
        {
            // One round trip: the presented pointer with its expiry (the family's), the instant, and a claim on the
            // successor's pointer (the duplicate check). The claim is short-lived until the script has rotated.
            Task<RedisValueWithExpiry> found = db.StringGetWithExpiryAsync(pointer);
            Task<RedisValue> instant = db.StringGetAsync(_keys.RevokedBefore);
            Task<bool> claim = db.StringSetAsync(successorPointer, Pending, TimeSpan.FromMilliseconds(_settings.GraceMilliseconds), When.NotExists);
            RedisValueWithExpiry presented = await found.WaitAsync(cancellationToken).ConfigureAwait(false);
            revokedBefore = RevokedBeforeArgument(await instant.WaitAsync(cancellationToken).ConfigureAwait(false));
            if (!await claim.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException(Error.DuplicateToken);
            }

            if (FamilyKey((string?)presented.Value) is not RedisKey familyKey)
            {
                Forget(db, successorPointer);
                return RefreshRedeemResult.NotFound;
            }

            key = familyKey;
            route = (string)presented.Value!;
            successorLife = presented.Expiry ?? TimeSpan.FromMilliseconds(_settings.GraceMilliseconds);
        }

        DateTimeOffset now = redemption.Now;
        List<RedisValue> values = Header(route, revokedBefore, now, redemption.Rules, cluster, 7);
        values.AddRange(
        [
            redemption.PresentedTokenHash.ToString(),
            redemption.SuccessorTokenHash.ToString(),
            (RedisValue)redemption.SealedSuccessor,
            Ticks(redemption.SuccessorIdleExpiresAt),
            redemption.GraceWindow > TimeSpan.Zero ? "=" + Minus(now, redemption.GraceWindow) : string.Empty,
            Optional(redemption.ClientId),
            Optional(redemption.ProofKeyThumbprint),
        ]);
        Task<RedisResult> script = EvaluateAsync(db, RedisScripts.Redeem, [key], values, cancellationToken);
        Task<bool>? settle = cluster ? db.StringSetAsync(successorPointer, route, successorLife) : null;
        RedisResult[] reply = Items(await script.ConfigureAwait(false));
        if (settle is not null)
        {
            await settle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        RefreshRedeemStatus status = (RefreshRedeemStatus)Integer(reply[0]);
        if (cluster)
        {
            if (status != RefreshRedeemStatus.Rotated)
            {
                Forget(db, successorPointer);
            }
            else if (reply.Length > 5 && Text(reply[5]) is { Length: > 0 } forgotten)
            {
                // The forgotten spent hash's pointer lives in another slot; a stale one would resolve to a family that no
                // longer holds the hash (not found), and it expires with the family anyway.
                Forget(db, _keys.TokenPointer(RefreshTokenHash.Parse(forgotten)));
            }
        }

        if ((int)status == -1)
        {
            throw new InvalidOperationException(Error.DuplicateToken);
        }

        if (status == RefreshRedeemStatus.NotFound)
        {
            return RefreshRedeemResult.NotFound;
        }

        if (!Enum.IsDefined(status))
        {
            throw new FormatException();
        }

        RefreshFamily family = DecodeFamily(reply[2]);
        if (!family.Contains(redemption.PresentedTokenHash))
        {
            return RefreshRedeemResult.NotFound;
        }

        SessionValidationStatus sessionStatus = Status(reply[1]);
        RedisResult[] sessionFields = Items(reply[3]);
        Session? session = sessionFields.Length == 0 ? null : Matching(DecodeSession(sessionFields), family.SessionId);
        if (session is null)
        {
            sessionStatus = SessionValidationStatus.NotFound;
        }

        // What the script wrote (StoreDecisions.Redeem): a rotation returns the family as written; everything else is
        // rebuilt from the records the script read, with the rules it mirrors.
        switch (status)
        {
            case RefreshRedeemStatus.Rotated:
                return new RefreshRedeemResult(status, family, session?.Touch(redemption.Rules, now), sessionStatus, false);

            case RefreshRedeemStatus.GraceRetry:
                return new RefreshRedeemResult(status, family, session?.Touch(redemption.Rules, now), sessionStatus, false);

            case RefreshRedeemStatus.Reused or RefreshRedeemStatus.FamilyRevoked:
                bool sessionRevoked = Integer(reply[4]) == 1 && session is not null;
                return new RefreshRedeemResult(
                    status,
                    family.Revoke(RevocationReason.RefreshTokenReuse, now),
                    sessionRevoked ? session!.Revoke(RevocationReason.RefreshTokenReuse, now) : session,
                    sessionStatus,
                    sessionRevoked);

            default:
                return new RefreshRedeemResult(status, family, session, sessionStatus, false);
        }
    }

    private async Task<RefreshFamily?> RevokeFamilyCoreAsync(IDatabase db, RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        RedisKey key = _keys.TokenPointer(tokenHash);
        string route = string.Empty;
        bool cluster = IsCluster(db);
        if (cluster)
        {
            RedisValue value = await db.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (FamilyKey((string?)value) is not RedisKey familyKey)
            {
                return null;
            }

            key = familyKey;
            route = (string)value!;
        }

        List<RedisValue> values = Header(route, string.Empty, now, null, cluster, 2);
        values.Add(tokenHash.ToString());
        values.Add(Number((int)reason));
        RedisResult[] fields = Items(await EvaluateAsync(db, RedisScripts.RevokeFamily, [key], values, cancellationToken).ConfigureAwait(false));
        return fields.Length == 0 ? null : DecodeFamily(fields) is var family && family.Contains(tokenHash) ? family.Revoke(reason, now) : null;
    }

    private static readonly RedisValue[] FamilyFields = [.. Array.ConvertAll(RedisScripts.FamilyFields, f => (RedisValue)f)];

    /// <summary>The family key a token pointer value (user hash, then family id) names, or <see langword="null"/>.</summary>
    private RedisKey? FamilyKey(string? value) =>
        value is { Length: > RedisKeys.UserHashLength } ? _keys.Family(value[..RedisKeys.UserHashLength], value[RedisKeys.UserHashLength..]) : (RedisKey?)null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
