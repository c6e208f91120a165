using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

public sealed partial class SessionManager
{
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
    /// </remarks>
    public async ValueTask<SignInResult> SignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        CheckUserId(request.UserId);
        CheckUserIdWellFormed(request.UserId);
        IReadOnlyDictionary<string, string> data = CheckData(request.Data);
        if (request.Client is not null && request.Device is not null)
        {
            throw new ArgumentException(Error.DeviceAndClientBoth, nameof(request));
        }

        DeviceFingerprint? fingerprint = request.Client is null ? null : DeviceFingerprint.FromClient(request.Client);
        using Activity? activity = SessionCoreTelemetry.ActivitySource.StartActivity("SessionCore.SignIn");
        DateTimeOffset now = _time.GetUtcNow();
        try
        {
            if (SessionToken.TryParse(request.PresentedToken, out SessionToken? presented))
            {
                await RevokeByIdCoreAsync(presented.Id, RevocationReason.Regenerated, now, cancellationToken).ConfigureAwait(false);
            }

            UserSecurityState state = await _store.GetUserSecurityStateAsync(request.UserId, cancellationToken).ConfigureAwait(false);
            SessionToken token = SessionToken.Mint(_tokens);
            Session session = new()
            {
                Id = token.Id,
                UserId = request.UserId,
                CreatedAt = now,
                LastSeenAt = now,
                AuthenticatedAt = now,
                IdleExpiresAt = Min(now + _settings.IdleTimeout, now + _settings.AbsoluteLifetime),
                AbsoluteExpiresAt = now + _settings.AbsoluteLifetime,
                AuthenticationLevel = request.AuthenticationLevel,
                Device = fingerprint?.ToSessionDevice() ?? request.Device,
                SecurityEpoch = state.SecurityEpoch,
                Data = data,
            };

            SessionCreateResult created = await _store.CreateAsync(session, _settings.Limit, now, cancellationToken).ConfigureAwait(false);
            if (!created.Created)
            {
                activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.LimitReached));
                return SignInResult.Failure(SignInStatus.LimitReached);
            }

            // The store has evicted these for good, whatever happens to this sign-in below: report them now.
            foreach (SessionId evicted in created.Evicted)
            {
                SessionCoreTelemetry.SessionsRevoked.Add(1, SessionCoreTelemetry.Reason(RevocationReason.Evicted));
                await RaiseAsync(new SessionEvicted(session.UserId, evicted, now, session.Id), cancellationToken).ConfigureAwait(false);
            }

            // An invalidation (epoch bump, then revoke-all) that ran between the epoch read and the insert
            // could have missed this session. Read again: if the epoch moved, the credentials this sign-in
            // rests on predate the invalidation, so the session must not survive it.
            if (await _store.GetSecurityEpochAsync(request.UserId, cancellationToken).ConfigureAwait(false) != state.SecurityEpoch)
            {
                await _store.RevokeAsync(session.Id, RevocationReason.Regenerated, now, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.Invalidated));
                return SignInResult.Failure(SignInStatus.Invalidated);
            }

            SessionCoreTelemetry.SessionsCreated.Add(1);
            activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.SignedIn));
            await RaiseAsync(new SessionCreated(session.UserId, session.Id, now, session.AuthenticationLevel), cancellationToken).ConfigureAwait(false);

            if (fingerprint is null)
            {
                return SignInResult.Success(token, session, created.Evicted);
            }

            (bool isNewDevice, DeviceChange changes) = await CheckDeviceAsync(session, fingerprint, state.KnownDevices, now, cancellationToken).ConfigureAwait(false);
            return SignInResult.Success(token, session, created.Evicted, isNewDevice, changes);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            activity?.SetTag("sessioncore.outcome", nameof(SignInStatus.StoreUnavailable));
            return SignInResult.Failure(SignInStatus.StoreUnavailable);
        }
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
}
