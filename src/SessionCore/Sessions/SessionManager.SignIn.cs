using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Http;
using SessionCore.Internal;
using SessionCore.Risk;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
    private const int MaxAuthenticationMethods = 8;
    private const int MaxAuthenticationMethodLength = 32;

    /// <summary>
    /// Creates a session for a user who has just proved who they are, and returns its token once.
    /// </summary>
    /// <param name="request">The user and what is known of the client.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new token and session, or why none was created.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The user id is empty or too long, the data bag is too large, or both <see cref="SignInRequest.Device"/> and <see cref="SignInRequest.Client"/> are set.</exception>
    /// <remarks>
    /// <para>
    /// Security (fixation): a fresh token is always minted from the CSPRNG; a token the client presented
    /// (<see cref="SignInRequest.PresentedToken"/>) is revoked, never adopted. The concurrent-session
    /// limit is enforced by the store in the same atomic step as the insert.
    /// </para>
    /// <para>
    /// With a sign-in risk check (<see cref="SessionManagerBuilder.SignInRisk"/>) and <see cref="SignInRequest.Client"/>,
    /// the client is first compared with the user's known devices and their last places: the session records the coarse
    /// place and the reasons (<see cref="Session.Location"/>, <see cref="Session.SignInRisk"/>), the device remembers the
    /// place, and the host's actions apply (<see cref="SignInStatus.RefusedByRisk"/>; a step-up verdict starts the session
    /// without fresh authentication; notify and stricter raise <see cref="UnusualSignIn"/>). A failed location lookup
    /// only makes the place unknown; a failed store read fails the sign-in (<see cref="SignInStatus.StoreUnavailable"/>).
    /// </para>
    /// </remarks>
    public async ValueTask<SignInResult> SignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        CheckUserId(request.UserId);
        CheckUserIdWellFormed(request.UserId);
        IReadOnlyDictionary<string, string> data = CheckData(request.Data);
        IReadOnlyList<string> methods = CheckMethods(request.AuthenticationMethods) ?? [];
        if (request.Client is not null && request.Device is not null)
        {
            throw new ArgumentException(Error.DeviceAndClientBoth, nameof(request));
        }

        DeviceFingerprint? fingerprint = request.Client is null ? null : DeviceFingerprint.FromClient(request.Client);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.SignIn");
        DateTimeOffset now = _time.GetUtcNow();
        SessionToken token = SessionToken.Mint(_tokens);
        SessionToken? presented = SessionToken.TryParse(request.PresentedToken, out SessionToken? parsed) ? parsed : null;
        SignInRiskAssessment? risk = null;
        if (_risk is not null && fingerprint is not null)
        {
            // The check must precede the write: a refused sign-in creates nothing and remembers no device, and a step-up
            // changes the session to be written. That costs one read of the user's known devices.
            StoreOutcome<UserSecurityState> state = await CallStoreAsync(
                request.UserId, static (store, userId, ct) => store.GetUserSecurityStateAsync(userId, ct), cancellationToken).ConfigureAwait(false);
            if (!state.Succeeded || state.Value is null)
            {
                activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.StoreUnavailable));
                return SignInResult.Failure(SignInStatus.StoreUnavailable);
            }

            risk = _risk.Assess(fingerprint, request.Client!.Address, now, state.Value.KnownDevices);
            if (risk.Action == SignInRiskAction.Refuse)
            {
                activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.RefusedByRisk));
                await RaiseAsync(new UnusualSignIn(request.UserId, token.Id, now, risk, fingerprint.UserAgentFamily), cancellationToken).ConfigureAwait(false);
                return SignInResult.Failure(SignInStatus.RefusedByRisk, risk);
            }
        }

        // A step-up verdict starts the session without fresh authentication: its authentication time lies as far back as
        // any freshness requirement can reach, so every freshness check asks the user to prove who they are again.
        DateTimeOffset authenticatedAt = risk?.Action == SignInRiskAction.RequireStepUp ? now - FreshnessRequirement.MaxAgeLimit : now;
        CoarseLocation? place = risk?.Location;
        SessionCreation creation = new()
        {
            Session = new Session
            {
                Id = token.Id,
                UserId = request.UserId,
                CreatedAt = now,
                LastSeenAt = now,
                AuthenticatedAt = authenticatedAt,
                IdleExpiresAt = Min(now + _settings.IdleTimeout, now + _settings.AbsoluteLifetime),
                AbsoluteExpiresAt = now + _settings.AbsoluteLifetime,
                AuthenticationLevel = request.AuthenticationLevel,
                AuthenticationMethods = methods,
                Device = fingerprint?.ToSessionDevice() ?? request.Device,
                Data = data,
                Location = place,
                SignInRisk = risk?.Reasons ?? SignInRiskReason.None,
            },
            Rules = Rules,
            Limit = _settings.Limit,
            ExpectedSecurityEpoch = request.ExpectedSecurityEpoch,
            PresentedId = presented?.Id,
            Device = fingerprint is null ? null : new KnownDevice(fingerprint.Key, fingerprint.DeviceIdHash, fingerprint.UserAgentFamily, fingerprint.Network, now, now)
            {
                LastLocation = place,
                LastLocatedAt = place is null ? null : now,
            },
            MaxDevices = _settings.MaxKnownDevicesPerUser,
            Now = now,
        };

        StoreOutcome<SessionCreateResult> outcome = await CallStoreAsync(creation, static (store, c, ct) => store.CreateAsync(c, ct), cancellationToken).ConfigureAwait(false);
        SignInStatus status = !outcome.Succeeded ? SignInStatus.StoreUnavailable
            : outcome.Value.Status switch
            {
                SessionCreateStatus.Created when outcome.Value.Session?.Id == token.Id => SignInStatus.SignedIn,
                SessionCreateStatus.LimitReached => SignInStatus.LimitReached,

                // The credentials this sign-in rests on predate an invalidation: the session must not exist.
                SessionCreateStatus.EpochMoved => SignInStatus.Invalidated,
                _ => SignInStatus.StoreUnavailable,
            };
        activity?.SetTag("sessioncore.outcome", status.ToString());
        if (status != SignInStatus.SignedIn)
        {
            return SignInResult.Failure(status);
        }

        SessionCreateResult created = outcome.Value;
        Session session = created.Session!;
        if (created.PresentedRevoked is Session revokedPresented)
        {
            await ReportRevokedAsync(revokedPresented, RevocationReason.Regenerated, now, cancellationToken).ConfigureAwait(false);
        }
        else if (presented is not null && !created.PresentedFound)
        {
            // Not one of this user's sessions: unknown, or another user's cookie on a shared device. It is never adopted,
            // and it is revoked on its own; a failure here leaves the new session standing (it is counted, not fatal).
            await RevokeByIdCoreAsync(presented.Id, null, RevocationReason.Regenerated, now, cancellationToken).ConfigureAwait(false);
        }

        // The store has evicted these for good: report them.
        foreach (SessionId evicted in created.Evicted)
        {
            SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(RevocationReason.Evicted));
            await RaiseAsync(new SessionEvicted(session.UserId, evicted, now, session.Id), cancellationToken).ConfigureAwait(false);
        }

        SessionCoreTelemetry.SessionsCreated.Add(1);
        await RaiseAsync(new SessionCreated(session.UserId, session.Id, now, session.AuthenticationLevel), cancellationToken).ConfigureAwait(false);
        if (fingerprint is null)
        {
            return SignInResult.Success(token, session, created.Evicted);
        }

        DeviceChange changes = created.IsNewDevice ? Compare(fingerprint, created.KnownDevicesBefore) : DeviceChange.None;
        if (created.IsNewDevice)
        {
            await RaiseAsync(new NewDeviceSignIn(session.UserId, session.Id, now, changes, fingerprint.UserAgentFamily, fingerprint.Network), cancellationToken).ConfigureAwait(false);
        }

        if (risk is { Action: >= SignInRiskAction.Notify })
        {
            await RaiseAsync(new UnusualSignIn(session.UserId, session.Id, now, risk, fingerprint.UserAgentFamily), cancellationToken).ConfigureAwait(false);
        }

        return SignInResult.Success(token, session, created.Evicted, created.IsNewDevice, changes, risk);
    }

    private IReadOnlyDictionary<string, string> CheckData(IReadOnlyDictionary<string, string>? data)
    {
        if (data is null || data.Count == 0)
        {
            return Session.EmptyData;
        }

        if (data.Count > _settings.MaxDataEntries)
        {
            throw new ArgumentException(Error.DataTooLarge, nameof(data));
        }

        int length = 0;
        Dictionary<string, string> copy = new(data.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> entry in data)
        {
            Throw.IfNull(entry.Key, nameof(data));
            Throw.IfNull(entry.Value, nameof(data));
            length = checked(length + entry.Key.Length + entry.Value.Length);
            copy[entry.Key] = entry.Value;
        }

        return length > _settings.MaxDataLength ? throw new ArgumentException(Error.DataTooLarge, nameof(data)) : copy;
    }

    private static string[]? CheckMethods(IReadOnlyList<string>? methods)
    {
        if (methods is null)
        {
            return null;
        }

        if (methods.Count > MaxAuthenticationMethods)
        {
            throw new ArgumentException(Error.SessionAuthenticationMethodsInvalid, nameof(methods));
        }

        string[] copy = new string[methods.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            string? method = methods[i];
            if (method is null || method.Length is 0 or > MaxAuthenticationMethodLength || !HttpGrammar.IsToken(method) || Array.IndexOf(copy, method, 0, i) >= 0)
            {
                throw new ArgumentException(Error.SessionAuthenticationMethodsInvalid, nameof(methods));
            }

            copy[i] = method;
        }

        return copy;
    }
}
