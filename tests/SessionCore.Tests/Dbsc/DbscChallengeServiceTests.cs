using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Dbsc;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscChallengeServiceTests : IDisposable
{
    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly SessionId s_session = SessionId.FromTokenValue("sc_session-one");
    private static readonly SessionId s_other = SessionId.FromTokenValue("sc_session-two");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DbscChallengeService _service;

    public DbscChallengeServiceTests() => _service = new DbscChallengeService(s_key, _time);

    public void Dispose() => _service.Dispose();

    [Fact]
    public void Issue_Shape_FiftyFiveCharactersOfBase64UrlDifferentEachTime()
    {
        string first = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        string second = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        Assert.Equal(DbscChallengeService.ChallengeLength, first.Length);
        Assert.True(TestSupport.NearFormat.IsCanonicalBase64Url(first));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_FreshChallenge_ValidWithExpiry()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Registration);
        _time.Advance(TimeSpan.FromMinutes(4));

        DbscChallengeResult result = _service.Verify(challenge, s_session, DbscChallengePurpose.Registration);

        Assert.Equal(DbscChallengeStatus.Valid, result.Status);
        Assert.Equal(challenge, result.Value.Value);
        Assert.Equal(DbscChallengePurpose.Registration, result.Value.Purpose);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), result.Value.IssuedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 5, 0, TimeSpan.Zero), result.Value.ExpiresAt);
        Assert.Equal("dbsc-challenge", DbscChallengeUse.SingleUsePurpose);
    }

    [Fact]
    public void Verify_AtTheEndOfItsLifetime_Expired()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(DbscChallengeStatus.Valid, _service.Verify(challenge, s_session, DbscChallengePurpose.Refresh).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DbscChallengeStatus.Expired, _service.Verify(challenge, s_session, DbscChallengePurpose.Refresh).Status);
    }

    [Fact]
    public void Verify_OtherSession_Forged() =>
        Assert.Equal(DbscChallengeStatus.Forged, _service.Verify(_service.Issue(s_session, DbscChallengePurpose.Refresh), s_other, DbscChallengePurpose.Refresh).Status);

    [Fact]
    public void Verify_OtherPurpose_Forged()
    {
        Assert.Equal(DbscChallengeStatus.Forged, _service.Verify(_service.Issue(s_session, DbscChallengePurpose.Registration), s_session, DbscChallengePurpose.Refresh).Status);
        Assert.Equal(DbscChallengeStatus.Forged, _service.Verify(_service.Issue(s_session, DbscChallengePurpose.Refresh), s_session, DbscChallengePurpose.Registration).Status);
    }

    [Fact]
    public void Verify_OtherKey_Forged()
    {
        using DbscChallengeService other = new(Enumerable.Repeat((byte)7, 32).ToArray(), _time);
        Assert.Equal(DbscChallengeStatus.Forged, _service.Verify(other.Issue(s_session, DbscChallengePurpose.Refresh), s_session, DbscChallengePurpose.Refresh).Status);
    }

    [Fact]
    public void Verify_IssuedByANodeWhoseClockIsAhead_ToleratedUpToTheSkew()
    {
        FakeTimeProvider ahead = new(_time.GetUtcNow() + TimeSpan.FromSeconds(30));
        FakeTimeProvider farAhead = new(_time.GetUtcNow() + TimeSpan.FromSeconds(31));
        using DbscChallengeService nodeA = new(s_key, ahead);
        using DbscChallengeService nodeB = new(s_key, farAhead);

        Assert.Equal(DbscChallengeStatus.Valid, _service.Verify(nodeA.Issue(s_session, DbscChallengePurpose.Refresh), s_session, DbscChallengePurpose.Refresh).Status);
        Assert.Equal(DbscChallengeStatus.FromTheFuture, _service.Verify(nodeB.Issue(s_session, DbscChallengePurpose.Refresh), s_session, DbscChallengePurpose.Refresh).Status);
    }

    [Fact]
    public void Verify_ShorterLifetimeConfiguredLater_AppliesToOutstandingChallenges()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        _time.Advance(TimeSpan.FromMinutes(2));
        using DbscChallengeService stricter = new(s_key, _time, TimeSpan.FromMinutes(1));

        Assert.Equal(DbscChallengeStatus.Expired, stricter.Verify(challenge, s_session, DbscChallengePurpose.Refresh).Status);
    }

    /// <summary>Hostile presented values, each with its exact outcome.</summary>
    public static TheoryData<string?, DbscChallengeStatus> HostileCorpus => new()
    {
        { null, DbscChallengeStatus.Missing },
        { "", DbscChallengeStatus.Missing },
        { "c", DbscChallengeStatus.Malformed },
        { new string('A', 54), DbscChallengeStatus.Malformed },
        { new string('A', 56), DbscChallengeStatus.Malformed },
        { new string('A', 55), DbscChallengeStatus.Malformed },
        { "AQ" + new string('A', 53), DbscChallengeStatus.Forged },
        { "AQ" + new string('A', 52) + "B", DbscChallengeStatus.Malformed },
        { "AQ" + new string('A', 52) + "=", DbscChallengeStatus.Malformed },
        { "AQ" + new string('A', 51) + "+A", DbscChallengeStatus.Malformed },
        { "AQ" + new string('A', 51) + " A", DbscChallengeStatus.Malformed },
        { "Ag" + new string('A', 53), DbscChallengeStatus.Malformed },
        { "AA" + new string('A', 53), DbscChallengeStatus.Malformed },
    };

    [Theory]
    [MemberData(nameof(HostileCorpus))]
    public void Verify_HostileValue_ExactRefusal(string? presented, DbscChallengeStatus expected) =>
        Assert.Equal(expected, _service.Verify(presented, s_session, DbscChallengePurpose.Refresh).Status);

    [Fact]
    public void Verify_ValidChallengeWithTrailingSpaceOrOtherCase_Refused()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        Assert.Equal(DbscChallengeStatus.Malformed, _service.Verify(challenge + " ", s_session, DbscChallengePurpose.Refresh).Status);
        Assert.Equal(DbscChallengeStatus.Malformed, _service.Verify(" " + challenge[1..], s_session, DbscChallengePurpose.Refresh).Status);
        string swapped = new([.. challenge.Select(c => char.IsAsciiLetter(c) ? (char.IsAsciiLetterUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c)]);
        Assert.NotEqual(DbscChallengeStatus.Valid, _service.Verify(swapped, s_session, DbscChallengePurpose.Refresh).Status);
    }

    [Property(MaxTest = 300)]
    public Property Verify_AnyChangedCharacter_Refused_Holds()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        return Prop.ForAll(Gen.Choose(0, challenge.Length - 1).ToArbitrary(), Gen.Elements(TestSupport.NearFormat.Base64UrlAlphabet.ToCharArray()).ToArbitrary(), (position, c) =>
        {
            string changed = challenge[..position] + c + challenge[(position + 1)..];
            DbscChallengeStatus status = _service.Verify(changed, s_session, DbscChallengePurpose.Refresh).Status;
            return changed == challenge ? status == DbscChallengeStatus.Valid : status is DbscChallengeStatus.Forged or DbscChallengeStatus.Malformed;
        });
    }

    [Property(MaxTest = 500)]
    public Property Verify_ArbitraryString_NeverThrowsAndNeverValid_Holds() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => _service.Verify(text, s_session, DbscChallengePurpose.Refresh).Status != DbscChallengeStatus.Valid);

    [Fact]
    public async Task ConsumeAsync_FirstUse_Valid_SecondUse_Replayed()
    {
        InMemorySingleUse store = new();
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        DbscChallengeResult first = await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, store.TryUseOnceAsync, TestContext.Current.CancellationToken);
        DbscChallengeResult second = await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, store.TryUseOnceAsync, TestContext.Current.CancellationToken);

        Assert.Equal(DbscChallengeStatus.Valid, first.Status);
        Assert.Equal(DbscChallengeStatus.Replayed, second.Status);
        Assert.Equal(first.Value.ExpiresAt, store.Entries[challenge]);
    }

    [Fact]
    public async Task ConsumeAsync_ConcurrentUses_ExactlyOneAccepted()
    {
        InMemorySingleUse store = new();
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        DbscChallengeResult[] results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, store.TryUseOnceAsync, TestContext.Current.CancellationToken))));

        Assert.Equal(1, results.Count(r => r.Status == DbscChallengeStatus.Valid));
        Assert.Equal(31, results.Count(r => r.Status == DbscChallengeStatus.Replayed));
    }

    [Fact]
    public async Task ConsumeAsync_InvalidChallenge_StoreNeverCalled()
    {
        int calls = 0;
        ValueTask<bool> Count(DbscChallengeUse use, CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(true);
        }

        string expired = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DbscChallengeStatus.Expired, (await _service.ConsumeAsync(expired, s_session, DbscChallengePurpose.Refresh, Count, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(DbscChallengeStatus.Malformed, (await _service.ConsumeAsync("junk", s_session, DbscChallengePurpose.Refresh, Count, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(DbscChallengeStatus.Forged, (await _service.ConsumeAsync(_service.Issue(s_other, DbscChallengePurpose.Refresh), s_session, DbscChallengePurpose.Refresh, Count, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ConsumeAsync_StoreThrows_StoreUnavailable()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        DbscChallengeResult result = await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, (_, _) => throw new InvalidOperationException("store down"), TestContext.Current.CancellationToken);

        Assert.Equal(DbscChallengeStatus.StoreUnavailable, result.Status);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task ConsumeAsync_StoreCancelledWithoutCallerCancellation_StoreUnavailable()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        DbscChallengeResult result = await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, (_, _) => throw new OperationCanceledException(), TestContext.Current.CancellationToken);

        Assert.Equal(DbscChallengeStatus.StoreUnavailable, result.Status);
    }

    [Fact]
    public async Task ConsumeAsync_CallerCancels_Throws()
    {
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _service.ConsumeAsync(challenge, s_session, DbscChallengePurpose.Refresh, (_, token) => ValueTask.FromCanceled<bool>(token), cancelled.Token));
    }

    [Fact]
    public void Constructor_Misuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DbscChallengeService(new byte[31]));
        Assert.Throws<ArgumentException>(() => new DbscChallengeService(new byte[33]));
        Assert.Throws<ArgumentException>(() => new DbscChallengeService(new byte[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscChallengeService(s_key, lifetime: TimeSpan.FromSeconds(9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscChallengeService(s_key, lifetime: TimeSpan.FromMinutes(11)));
        using DbscChallengeService longest = new(new byte[32], lifetime: TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromMinutes(10), longest.Lifetime);
    }

    [Fact]
    public async Task Methods_Misuse_Throw()
    {
        Assert.Throws<ArgumentException>(() => _service.Issue(default, DbscChallengePurpose.Refresh));
        Assert.Throws<ArgumentOutOfRangeException>(() => _service.Issue(s_session, (DbscChallengePurpose)2));
        Assert.Throws<ArgumentException>(() => _service.Verify("x", default, DbscChallengePurpose.Refresh));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await _service.ConsumeAsync("x", s_session, DbscChallengePurpose.Refresh, null!, TestContext.Current.CancellationToken));
        DbscChallengeService disposed = new(s_key, _time);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Issue(s_session, DbscChallengePurpose.Refresh));
    }

    [Fact]
    public void ToString_NeverShowsKeyOrChallenge()
    {
        string challenge = _service.Issue(s_session, DbscChallengePurpose.Refresh);
        DbscChallengeResult result = _service.Verify(challenge, s_session, DbscChallengePurpose.Refresh);

        Assert.Equal("DbscChallengeService", _service.ToString());
        Assert.Equal("Valid", result.ToString());
        Assert.DoesNotContain(challenge, result.Value.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A minimal single-use store with the contract of the store primitive: first use wins, atomically.</summary>
    private sealed class InMemorySingleUse
    {
        public ConcurrentDictionary<string, DateTimeOffset> Entries { get; } = new(StringComparer.Ordinal);

        public ValueTask<bool> TryUseOnceAsync(DbscChallengeUse use, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Entries.TryAdd(use.Value, use.ExpiresAt));
    }
}
