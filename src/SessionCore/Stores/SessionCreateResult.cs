using System;
using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>What a sign-in wrote, and what the manager needs to report it.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionCreateResult
{
    private SessionCreateResult(SessionCreateStatus status)
    {
        Status = status;
    }

    /// <summary>Gets what happened.</summary>
    public SessionCreateStatus Status { get; }

    /// <summary>Gets a value indicating whether the session was created.</summary>
    public bool IsSuccess => Status == SessionCreateStatus.Created;

    /// <summary>Gets the session as stored (with the user's epoch), or <see langword="null"/> when none was created.</summary>
    public Session? Session { get; private init; }

    /// <summary>Gets the sessions revoked to make room, least recently seen first.</summary>
    public IReadOnlyList<SessionId> Evicted { get; private init; } = [];

    /// <summary>
    /// Gets a value indicating whether the presented session was found among this user's records (revoked in this step,
    /// or revoked already). When it is <see langword="false"/> and a session was presented, it is unknown or another user's.
    /// </summary>
    public bool PresentedFound { get; private init; }

    /// <summary>Gets the presented session when this step revoked it, or <see langword="null"/>.</summary>
    public Session? PresentedRevoked { get; private init; }

    /// <summary>Gets a value indicating whether the remembered device was not known before.</summary>
    public bool IsNewDevice { get; private init; }

    /// <summary>Gets the user's known devices as they were before this step.</summary>
    public IReadOnlyList<KnownDevice> KnownDevicesBefore { get; private init; } = [];

    /// <summary>A created session.</summary>
    /// <param name="session">The session as stored.</param>
    /// <param name="evicted">The sessions revoked to make room.</param>
    /// <param name="presentedFound">Whether the presented session was among this user's records.</param>
    /// <param name="presentedRevoked">The presented session if this step revoked it.</param>
    /// <param name="isNewDevice">Whether the remembered device was new.</param>
    /// <param name="knownDevicesBefore">The known devices before this step.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public static SessionCreateResult Created(
        Session session,
        IReadOnlyList<SessionId>? evicted = null,
        bool presentedFound = false,
        Session? presentedRevoked = null,
        bool isNewDevice = false,
        IReadOnlyList<KnownDevice>? knownDevicesBefore = null) =>
        new(SessionCreateStatus.Created)
        {
            Session = session ?? throw new ArgumentNullException(nameof(session)),
            Evicted = evicted ?? [],
            PresentedFound = presentedFound,
            PresentedRevoked = presentedRevoked,
            IsNewDevice = isNewDevice,
            KnownDevicesBefore = knownDevicesBefore ?? [],
        };

    /// <summary>Nothing written, and why.</summary>
    /// <param name="status"><see cref="SessionCreateStatus.LimitReached"/> or <see cref="SessionCreateStatus.EpochMoved"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <see cref="SessionCreateStatus.Created"/> or undefined.</exception>
    public static SessionCreateResult NotCreated(SessionCreateStatus status) =>
        status is SessionCreateStatus.LimitReached or SessionCreateStatus.EpochMoved
            ? new(status)
            : throw new ArgumentOutOfRangeException(nameof(status));

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"Created (evicted {Evicted.Count})" : Status.ToString();
}
