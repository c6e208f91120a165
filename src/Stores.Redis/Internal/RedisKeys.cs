using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Tokens;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// Key names. Everything a user owns carries the hash tag <c>{u:HASH}</c>, where HASH is the first 16 bytes
/// of SHA-256 over the UTF-8 user id in base64url (22 characters): user ids never appear in key names, and
/// braces in a user id cannot change the slot. Lookups by session id or token hash go through small pointer
/// keys outside any user tag; the global revocation instant is one key of its own.
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>The length of a user hash; the scripts split token pointer values at this length.</summary>
    public const int UserHashLength = 22;

    public RedisKeys(string prefix)
    {
        Prefix = prefix;
        RevokedBefore = prefix + "rb";
    }

    public string Prefix { get; }

    /// <summary>Gets the key of the global revocation instant (<see cref="ISessionStore.RevokeEverySessionAsync"/>).</summary>
    public RedisKey RevokedBefore { get; }

    public static string UserHash(string userId)
    {
        int length = Encoding.UTF8.GetMaxByteCount(userId.Length);
        Span<byte> bytes = length <= 512 ? stackalloc byte[512] : new byte[length];
        int written = Encoding.UTF8.GetBytes(userId, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], digest);
        return Base64Url.EncodeToString(digest[..16]);
    }

    public RedisKey User(string userHash, string suffix) => Prefix + "{u:" + userHash + "}:" + suffix;

    /// <summary>The SCAN pattern matching every user's key with <paramref name="suffix"/>; glob characters in the prefix match only themselves.</summary>
    public string UserKeyPattern(string suffix)
    {
        StringBuilder pattern = new(Prefix.Length + 16);
        foreach (char c in Prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append("{u:*}:").Append(suffix).ToString();
    }

    public RedisKey Session(string userHash, SessionId id) => User(userHash, "s:" + id.ToString());

    /// <summary>The user's sessions that are not revoked (live, or expired and not yet purged), by purge time.</summary>
    public RedisKey UserSessions(string userHash) => User(userHash, "ss");

    /// <summary>The user's revoked sessions, kept until their absolute expiry, by that time.</summary>
    public RedisKey RevokedSessions(string userHash) => User(userHash, "sr");

    public RedisKey Family(string userHash, string familyId) => User(userHash, "f:" + familyId);

    public RedisKey UserFamilies(string userHash) => User(userHash, "fs");

    public RedisKey SessionFamilies(string userHash, SessionId id) => User(userHash, "sf:" + id.ToString());

    public RedisKey Security(string userHash) => User(userHash, "sec");

    public RedisKey SessionPointer(SessionId id) => Prefix + "sid:" + id.ToString();

    public RedisKey TokenPointer(RefreshTokenHash tokenHash) => Prefix + "rt:" + tokenHash.ToString();

    /// <summary>Reads the user hash out of a user-owned key name, or returns <see langword="null"/>.</summary>
    public string? UserHashOf(string key, string suffix)
    {
        string head = Prefix + "{u:";
        string tail = "}:" + suffix;
        if (key.Length == head.Length + UserHashLength + tail.Length
            && key.StartsWith(head, StringComparison.Ordinal)
            && key.EndsWith(tail, StringComparison.Ordinal))
        {
            return key.Substring(head.Length, UserHashLength);
        }

        return null;
    }
}
