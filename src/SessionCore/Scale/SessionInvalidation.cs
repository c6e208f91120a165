using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Scale;

/// <summary>
/// A change that makes what a node may have cached about a session or a user stale, as announced to every node through an
/// <see cref="ISessionInvalidationBus"/>. It carries identifiers and counters only: a session id (already a hash of the
/// token), a hash of the user id, an epoch, and the time of the change.
/// </summary>
/// <remarks>
/// Security: an invalidation never carries a token, a user id, a key or a record. Receiving a forged or replayed one can
/// only make a node drop cache entries (it asks the store again); it can never make a node accept a session.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionInvalidation
{
    private const int UserHashBytes = 16;
    private const int MaxWireLength = 128;

    private SessionInvalidation(SessionInvalidationKind kind, DateTimeOffset changedAt, SessionId sessionId, string? userHash, long securityEpoch)
    {
        Kind = kind;
        ChangedAt = changedAt;
        SessionId = sessionId;
        UserHash = userHash;
        SecurityEpoch = securityEpoch;
    }

    /// <summary>Gets what is invalidated.</summary>
    public SessionInvalidationKind Kind { get; }

    /// <summary>Gets when the store made the change (the time the writer passed to the store); nodes measure propagation from it.</summary>
    public DateTimeOffset ChangedAt { get; }

    /// <summary>Gets the session, for <see cref="SessionInvalidationKind.Session"/>; otherwise empty.</summary>
    public SessionId SessionId { get; }

    /// <summary>Gets the hash of the user id (<see cref="HashUserId"/>), for <see cref="SessionInvalidationKind.User"/>; otherwise <see langword="null"/>.</summary>
    public string? UserHash { get; }

    /// <summary>Gets the user's security epoch after the change, for <see cref="SessionInvalidationKind.User"/>; otherwise 0.</summary>
    public long SecurityEpoch { get; }

    /// <summary>Creates the invalidation of one session.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="changedAt">When the change was made.</param>
    /// <returns>The invalidation.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is empty.</exception>
    public static SessionInvalidation ForSession(SessionId sessionId, DateTimeOffset changedAt)
    {
        if (sessionId.IsEmpty)
        {
            throw new ArgumentException(Error.EmptySessionId, nameof(sessionId));
        }

        return new(SessionInvalidationKind.Session, changedAt, sessionId, null, 0);
    }

    /// <summary>Creates the invalidation of every session of one user.</summary>
    /// <param name="userId">The user (hashed here; the invalidation does not keep it).</param>
    /// <param name="securityEpoch">The user's security epoch after the change.</param>
    /// <param name="changedAt">When the change was made.</param>
    /// <returns>The invalidation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="securityEpoch"/> is negative.</exception>
    public static SessionInvalidation ForUser(string userId, long securityEpoch, DateTimeOffset changedAt)
    {
        Throw.IfNull(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(securityEpoch);
        return new(SessionInvalidationKind.User, changedAt, default, HashUserId(userId), securityEpoch);
    }

    /// <summary>Creates the invalidation of every session (the global revocation instant moved to <paramref name="changedAt"/>).</summary>
    /// <param name="changedAt">The global revocation instant now in force.</param>
    /// <returns>The invalidation.</returns>
    public static SessionInvalidation ForEverything(DateTimeOffset changedAt) =>
        new(SessionInvalidationKind.Everything, changedAt, default, null, 0);

    /// <summary>
    /// Hashes a user id the way invalidations name users: the first 16 bytes of SHA-256 over its UTF-8 bytes, in base64url
    /// (22 characters). The Redis store names its per-user keys with the same hash.
    /// </summary>
    /// <param name="userId">The user id.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> is <see langword="null"/>.</exception>
    public static string HashUserId(string userId)
    {
        Throw.IfNull(userId);
        int length = Encoding.UTF8.GetMaxByteCount(userId.Length);
        Span<byte> bytes = length <= 512 ? stackalloc byte[512] : new byte[length];
        int written = Encoding.UTF8.GetBytes(userId, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], digest);
        return Base64UrlStrict.Encode(digest[..UserHashBytes]);
    }

    /// <summary>
    /// Writes the wire form: <c>1|s|TICKS|SESSIONID</c>, <c>1|u|TICKS|USERHASH|EPOCH</c> or <c>1|a|TICKS</c>, with the time as
    /// 19-digit UTC ticks.
    /// </summary>
    /// <returns>The wire form.</returns>
    public string ToWireFormat()
    {
        string ticks = Ticks(ChangedAt);
        return Kind switch
        {
            SessionInvalidationKind.Session => "1|s|" + ticks + "|" + SessionId.ToString(),
            SessionInvalidationKind.User => "1|u|" + ticks + "|" + UserHash + "|" + SecurityEpoch.ToString(CultureInfo.InvariantCulture),
            _ => "1|a|" + ticks,
        };
    }

    /// <summary>
    /// Reads the wire form (<see cref="ToWireFormat"/>). Anything else — another version, an unknown kind, a malformed
    /// field, more than 128 characters — is refused; the cost is linear in the length and bounded.
    /// </summary>
    /// <param name="text">The text received.</param>
    /// <param name="invalidation">The invalidation, when read.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a well-formed invalidation.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SessionInvalidation? invalidation)
    {
        invalidation = null;
        if (text is null || text.Length < 23 || text.Length > MaxWireLength || !text.StartsWith("1|", StringComparison.Ordinal) || text[3] != '|')
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan(4);
        int bar = rest.IndexOf('|');
        ReadOnlySpan<char> ticksText = bar < 0 ? rest : rest[..bar];
        if (!TryTicks(ticksText, out DateTimeOffset changedAt))
        {
            return false;
        }

        rest = bar < 0 ? [] : rest[(bar + 1)..];
        switch (text[2])
        {
            case 's' when bar >= 0 && SessionId.TryParse(rest.ToString(), out SessionId id):
                invalidation = new(SessionInvalidationKind.Session, changedAt, id, null, 0);
                return true;
            case 'u' when bar >= 0:
                int split = rest.IndexOf('|');
                if (split != 22 || !Base64UrlStrict.IsCanonical(rest[..split]) || Base64UrlStrict.GetDecodedLength(split) != UserHashBytes)
                {
                    return false;
                }

                ReadOnlySpan<char> epochText = rest[(split + 1)..];
                if (epochText.IsEmpty || epochText.Length > 18 || !long.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out long epoch))
                {
                    return false;
                }

                invalidation = new(SessionInvalidationKind.User, changedAt, default, rest[..split].ToString(), epoch);
                return true;
            case 'a' when bar < 0:
                invalidation = new(SessionInvalidationKind.Everything, changedAt, default, null, 0);
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => ToWireFormat();

    private static string Ticks(DateTimeOffset value) => value.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static bool TryTicks(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 19 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
