using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Scale;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Scale;

public sealed class SessionInvalidationTests
{
    private const string Sid = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Hostile => new()
    {
        string.Empty,
        "1|s|",
        "2|s|0639027024000000000|" + Sid,                // another version
        "1|x|0639027024000000000|" + Sid,                // unknown kind
        "1|s|639027024000000000|" + Sid,                 // 18-digit ticks
        "1|s|06390270240000000000|" + Sid,               // 20-digit ticks
        "1|s|+639027024000000000|" + Sid,                // sign
        "1|s|9999999999999999999|" + Sid,                // beyond DateTimeOffset.MaxValue
        "1|s|0639027024000000000|" + Sid + "A",          // session id too long
        "1|s|0639027024000000000|" + Sid[..42] + "=",    // not base64url
        "1|s|0639027024000000000",                       // no session id
        "1|a|0639027024000000000|x",                     // trailing field
        "1|u|0639027024000000000|AAAAAAAAAAAAAAAAAAAAAA", // no epoch
        "1|u|0639027024000000000|AAAAAAAAAAAAAAAAAAAAAA|-1",
        "1|u|0639027024000000000|AAAAAAAAAAAAAAAAAAAAA|1", // 21-character hash
        "1|u|0639027024000000000|AAAAAAAAAAAAAAAAAAAAA*|1",
        "1|u|0639027024000000000|AAAAAAAAAAAAAAAAAAAAAA|1234567890123456789", // epoch too long
        "1|a|" + new string('0', 200),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryParse_Hostile_Refused(string text) => Assert.False(SessionInvalidation.TryParse(text, out _));

    [Fact]
    public void TryParse_Null_Refused() => Assert.False(SessionInvalidation.TryParse(null, out _));

    [Fact]
    public void ToWireFormat_EachKind_RoundTrips()
    {
        SessionInvalidation[] all =
        [
            SessionInvalidation.ForSession(SessionId.Parse(Sid), At),
            SessionInvalidation.ForUser("alice@example.com", 7, At),
            SessionInvalidation.ForEverything(At),
        ];
        foreach (SessionInvalidation invalidation in all)
        {
            Assert.True(SessionInvalidation.TryParse(invalidation.ToWireFormat(), out SessionInvalidation? read));
            Assert.Equal(invalidation, read);
        }
    }

    [Fact]
    public void ForUser_WireFormat_CarriesNoUserId()
    {
        string wire = SessionInvalidation.ForUser("alice@example.com", 3, At).ToWireFormat();
        Assert.DoesNotContain("alice", wire, StringComparison.Ordinal);
        Assert.Equal("1|u|" + At.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "|" + SessionInvalidation.HashUserId("alice@example.com") + "|3", wire);
    }

    [Fact]
    public void HashUserId_KnownValue_MatchesRedisKeyHash() =>
        // First 16 bytes of SHA-256("alice"), base64url: the hash the Redis store puts in its key names.
        Assert.Equal("K9gGyX8OAK8aH8Myj6djqQ", SessionInvalidation.HashUserId("alice"));

    [Fact]
    public void ForSession_EmptyId_Throws() => Assert.Throws<ArgumentException>(() => SessionInvalidation.ForSession(default, At));

    [Property(MaxTest = 300)]
    public Property TryParse_AnyText_NeverThrows_Holds(string? text)
    {
        bool read = SessionInvalidation.TryParse(text, out SessionInvalidation? invalidation);
        return (read == (invalidation is not null)).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property UserRoundTrip_Holds(NonNull<string> userId, NonNegativeInt epoch, long ticks)
    {
        DateTimeOffset at = new((ticks & long.MaxValue) % DateTimeOffset.MaxValue.UtcTicks, TimeSpan.Zero);
        SessionInvalidation invalidation = SessionInvalidation.ForUser(userId.Get, epoch.Get, at);
        return (SessionInvalidation.TryParse(invalidation.ToWireFormat(), out SessionInvalidation? read) && read == invalidation).ToProperty();
    }
}
