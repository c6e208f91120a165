using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores.LiteDb.Tests;

/// <summary>Records and operation inputs the adapter tests build.</summary>
internal static class Records
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public static SessionRules Rules { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public static SessionId NewSessionId() => SessionId.Parse(NewText(32));

    public static RefreshTokenHash NewHash() => RefreshTokenHash.Parse(NewText(32));

    public static RefreshFamilyId NewFamilyId() => RefreshFamilyId.Parse(NewText(16));

    public static Session NewSession(string userId) => new()
    {
        Id = NewSessionId(),
        UserId = userId,
        CreatedAt = T0,
        LastSeenAt = T0,
        AuthenticatedAt = T0,
        IdleExpiresAt = T0.AddMinutes(30),
        AbsoluteExpiresAt = T0.AddHours(12),
    };

    public static RefreshFamily NewFamily(Session session) => new()
    {
        FamilyId = NewFamilyId(),
        SessionId = session.Id,
        UserId = session.UserId,
        CreatedAt = T0,
        AbsoluteExpiresAt = T0.AddHours(8),
        CurrentTokenHash = NewHash(),
        CurrentIssuedAt = T0,
        CurrentIdleExpiresAt = T0.AddHours(1),
        SealedCurrentToken = new byte[] { 1, 2, 3, 0, 255 },
    };

    public static SessionCreation SignIn(Session session, DateTimeOffset? now = null) => new() { Session = session, Rules = Rules, Now = now ?? session.CreatedAt };

    public static RefreshFamilyCreation Issue(SessionId sessionId, RefreshTokenHash hash, DateTimeOffset now) => new()
    {
        FamilyId = NewFamilyId(),
        SessionId = sessionId,
        TokenHash = hash,
        Lifetime = TimeSpan.FromHours(8),
        IdleLifetime = TimeSpan.FromHours(1),
        Rules = Rules,
        Now = now,
    };

    public static RefreshRedemption Redeem(RefreshTokenHash presented, DateTimeOffset now) => new()
    {
        PresentedTokenHash = presented,
        SuccessorTokenHash = NewHash(),
        SuccessorIdleExpiresAt = now.AddHours(1),
        Rules = Rules,
        Now = now,
    };

    private static string NewText(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
