using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
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
            if (cluster)
            {
                // Pointers live in other slots: claim them first (NX is the duplicate check), drop them if the
                // family is not created.
                bool[] claimed = await Task.WhenAll(
                    ClaimPointerAsync(db, tokenPointer, h + family.FamilyId, family.AbsoluteExpiresAt, now),
                    ClaimPointerAsync(db, familyPointer, h, family.AbsoluteExpiresAt, now)).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!claimed[0] || !claimed[1])
                {
                    await ReleasePointersAsync(db, claimed[0] ? tokenPointer : default, claimed[1] ? familyPointer : default, cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException(Error.DuplicateFamily);
                }
            }

            RedisKey[] keys = cluster ? [familyKey] : [familyKey, tokenPointer, familyPointer];
            code = (int)await EvaluateAsync(db, RedisScripts.CreateFamily, keys, [.. values], cancellationToken).ConfigureAwait(false);
            if (cluster && code != 1)
            {
                await ReleasePointersAsync(db, tokenPointer, familyPointer, cancellationToken).ConfigureAwait(false);
            }
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
            bool cluster = IsCluster(db);
            if (cluster)
            {
                RedisValueWithExpiry found = await db.StringGetWithExpiryAsync(pointer).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!TrySplitTokenPointer(found.Value, out string? h, out string? familyId))
                {
                    return RefreshRedeemResult.NotFound;
                }

                resolved = (string)found.Value!;
                keys = [_keys.Family(h, familyId)];

                // The successor's pointer lives in another slot, so it must exist before the rotation does: a
                // losing redeemer learns the new current hash from its result and may present it at once. It
                // lives as long as the presented token's pointer, which was set to the family's lifetime.
                TimeSpan life = found.Expiry ?? TimeSpan.FromMilliseconds(_settings.GraceMilliseconds);
                if (!await db.StringSetAsync(successorPointer, resolved, life, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException(Error.DuplicateToken);
                }
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
            if (cluster && (int)reply[0] != (int)RefreshRedeemStatus.Rotated)
            {
                await db.KeyDeleteAsync(successorPointer).WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task ReleasePointersAsync(IDatabase db, RedisKey first, RedisKey second, CancellationToken cancellationToken)
    {
        foreach (RedisKey key in (RedisKey[])[first, second])
        {
            if (key != default(RedisKey))
            {
                await db.KeyDeleteAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
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
