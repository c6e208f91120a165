using System;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>A sign-in as one store operation (<see cref="ISessionStore.CreateAsync"/>).</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionCreation
{
    /// <summary>Gets the new session; the store sets <see cref="Session.SecurityEpoch"/> to the user's current epoch.</summary>
    public required Session Session { get; init; }

    /// <summary>Gets the lifetimes used to tell which of the user's sessions are live.</summary>
    public required SessionRules Rules { get; init; }

    /// <summary>Gets the concurrent-session limit to enforce, or <see cref="SessionLimit.None"/>.</summary>
    public SessionLimit Limit { get; init; }

    /// <summary>
    /// Gets the security epoch the sign-in rests on (read before the credential was checked), or <see langword="null"/>
    /// to accept the user's current epoch. When it differs from the current epoch, nothing is written.
    /// </summary>
    public long? ExpectedSecurityEpoch { get; init; }

    /// <summary>Gets the session the client presented (a stale cookie), revoked in the same step when it is this user's.</summary>
    public SessionId? PresentedId { get; init; }

    /// <summary>Gets the device to remember for the user in the same step, or <see langword="null"/>.</summary>
    public KnownDevice? Device { get; init; }

    /// <summary>Gets how many known devices to keep (at least 1) when <see cref="Device"/> is set.</summary>
    public int MaxDevices { get; init; } = 1;

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }
}
