using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Stores.Redis.Internal;
using StackExchange.Redis;
using static SessionCore.Stores.Redis.Internal.RedisRecordCodec;

namespace SessionCore.Stores.Redis;

public sealed partial class RedisSessionStore
{
    /// <inheritdoc/>
    public async ValueTask<bool> CreateRefreshFamilyAsync(RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(family);
        int code;
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            string h = RedisKeys.UserHash(family.UserId);
            RedisKey familyKey = _keys.Family(h, family.FamilyId);
            RedisKey tokenPointer = _keys.TokenPointer(family.CurrentTokenHash);
            RedisKey familyPointer = _keys.FamilyPointer(family.FamilyId);
            bool cluster = IsCluster(db);
            List<RedisValue> values =
            [
                _keys.Prefix, h, Ticks(now), Number(_settings.GraceMilliseconds),
                family.FamilyId, family.SessionId.ToString(), Ticks(family.AbsoluteExpiresAt), family.CurrentTokenHash,
            ];
            values.AddRange(FamilyFields(family));
            Task pointerWrite = Task.CompletedTask;
            if (cluster)
            {
                pointerWrite = Task.WhenAll(
                    WritePointerAsync(db, tokenPointer, h + family.FamilyId, family.AbsoluteExpiresAt, now),
                    WritePointerAsync(db, familyPointer, h, family.AbsoluteExpiresAt, now));
            }

            RedisKey[] keys = cluster ? [familyKey] : [familyKey, tokenPointer, familyPointer];
            code = (int)await EvaluateAsync(db, RedisScripts.CreateFamily, keys, [.. values], cancellationToken).ConfigureAwait(false);
            await pointerWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }

        return code switch
        {
            1 => true,
            0 => false,
            _ => throw new InvalidOperationException(Error.DuplicateFamily),
        };
    }

    /// <inheritdoc/>
    public async ValueTask<RefreshFamily?> FindRefreshFamilyByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            Dictionary<string, RedisValue> fields;
            RedisKey pointer = _keys.TokenPointer(tokenHash);
            if (IsCluster(db))
            {
                RedisValue value = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!TrySplitTokenPointer(value, out string? h, out string? familyId))
                {
                    return null;
                }

                fields = Fields(await db.HashGetAllAsync(_keys.Family(h, familyId)).WaitAsync(cancellationToken).ConfigureAwait(false));
            }
            else
            {
                fields = Fields(await EvaluateAsync(db, RedisScripts.FindFamily, [pointer], [_keys.Prefix], cancellationToken).ConfigureAwait(false));
            }

            if (fields.Count == 0)
            {
                return null;
            }

            RefreshFamily family = DecodeFamily(fields);
            return family.Contains(tokenHash) ? family : null;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Security: exactly one script on a single server (two round trips in Cluster: pointer, then script). The
    /// script finds the family, classifies the presented hash, checks the session and writes
    /// <see cref="RefreshFamily.Rotate"/> in one atomic step, so of any number of concurrent redemptions of
    /// one token at most one rotates.
    /// </remarks>
    public async ValueTask<RefreshRedeemResult> RedeemRefreshTokenAsync(RefreshRedemption redemption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        RedisResult[] reply;
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            RedisKey pointer = _keys.TokenPointer(redemption.PresentedTokenHash);
            RedisKey successorPointer = _keys.TokenPointer(redemption.SuccessorTokenHash);
            string resolved = string.Empty;
            RedisKey[] keys = [pointer, successorPointer];
            if (IsCluster(db))
            {
                RedisValue value = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!TrySplitTokenPointer(value, out string? h, out string? familyId))
                {
                    return RefreshRedeemResult.NotFound;
                }

                resolved = (string)value!;
                keys = [_keys.Family(h, familyId)];
            }

            reply = (RedisResult[])(await EvaluateAsync(
                db,
                RedisScripts.Redeem,
                keys,
                [
                    _keys.Prefix, resolved, redemption.PresentedTokenHash, redemption.SuccessorTokenHash,
                    redemption.SealedSuccessor.ToArray(), Ticks(redemption.SuccessorIdleExpiresAt), Ticks(redemption.Now),
                    Number(_settings.GraceMilliseconds),
                ],
                cancellationToken).ConfigureAwait(false))!;
            if ((int)reply[0] == (int)RefreshRedeemStatus.Rotated && IsCluster(db))
            {
                // The successor's pointer lives in another slot; it is written once the rotation has won. The
                // client learns the successor only after this returns, so nobody can look it up earlier.
                RefreshFamily rotated = DecodeFamily(Fields(reply[1]));
                await WritePointerAsync(db, successorPointer, resolved, rotated.AbsoluteExpiresAt, redemption.Now).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }

        int status = (int)reply[0];
        if (status < 0)
        {
            throw new InvalidOperationException(Error.DuplicateToken);
        }

        return status == (int)RefreshRedeemStatus.NotFound
            ? RefreshRedeemResult.NotFound
            : new RefreshRedeemResult((RefreshRedeemStatus)status, DecodeFamilyOrThrow(reply[1]));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RevokeRefreshFamilyAsync(string familyId, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        try
        {
            IDatabase db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            RedisKey pointer = _keys.FamilyPointer(familyId);
            RedisKey key = pointer;
            string h = string.Empty;
            if (IsCluster(db))
            {
                RedisValue value = await db.StringGetAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (value.IsNull)
                {
                    return false;
                }

                h = (string)value!;
                key = _keys.Family(h, familyId);
            }

            RedisResult reply = await EvaluateAsync(
                db, RedisScripts.RevokeFamily, [key], [_keys.Prefix, h, familyId, Number((int)reason), Ticks(now)], cancellationToken).ConfigureAwait(false);
            return (int)reply == 1;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    private static RefreshFamily DecodeFamilyOrThrow(RedisResult fields)
    {
        try
        {
            return DecodeFamily(Fields(fields));
        }
        catch (Exception ex) when (IsDriverFailure(ex))
        {
            throw Wrap(ex);
        }
    }

    private static bool TrySplitTokenPointer(RedisValue value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? userHash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? familyId)
    {
        string? text = value.IsNull ? null : (string?)value;
        if (text is null || text.Length <= RedisKeys.UserHashLength)
        {
            userHash = null;
            familyId = null;
            return false;
        }

        userHash = text[..RedisKeys.UserHashLength];
        familyId = text[RedisKeys.UserHashLength..];
        return true;
    }
}
