using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Security.Cryptography;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>Builders and field-by-field comparisons for store records.</summary>
internal static class Records
{
    // Sub-millisecond ticks on purpose: the store must round-trip times to the tick.
    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);

    public static SessionId NewId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static string NewHash() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N");

    public static Session NewSession(string userId, DateTimeOffset now, TimeSpan? idle = null, TimeSpan? absolute = null) => new()
    {
        Id = NewId(),
        UserId = userId,
        CreatedAt = now,
        LastSeenAt = now,
        AuthenticatedAt = now,
        IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(30)),
        AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(12)),
    };

    public static RefreshFamily NewFamily(Session session, DateTimeOffset now) => new()
    {
        FamilyId = "fam-" + Guid.NewGuid().ToString("N"),
        SessionId = session.Id,
        UserId = session.UserId,
        CreatedAt = now,
        AbsoluteExpiresAt = now + TimeSpan.FromDays(7),
        CurrentTokenHash = NewHash(),
        CurrentIssuedAt = now,
        CurrentIdleExpiresAt = now + TimeSpan.FromDays(1),
        SealedCurrentToken = RandomNumberGenerator.GetBytes(60),
    };

    public static RefreshRedemption Redeem(string presented, DateTimeOffset now) =>
        new(presented, NewHash(), RandomNumberGenerator.GetBytes(60), now + TimeSpan.FromDays(1), now);

    public static void Equal(Session expected, Session? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Data = actual.Data }, actual);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
        Assert.Equal(expected.IdleExpiresAt.UtcTicks, actual.IdleExpiresAt.UtcTicks);
        Assert.Equal(new SortedDictionary<string, string>(new Dictionary<string, string>(expected.Data), StringComparer.Ordinal), new SortedDictionary<string, string>(new Dictionary<string, string>(actual.Data), StringComparer.Ordinal));
    }

    public static void Equal(RefreshFamily expected, RefreshFamily? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.SpentTokenHashes, actual.SpentTokenHashes);
        Assert.Equal(expected.SealedCurrentToken.ToArray(), actual.SealedCurrentToken.ToArray());
        Assert.Equal(expected with { SpentTokenHashes = actual.SpentTokenHashes, SealedCurrentToken = actual.SealedCurrentToken }, actual);
    }
}
