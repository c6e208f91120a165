using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>Builders and field-by-field comparisons for store records and operations.</summary>
internal static class Records
{
    // Sub-millisecond ticks on purpose: the store must round-trip times to the tick.
    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);

    /// <summary>Idle 30 min, absolute 12 h, renewal 1 min, skew 1 min.</summary>
    public static readonly SessionRules Rules = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public static SessionId NewId() => SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static RefreshTokenHash NewHash() => RefreshTokenHash.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static RefreshFamilyId NewFamilyId() => RefreshFamilyId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));

    public static string NewUser() => "user-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public static Session NewSession(string userId, DateTimeOffset now, TimeSpan? idle = null, TimeSpan? absolute = null) => new()
    {
        Id = NewId(),
        UserId = userId,
        CreatedAt = now,
        LastSeenAt = now,
        AuthenticatedAt = now,
        IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(30)),
        AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(12)),
        AuthenticationLevel = 1,
    };

    public static SessionCreation Creation(Session session, SessionLimit limit = default, DateTimeOffset? now = null) => new()
    {
        Session = session,
        Rules = Rules,
        Limit = limit,
        Now = now ?? session.CreatedAt,
    };

    public static RefreshFamilyCreation FamilyCreation(SessionId sessionId, DateTimeOffset now, RefreshTokenHash? hash = null) => new()
    {
        FamilyId = NewFamilyId(),
        SessionId = sessionId,
        TokenHash = hash ?? NewHash(),
        Lifetime = TimeSpan.FromDays(7),
        IdleLifetime = TimeSpan.FromDays(1),
        Rules = Rules,
        Now = now,
    };

    public static RefreshRedemption Redeem(RefreshTokenHash presented, DateTimeOffset now, TimeSpan? grace = null) => new()
    {
        PresentedTokenHash = presented,
        SuccessorTokenHash = NewHash(),
        SealedSuccessor = RandomNumberGenerator.GetBytes(60),
        SuccessorIdleExpiresAt = now + TimeSpan.FromDays(1),
        GraceWindow = grace ?? TimeSpan.Zero,
        Rules = Rules,
        Now = now,
    };

    public static UserRevocation Revocation(string userId, DateTimeOffset now, RevocationReason reason = RevocationReason.PasswordChanged) => new()
    {
        UserId = userId,
        Reason = reason,
        Rules = Rules,
        Now = now,
    };

    public static void Equal(Session? expected, Session? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected with { Data = actual.Data, AuthenticationMethods = actual.AuthenticationMethods }, actual);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
        Assert.Equal(expected.LastSeenAt.UtcTicks, actual.LastSeenAt.UtcTicks);
        Assert.Equal(expected.IdleExpiresAt.UtcTicks, actual.IdleExpiresAt.UtcTicks);
        Assert.Equal(expected.AuthenticationMethods, actual.AuthenticationMethods);
        Assert.Equal(expected.Data.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Data.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    public static void Equal(RefreshFamily? expected, RefreshFamily? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.SpentTokenHashes, actual.SpentTokenHashes);
        Assert.Equal(expected.SealedCurrentToken.ToArray(), actual.SealedCurrentToken.ToArray());
        Assert.Equal(expected with { SpentTokenHashes = actual.SpentTokenHashes, SealedCurrentToken = actual.SealedCurrentToken }, actual);
    }

    public static void Equal(IReadOnlyList<KnownDevice> expected, IReadOnlyList<KnownDevice> actual) =>
        Assert.Equal(expected, actual);

    public static IEnumerable<Session> ById(IEnumerable<Session> sessions) => sessions.OrderBy(s => s.Id.ToString(), StringComparer.Ordinal);
}
