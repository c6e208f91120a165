using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.StoreConformance;

// Atomicity under real parallelism: whatever the interleaving, the end state is one a serial order explains.
public abstract partial class SessionStoreConformanceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public virtual async Task Redeem_64ParallelRedemptionsOfOneToken_ExactlyOneRotates(bool withGraceWindow)
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        RefreshFamily family = await IssueAsync(store, session);
        TimeSpan grace = withGraceWindow ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
        RefreshRedemption[] redemptions = [.. Enumerable.Range(0, 64).Select(_ => Redemption(family.CurrentTokenHash, T0.AddMinutes(1), grace))];

        RefreshRedeemResult[] results = await RunInParallelAsync(redemptions.Length, i => store.RedeemRefreshTokenAsync(redemptions[i], Ct));

        Assert.Single(results, r => r.Status == RefreshRedeemStatus.Rotated);
        int winner = Array.FindIndex(results, r => r.Status == RefreshRedeemStatus.Rotated);
        RefreshFamily rotated = family.Rotate(redemptions[winner], out _);
        if (withGraceWindow)
        {
            // The losers presented what is now the previous token, inside the window: retries, nothing written.
            Assert.Equal(63, results.Count(r => r.Status == RefreshRedeemStatus.GraceRetry));
            AssertSameFamily(rotated, await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct));
            Assert.All(results, r => AssertSameFamily(rotated, r.Family));
        }
        else
        {
            // Without a window the first loser is reuse and revokes; every later one finds the family revoked.
            Assert.Single(results, r => r.Status == RefreshRedeemStatus.Reused);
            Assert.Equal(62, results.Count(r => r.Status == RefreshRedeemStatus.FamilyRevoked));
            Assert.Single(results, r => r.SessionRevoked);
            RefreshFamily? stored = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
            Assert.Equal(redemptions[winner].SuccessorTokenHash, stored!.CurrentTokenHash);
            Assert.Equal(RevocationReason.RefreshTokenReuse, stored.RevocationReason);
            Assert.Equal(RevocationReason.RefreshTokenReuse, (await store.FindAsync(session.Id, Ct))!.RevocationReason);
        }

        for (int i = 0; i < redemptions.Length; i++)
        {
            if (i != winner)
            {
                Assert.Null(await store.FindRefreshFamilyByTokenAsync(redemptions[i].SuccessorTokenHash, Ct));
            }
        }
    }

    [Fact]
    public virtual async Task Redeem_ParallelChains_NeverForkTheFamily()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId(), idle: Absolute));
        RefreshFamily family = await IssueAsync(store, FamilyCreation(session, rules: LongRules));
        List<RefreshTokenHash> installed = [family.CurrentTokenHash];
        object gate = new();

        // Six clients keep redeeming whatever they last saw as current, with a window wide enough for every retry.
        await RunInParallelAsync(6, async worker =>
        {
            RefreshTokenHash presented = family.CurrentTokenHash;
            for (int step = 0; step < 10; step++)
            {
                RefreshRedemption r = Redemption(presented, T0.AddMinutes(1), TimeSpan.FromHours(1), LongRules);
                RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(r, Ct);
                if (result.Status == RefreshRedeemStatus.Rotated)
                {
                    lock (gate)
                    {
                        installed.Add(r.SuccessorTokenHash);
                    }
                }

                // Falling two rotations behind is reuse by the rules; then the family is revoked and the client stops.
                Assert.True(result.Status is RefreshRedeemStatus.Rotated or RefreshRedeemStatus.GraceRetry or RefreshRedeemStatus.Reused or RefreshRedeemStatus.FamilyRevoked, result.Status.ToString());
                if (result.Family!.IsRevoked)
                {
                    break;
                }

                presented = result.Family.CurrentTokenHash;
            }

            return 0;
        });

        RefreshFamily? final = await store.FindRefreshFamilyByTokenAsync(family.CurrentTokenHash, Ct);
        Assert.Equal(installed.Count - 1, final!.Generation);
        List<RefreshTokenHash> chain = [.. final.TokenHashes];

        Assert.Equal(installed.Order(HashComparer), chain.Order(HashComparer));
        Assert.Equal(chain.Count, chain.Distinct().Count());
    }

    [Theory]
    [InlineData(SessionLimitMode.EvictOldest)]
    [InlineData(SessionLimitMode.RejectNew)]
    public virtual async Task Create_50ParallelWithLimit3_LeavesExactly3Live(SessionLimitMode mode)
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(3, mode);
        DateTimeOffset now = T0.AddMinutes(1);
        Session[] sessions = [.. Enumerable.Range(0, 50).Select(i => NewSession(user, now) with { LastSeenAt = now.AddTicks(-i), CreatedAt = now.AddTicks(-i) })];

        SessionCreateResult[] results = await RunInParallelAsync(sessions.Length, i => store.CreateAsync(Creation(sessions[i]) with { Limit = limit, Now = now }, Ct));

        IReadOnlyList<Session> live = await store.ListUserSessionsAsync(user, Rules, now, Ct);
        Assert.Equal(3, live.Count);
        HashSet<SessionId> liveIds = [.. live.Select(s => s.Id)];
        if (mode == SessionLimitMode.RejectNew)
        {
            Assert.Equal(3, results.Count(r => r.IsSuccess));
            Assert.Equal(47, results.Count(r => r.Status == SessionCreateStatus.LimitReached));
            Assert.All(results, r => Assert.Empty(r.Evicted));
            for (int i = 0; i < sessions.Length; i++)
            {
                Session? found = await store.FindAsync(sessions[i].Id, Ct);
                Assert.Equal(results[i].IsSuccess, found is not null);
            }
        }
        else
        {
            Assert.All(results, r => Assert.True(r.IsSuccess));
            List<SessionId> evicted = [.. results.SelectMany(r => r.Evicted)];
            Assert.Equal(47, evicted.Count);
            Assert.Equal(47, evicted.Distinct().Count());
            Assert.DoesNotContain(evicted, liveIds.Contains);
            foreach (SessionId id in evicted)
            {
                Assert.Equal(RevocationReason.Evicted, (await store.FindAsync(id, Ct))!.RevocationReason);
            }
        }
    }

    [Fact]
    public virtual async Task CreateAndRevokeAll_Racing_NoSessionOlderThanTheRevocationSurvives()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionLimit limit = new(5, SessionLimitMode.EvictOldest);
        Session[] before = [.. Enumerable.Range(0, 5).Select(_ => NewSession(user))];
        foreach (Session s in before)
        {
            await InsertAsync(store, s);
        }

        Session[] racing = [.. Enumerable.Range(0, 20).Select(_ => NewSession(user, T0.AddMinutes(1)))];
        Task<UserRevocationResult> revokeAll = Task.Run(async () => await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddMinutes(1)), Ct));
        SessionCreateResult[] created = await RunInParallelAsync(racing.Length, i => store.CreateAsync(Creation(racing[i]) with { Limit = limit }, Ct));
        IReadOnlyList<SessionId> revokedIds = (await revokeAll).Revoked;

        Assert.All(created, r => Assert.True(r.IsSuccess));

        // Whatever the interleaving, the final state must be one the revocation explains. Until the revocation the user
        // had exactly the limit of live sessions (five inserted, then each create evicting down to the limit as one
        // step), so the revocation revoked exactly that many, whichever they were.
        HashSet<SessionId> revoked = [.. revokedIds];
        Assert.Equal(revokedIds.Count, revoked.Count);
        Assert.Equal(limit.MaxSessions, revoked.Count);
        HashSet<SessionId> known = [.. before.Concat(racing).Select(s => s.Id)];
        Assert.Subset(known, revoked);

        HashSet<SessionId> racingIds = [.. racing.Select(s => s.Id)];
        foreach (Session s in before.Concat(racing))
        {
            Session stored = (await store.FindAsync(s.Id, Ct))!;
            Assert.NotNull(stored);
            if (revoked.Contains(s.Id))
            {
                Assert.Equal(RevocationReason.PasswordChanged, stored.RevocationReason);
            }
            else if (stored.RevocationReason == RevocationReason.Evicted)
            {
                Assert.True(stored.IsRevoked);
            }
            else
            {
                // Neither revoked by the revocation nor evicted: it was created after the revocation, so it is one of the
                // racing sessions and it is live. A session that was live before it (every one of `before`) never gets here.
                Assert.Contains(s.Id, racingIds);
                Assert.Equal(SessionValidationStatus.Valid, await StatusAsync(store, s.Id, T0.AddMinutes(1)));
            }
        }

        Assert.True((await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(1), Ct)).Count <= limit.MaxSessions);
    }

    [Fact]
    public virtual async Task InvalidationAndSignIns_Racing_NoSessionOfTheOldEpochValidates()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session before = await InsertAsync(store, NewSession(user));
        DateTimeOffset now = T0.AddMinutes(1);

        // Half the sign-ins checked their credential against epoch 0; the other half accept whatever epoch is current.
        Session[] racing = [.. Enumerable.Range(0, 32).Select(_ => NewSession(user, now))];
        Task<UserRevocationResult> invalidation = Task.Run(async () =>
            await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, now) with { AdvanceEpoch = true }, Ct));
        SessionCreateResult[] results = await RunInParallelAsync(racing.Length, i =>
            store.CreateAsync(Creation(racing[i]) with { ExpectedSecurityEpoch = i % 2 == 0 ? 0 : null }, Ct));
        Assert.Equal(1, (await invalidation).SecurityEpoch);

        for (int i = 0; i < racing.Length; i++)
        {
            SessionValidationStatus status = await StatusAsync(store, racing[i].Id, now);
            if (results[i].Status == SessionCreateStatus.EpochMoved)
            {
                Assert.Equal(0, i % 2);
                Assert.Null(await store.FindAsync(racing[i].Id, Ct));
                continue;
            }

            Assert.Equal(SessionCreateStatus.Created, results[i].Status);
            Session stored = (await store.FindAsync(racing[i].Id, Ct))!;
            Assert.Equal(stored.SecurityEpoch == 1 ? SessionValidationStatus.Valid : SessionValidationStatus.Revoked, status);
            Assert.True(stored.SecurityEpoch == 1 || stored.IsRevoked, "A session of the old epoch was left unrevoked.");
            if (i % 2 == 0)
            {
                Assert.Equal(0, stored.SecurityEpoch);
            }
        }

        Assert.Equal(SessionValidationStatus.Revoked, await StatusAsync(store, before.Id, now));
        Assert.All(await store.ListUserSessionsAsync(user, Rules, now, Ct), s => Assert.Equal(1, s.SecurityEpoch));
    }

    [Fact]
    public virtual async Task AdvanceEpoch_40Parallel_EndsAt40WithDistinctEpochs()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        await store.RememberDeviceAsync(user, NewDevice("laptop", T0), 3, Ct);

        UserRevocationResult[] results = await RunInParallelAsync(40, i =>
            store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.PasswordChanged, T0.AddSeconds(i)) with { AdvanceEpoch = true }, Ct));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), results.Select(r => r.SecurityEpoch).Order());
        UserSecurityState state = await store.GetUserSecurityStateAsync(user, Ct);
        Assert.Equal(40, state.SecurityEpoch);
        Assert.Single(state.KnownDevices);
    }

    [Fact]
    public virtual async Task Revoke_Parallel_ExactlyOneCallRevokes()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));

        Session?[] results = await RunInParallelAsync(16, i => store.RevokeAsync(session.Id, null, RevocationReason.Logout, T0.AddMinutes(1).AddTicks(i), Ct));

        Session winner = Assert.Single(results, r => r is not null)!;
        AssertSameSession(winner, await store.FindAsync(session.Id, Ct));
    }

    [Fact]
    public virtual async Task ValidateTouchAndRevoke_Racing_NeverLoseTheRevocation()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        SessionRules eager = new(Idle, Absolute, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        for (int round = 0; round < 8; round++)
        {
            Session session = await InsertAsync(store, NewSession(user));

            // Every validation writes (no renewal interval); one revocation lands somewhere among them.
            SessionCheck?[] results = await RunInParallelAsync<SessionCheck?>(33, async i =>
            {
                if (i == 16)
                {
                    await store.RevokeAsync(session.Id, null, RevocationReason.Logout, T0.AddMinutes(2), Ct);
                    return null;
                }

                return await store.ValidateAsync(session.Id, eager, T0.AddMinutes(1).AddTicks(i), touch: true, Ct);
            });

            Session stored = (await store.FindAsync(session.Id, Ct))!;
            Assert.True(stored.IsRevoked);
            Assert.Equal(RevocationReason.Logout, stored.RevocationReason);
            Assert.Equal(T0.AddMinutes(2), stored.RevokedAt);
            Assert.All(results.Where(r => r is not null), r => Assert.True(r!.Value.Status is SessionValidationStatus.Valid or SessionValidationStatus.Revoked));
            Assert.Equal(SessionValidationStatus.Revoked, await StatusAsync(store, session.Id, T0.AddMinutes(3), eager));
        }
    }

    [Fact]
    public virtual async Task Regenerate_ParallelOfOneSession_ExactlyOneReplacementExists()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session current = await InsertAsync(store, NewSession(user));
        SessionReplacement[] replacements = [.. Enumerable.Range(0, 16).Select(_ => new SessionReplacement { NewId = NewSessionId() })];

        SessionRegenerateResult[] results = await RunInParallelAsync(
            replacements.Length,
            i => store.RegenerateAsync(new SessionRegeneration { CurrentId = current.Id, Replacement = replacements[i], Rules = Rules, Now = T0.AddMinutes(1) }, Ct));

        SessionRegenerateResult winner = Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(SessionValidationStatus.Revoked, r.Status));
        AssertSameIds([winner.Replacement!.Id], ListedIds(await store.ListUserSessionsAsync(user, Rules, T0.AddMinutes(2), Ct)));
        foreach (SessionReplacement loser in replacements.Where(r => r.NewId != winner.Replacement.Id))
        {
            Assert.Null(await store.FindAsync(loser.NewId, Ct));
        }
    }

    [Fact]
    public virtual async Task BindKey_ParallelWithDifferentKeys_ExactlyOneBinds()
    {
        ISessionStore store = await NewStoreAsync();
        Session session = await InsertAsync(store, NewSession(NewUserId()));
        SessionKeyBinding[] keys = [.. Enumerable.Range(0, 16).Select(_ => NewKeyBinding(T0.AddMinutes(1)))];

        SessionBindResult[] results = await RunInParallelAsync(keys.Length, i => store.BindKeyAsync(session.Id, keys[i], Rules, T0.AddMinutes(1), Ct));

        int winner = Array.FindIndex(results, r => r.Status == SessionBindStatus.Bound);
        Assert.Single(results, r => r.Status == SessionBindStatus.Bound);
        Assert.Equal(15, results.Count(r => r.Status == SessionBindStatus.BoundToOtherKey));
        Assert.Equal(keys[winner], (await store.FindAsync(session.Id, Ct))!.KeyBinding);
    }

    [Fact]
    public virtual async Task CreateRefreshFamilyAndRevokeSession_Racing_NoFamilyOutlivesItsSession()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        Session[] sessions = new Session[24];
        for (int i = 0; i < sessions.Length; i++)
        {
            sessions[i] = await InsertAsync(store, NewSession(user));
        }

        RefreshFamilyCreation[] families = [.. sessions.Select(s => FamilyCreation(s, T0.AddMinutes(1)))];

        // Even indexes create the family, odd ones revoke the session; pairs race each other.
        bool[] results = await RunInParallelAsync(sessions.Length * 2, async i => i % 2 == 0
            ? (await store.CreateRefreshFamilyAsync(families[i / 2], Ct)).IsSuccess
            : await store.RevokeAsync(sessions[i / 2].Id, null, RevocationReason.Logout, T0.AddMinutes(1), Ct) is not null);

        for (int i = 0; i < sessions.Length; i++)
        {
            Assert.True(results[(2 * i) + 1]);
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(families[i].TokenHash, Ct);
            Assert.Equal(results[2 * i], found is not null);
            Assert.True(found is null || found.IsRevoked);
        }
    }

    [Fact]
    public virtual async Task RevokeAllAndRedeem_Racing_NoFamilyOfTheUserSurvives()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();
        List<RefreshFamily> families = [];
        for (int i = 0; i < 4; i++)
        {
            Session session = await InsertAsync(store, NewSession(user, idle: Absolute));
            families.Add(await IssueAsync(store, session, LongRules));
            families.Add(await IssueAsync(store, session, LongRules));
        }

        Task<UserRevocationResult> revokeAll = Task.Run(async () =>
        {
            await Task.Yield();
            return await store.RevokeUserSessionsAsync(RevokeAll(user, RevocationReason.SuspectedBreach, T0.AddMinutes(1)), Ct);
        });
        RefreshTokenHash[] last = await RunInParallelAsync(families.Count, async i =>
        {
            RefreshTokenHash presented = families[i].CurrentTokenHash;
            for (int step = 0; step < 25; step++)
            {
                RefreshRedemption r = Redemption(presented, T0.AddMinutes(1), rules: LongRules);
                RefreshRedeemResult result = await store.RedeemRefreshTokenAsync(r, Ct);
                if (result.Status != RefreshRedeemStatus.Rotated)
                {
                    Assert.Equal(RefreshRedeemStatus.FamilyRevoked, result.Status);
                    Assert.False(result.SessionRevoked);
                    break;
                }

                presented = r.SuccessorTokenHash;
            }

            return presented;
        });
        Assert.Equal(4, (await revokeAll).Revoked.Count);

        foreach (RefreshTokenHash hash in last)
        {
            RefreshFamily? found = await store.FindRefreshFamilyByTokenAsync(hash, Ct);
            Assert.True(found!.IsRevoked);
            Assert.Equal(hash, found.CurrentTokenHash);
            Assert.NotEqual(RefreshRedeemStatus.Rotated, (await store.RedeemRefreshTokenAsync(Redemption(hash, T0.AddMinutes(2), rules: LongRules), Ct)).Status);
        }
    }

    [Fact]
    public virtual async Task RememberDevice_ParallelDistinctDevices_KeepsEachAndReportsEachNewOnce()
    {
        ISessionStore store = await NewStoreAsync();
        string user = NewUserId();

        bool[] results = await RunInParallelAsync(20, i => store.RememberDeviceAsync(user, NewDevice("d" + i, T0.AddSeconds(i)), 50, Ct));

        Assert.All(results, Assert.True);
        Assert.Equal(20, (await store.GetUserSecurityStateAsync(user, Ct)).KnownDevices.Count);
        bool[] again = await RunInParallelAsync(20, i => store.RememberDeviceAsync(user, NewDevice("d" + i, T0.AddMinutes(1)), 50, Ct));
        Assert.All(again, Assert.False);
    }

    [Fact]
    public virtual async Task RevokeEverySession_Parallel_EndsAtTheLatestInstant()
    {
        ISessionStore store = await NewStoreAsync();

        DateTimeOffset[] results = await RunInParallelAsync(16, i => store.RevokeEverySessionAsync(GlobalRevocationInstant.AddMinutes(-i), Ct));

        Assert.All(results.Select((r, i) => (r, i)), x => Assert.True(x.r >= GlobalRevocationInstant.AddMinutes(-x.i)));
        Assert.Equal(GlobalRevocationInstant, await store.RevokeEverySessionAsync(DateTimeOffset.UnixEpoch, Ct));
    }

    private static IComparer<RefreshTokenHash> HashComparer { get; } = Comparer<RefreshTokenHash>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
}
