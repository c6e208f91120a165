using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// The decision set behind every <see cref="ISessionStore"/> operation, for stores that decide in .NET: each method is
/// one operation, reads what it needs through <see cref="IStoreRecords"/>, decides with the rules on
/// <see cref="Session"/>, <see cref="SessionLimit"/>, <see cref="RefreshFamily"/> and <see cref="UserSecurityState"/>,
/// and writes the outcome. The in-memory, LiteDB and MongoDB stores are persistence around these methods; the Redis
/// store's scripts mirror them, and the conformance suite checks that every store agrees.
/// </summary>
/// <remarks>
/// Security: call each method inside the store's atomic scope for the user concerned; the decisions are only as atomic
/// as that scope. No method reads or writes another user's records.
/// </remarks>
public static class StoreDecisions
{
    /// <summary>Decides and writes a sign-in (<see cref="ISessionStore.CreateAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="creation">The sign-in.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A device is given with <see cref="SessionCreation.MaxDevices"/> below 1 (nothing is written).</exception>
    public static SessionCreateResult Create(IStoreRecords records, SessionCreation creation)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(creation);
        string userId = creation.Session.UserId;
        if (creation.Device is not null)
        {
            // Caller misuse is refused before anything is read or written.
            ArgumentOutOfRangeException.ThrowIfLessThan(creation.MaxDevices, 1, nameof(creation));
        }

        DateTimeOffset now = creation.Now;
        UserSecurityState user = records.FindUser(userId);
        if (creation.ExpectedSecurityEpoch is long expected && expected != user.SecurityEpoch)
        {
            return SessionCreateResult.NotCreated(SessionCreateStatus.EpochMoved);
        }

        Session? presented = creation.PresentedId is SessionId presentedId ? records.FindSession(presentedId) : null;
        if (presented is not null && (presented.Id != creation.PresentedId || !string.Equals(presented.UserId, userId, StringComparison.Ordinal)))
        {
            presented = null;
        }

        IReadOnlyList<Session> victims = [];
        if (creation.Limit.IsLimited)
        {
            // The presented session is about to be revoked, so it does not count against the limit.
            List<Session> live = [];
            foreach (Session session in records.FindUserSessions(userId))
            {
                if (session.Id != presented?.Id && session.Classify(creation.Rules, user.SecurityEpoch, records.RevokedBefore, now) == SessionValidationStatus.Valid)
                {
                    live.Add(session);
                }
            }

            if (!creation.Limit.TrySelectEvictions(live, out victims))
            {
                return SessionCreateResult.NotCreated(SessionCreateStatus.LimitReached);
            }
        }

        // The insert goes first: it is the one write that can be refused (an identifier that exists already).
        Session created = creation.Session with { SecurityEpoch = user.SecurityEpoch };
        records.InsertSession(created);

        Session? presentedRevoked = presented is { IsRevoked: false } ? RevokeCascade(records, presented, RevocationReason.Regenerated, now) : null;
        SessionId[] evicted = new SessionId[victims.Count];
        for (int i = 0; i < victims.Count; i++)
        {
            RevokeCascade(records, victims[i], RevocationReason.Evicted, now);
            evicted[i] = victims[i].Id;
        }

        bool isNewDevice = false;
        if (creation.Device is KnownDevice device)
        {
            records.UpdateUser(user.WithDevice(device, creation.MaxDevices, out isNewDevice));
        }

        return SessionCreateResult.Created(created, evicted, presented is not null, presentedRevoked, isNewDevice, user.KnownDevices);
    }

    /// <summary>Decides a validation and writes a sliding renewal when one is due (<see cref="ISessionStore.ValidateAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="id">The session.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <param name="touch">Whether a due sliding renewal is written.</param>
    /// <returns>The verdict and the session as it now stands.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static SessionCheck Validate(IStoreRecords records, SessionId id, SessionRules rules, DateTimeOffset now, bool touch)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rules);
        Session? session = Find(records, id);
        if (session is null)
        {
            return SessionCheck.NotFound;
        }

        SessionValidationStatus status = Classify(records, session, rules, now);
        return new SessionCheck(status, status == SessionValidationStatus.Valid && touch ? Touch(records, session, rules, now) : session);
    }

    /// <summary>Decides and writes a regeneration (<see cref="ISessionStore.RegenerateAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="regeneration">The regeneration.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static SessionRegenerateResult Regenerate(IStoreRecords records, SessionRegeneration regeneration)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(regeneration);
        Session? current = Find(records, regeneration.CurrentId);
        if (current is null)
        {
            return SessionRegenerateResult.NotFound;
        }

        long epoch = records.FindSecurityEpoch(current.UserId);
        SessionValidationStatus status = current.Classify(regeneration.Rules, epoch, records.RevokedBefore, regeneration.Now);
        return status == SessionValidationStatus.Valid
            ? Replace(records, current, regeneration.Replacement, regeneration.Rules, epoch, regeneration.Now)
            : new SessionRegenerateResult(status, current, null);
    }

    /// <summary>Decides and writes the revocation of one session and its refresh families (<see cref="ISessionStore.RevokeAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="id">The session.</param>
    /// <param name="userId">The user the session must belong to, or <see langword="null"/> for any.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The session as revoked by this step, or <see langword="null"/> when it is unknown, another user's or revoked already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public static Session? Revoke(IStoreRecords records, SessionId id, string? userId, RevocationReason reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        Session? session = Find(records, id);
        return session is null || session.IsRevoked || (userId is not null && !string.Equals(session.UserId, userId, StringComparison.Ordinal))
            ? null
            : RevokeCascade(records, session, reason, now);
    }

    /// <summary>Decides and writes the revocation of a user's sessions (<see cref="ISessionStore.RevokeUserSessionsAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="revocation">The revocation.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="UserRevocation.Except"/> is set together with <see cref="UserRevocation.AdvanceEpoch"/>.</exception>
    public static UserRevocationResult RevokeUserSessions(IStoreRecords records, UserRevocation revocation)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(revocation);
        if (revocation.AdvanceEpoch && revocation.Except is not null)
        {
            throw new ArgumentException(Internal.Error.ExceptWithEpoch, nameof(revocation));
        }

        DateTimeOffset now = revocation.Now;
        UserSecurityState user = records.FindUser(revocation.UserId);
        long epoch = revocation.AdvanceEpoch ? checked(user.SecurityEpoch + 1) : user.SecurityEpoch;
        SessionRegenerateResult? kept = null;
        List<SessionId> revoked = [];
        if (revocation.Keep is (SessionId keepId, SessionReplacement replacement))
        {
            // Judged under the epoch it was issued in, then carried into the epoch this step ends with. The replacement's
            // insert is the step's first write: it is the one that can be refused (an identifier that exists already).
            Session? current = Find(records, keepId);
            kept = current is null || !string.Equals(current.UserId, revocation.UserId, StringComparison.Ordinal)
                ? SessionRegenerateResult.NotFound
                : current.Classify(revocation.Rules, user.SecurityEpoch, records.RevokedBefore, now) is var status && status == SessionValidationStatus.Valid
                    ? Replace(records, current, replacement, revocation.Rules, epoch, now)
                    : new SessionRegenerateResult(status, current, null);
        }

        if (revocation.AdvanceEpoch)
        {
            records.UpdateUser(user with { SecurityEpoch = epoch });
        }

        foreach (Session session in records.FindUserSessions(revocation.UserId))
        {
            if (!session.IsRevoked && session.Id != revocation.Except && session.Id != kept?.Replacement?.Id)
            {
                RevokeCascade(records, session, revocation.Reason, now);
                revoked.Add(session.Id);
            }
        }

        return new UserRevocationResult(epoch, revoked, kept);
    }

    /// <summary>Lists a user's sessions that open at <paramref name="now"/> (<see cref="ISessionStore.ListUserSessionsAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="userId">The user.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The sessions, in no particular order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<Session> ListUserSessions(IStoreRecords records, string userId, SessionRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(rules);
        long epoch = records.FindSecurityEpoch(userId);
        List<Session> live = [];
        foreach (Session session in records.FindUserSessions(userId))
        {
            if (session.Classify(rules, epoch, records.RevokedBefore, now) == SessionValidationStatus.Valid)
            {
                live.Add(session);
            }
        }

        return live;
    }

    /// <summary>Decides and writes a key binding (<see cref="ISessionStore.BindKeyAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="id">The session.</param>
    /// <param name="binding">The key.</param>
    /// <param name="rules">The lifetimes and tolerances.</param>
    /// <param name="now">The current time.</param>
    /// <returns>What happened.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static SessionBindResult BindKey(IStoreRecords records, SessionId id, SessionKeyBinding binding, SessionRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(rules);
        Session? session = Find(records, id);
        if (session is null)
        {
            return new SessionBindResult(SessionBindStatus.NotValid, SessionValidationStatus.NotFound, null);
        }

        SessionValidationStatus status = Classify(records, session, rules, now);
        if (status != SessionValidationStatus.Valid)
        {
            return new SessionBindResult(SessionBindStatus.NotValid, status, session);
        }

        if (session.KeyBinding is SessionKeyBinding existing)
        {
            return new SessionBindResult(
                string.Equals(existing.Thumbprint, binding.Thumbprint, StringComparison.Ordinal) ? SessionBindStatus.AlreadyBound : SessionBindStatus.BoundToOtherKey,
                status,
                session);
        }

        Session bound = session with { KeyBinding = binding, Version = checked(session.Version + 1) };
        records.UpdateSession(bound);
        return new SessionBindResult(SessionBindStatus.Bound, status, bound);
    }

    /// <summary>Decides and writes a new refresh family (<see cref="ISessionStore.CreateRefreshFamilyAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="creation">The family to create.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static RefreshFamilyCreateResult CreateRefreshFamily(IStoreRecords records, RefreshFamilyCreation creation)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(creation);
        Session? session = Find(records, creation.SessionId);
        if (session is null)
        {
            return new RefreshFamilyCreateResult(SessionValidationStatus.NotFound, null, null);
        }

        DateTimeOffset now = creation.Now;
        SessionValidationStatus status = Classify(records, session, creation.Rules, now);
        if (status != SessionValidationStatus.Valid)
        {
            return new RefreshFamilyCreateResult(status, null, session);
        }

        DateTimeOffset absolute = Min(now + creation.Lifetime, session.AbsoluteExpiresAt);
        RefreshFamily family = new()
        {
            FamilyId = creation.FamilyId,
            SessionId = session.Id,
            UserId = session.UserId,
            ClientId = creation.ClientId,
            KeyThumbprint = creation.KeyThumbprint,
            CreatedAt = now,
            AbsoluteExpiresAt = absolute,
            CurrentTokenHash = creation.TokenHash,
            CurrentIssuedAt = now,
            CurrentIdleExpiresAt = Min(now + creation.IdleLifetime, absolute),
        };

        records.InsertFamily(family);
        return new RefreshFamilyCreateResult(status, family, Touch(records, session, creation.Rules, now));
    }

    /// <summary>Decides and writes a redemption (<see cref="ISessionStore.RedeemRefreshTokenAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="redemption">The redemption.</param>
    /// <returns>What was decided and written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static RefreshRedeemResult Redeem(IStoreRecords records, RefreshRedemption redemption)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(redemption);
        RefreshFamily? family = records.FindFamily(redemption.PresentedTokenHash);
        if (family is null || !family.Contains(redemption.PresentedTokenHash))
        {
            return RefreshRedeemResult.NotFound;
        }

        DateTimeOffset now = redemption.Now;
        Session? session = Find(records, family.SessionId);
        SessionValidationStatus sessionStatus = session is null ? SessionValidationStatus.NotFound : Classify(records, session, redemption.Rules, now);
        RefreshRedeemStatus status = family.Classify(redemption, sessionStatus);
        switch (status)
        {
            case RefreshRedeemStatus.Rotated:
                RefreshFamily rotated = family.Rotate(redemption, out RefreshTokenHash? forgotten);
                records.UpdateFamily(rotated, redemption.SuccessorTokenHash, forgotten);
                return new RefreshRedeemResult(status, rotated, Touch(records, session!, redemption.Rules, now), sessionStatus, false);

            case RefreshRedeemStatus.GraceRetry:
                return new RefreshRedeemResult(status, family, Touch(records, session!, redemption.Rules, now), sessionStatus, false);

            case RefreshRedeemStatus.Reused or RefreshRedeemStatus.FamilyRevoked:
                RefreshFamily revokedFamily = family.Revoke(RevocationReason.RefreshTokenReuse, now);
                if (!ReferenceEquals(revokedFamily, family))
                {
                    records.UpdateFamily(revokedFamily, null, null);
                }

                Session? revokedSession = session is { IsRevoked: false } ? RevokeCascade(records, session, RevocationReason.RefreshTokenReuse, now) : null;
                return new RefreshRedeemResult(status, revokedFamily, revokedSession ?? session, sessionStatus, revokedSession is not null);

            default:
                return new RefreshRedeemResult(status, family, session, sessionStatus, false);
        }
    }

    /// <summary>Decides and writes the revocation of the family holding a token (<see cref="ISessionStore.RevokeRefreshFamilyAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="tokenHash">A hash of any token of the family.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The family as revoked by this step, or <see langword="null"/> when it is unknown or revoked already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    public static RefreshFamily? RevokeRefreshFamily(IStoreRecords records, RefreshTokenHash tokenHash, RevocationReason reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        RefreshFamily? family = records.FindFamily(tokenHash);
        if (family is null || family.IsRevoked || !family.Contains(tokenHash))
        {
            return null;
        }

        RefreshFamily revoked = family.Revoke(reason, now);
        records.UpdateFamily(revoked, null, null);
        return revoked;
    }

    /// <summary>Decides and writes a known device (<see cref="ISessionStore.RememberDeviceAsync"/>).</summary>
    /// <param name="records">The store's records inside its atomic scope.</param>
    /// <param name="userId">The user.</param>
    /// <param name="device">The device.</param>
    /// <param name="maxDevices">How many devices to keep (at least 1).</param>
    /// <returns><see langword="true"/> when the device was not known before.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDevices"/> is less than 1.</exception>
    public static bool RememberDevice(IStoreRecords records, string userId, KnownDevice device, int maxDevices)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(userId);
        records.UpdateUser(records.FindUser(userId).WithDevice(device, maxDevices, out bool isNew));
        return isNew;
    }

    private static Session? Find(IStoreRecords records, SessionId id)
    {
        // A store that answers with another record than the one asked for is treated as holding none.
        Session? session = records.FindSession(id);
        return session is not null && session.Id == id ? session : null;
    }

    private static SessionValidationStatus Classify(IStoreRecords records, Session session, SessionRules rules, DateTimeOffset now) =>
        session.Classify(rules, records.FindSecurityEpoch(session.UserId), records.RevokedBefore, now);

    private static Session Touch(IStoreRecords records, Session session, SessionRules rules, DateTimeOffset now)
    {
        Session touched = session.Touch(rules, now);
        if (!ReferenceEquals(touched, session))
        {
            records.UpdateSession(touched);
        }

        return touched;
    }

    private static SessionRegenerateResult Replace(IStoreRecords records, Session current, SessionReplacement replacement, SessionRules rules, long epoch, DateTimeOffset now)
    {
        Session next = current.Regenerate(replacement, rules, epoch, now);
        records.InsertSession(next);
        return new SessionRegenerateResult(SessionValidationStatus.Valid, RevokeCascade(records, current, RevocationReason.Regenerated, now), next);
    }

    private static Session RevokeCascade(IStoreRecords records, Session session, RevocationReason reason, DateTimeOffset now)
    {
        Session revoked = session.Revoke(reason, now);
        records.UpdateSession(revoked);
        foreach (RefreshFamily family in records.FindSessionFamilies(session.Id))
        {
            if (!family.IsRevoked)
            {
                records.UpdateFamily(family.Revoke(reason, now), null, null);
            }
        }

        return revoked;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
