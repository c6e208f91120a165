using System;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// Revocation of a user's sessions as one store operation (<see cref="ISessionStore.RevokeUserSessionsAsync"/>): "sign out
/// everywhere (else)", or an invalidation that also advances the user's security epoch and keeps the session the user
/// acted from under a new token.
/// </summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record UserRevocation
{
    /// <summary>Gets the user.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets why the sessions are revoked.</summary>
    public required RevocationReason Reason { get; init; }

    /// <summary>Gets a value indicating whether the user's security epoch advances in the same step.</summary>
    public bool AdvanceEpoch { get; init; }

    /// <summary>Gets a session to leave as it is ("sign out everywhere else"); not allowed with <see cref="AdvanceEpoch"/>, whose epoch would leave it behind.</summary>
    public SessionId? Except { get; init; }

    /// <summary>
    /// Gets a session to keep by regenerating it under the epoch this step ends with, or <see langword="null"/>. It is kept
    /// only when it is this user's and opens under <see cref="Rules"/>; otherwise it is revoked with the rest.
    /// </summary>
    public (SessionId CurrentId, SessionReplacement Replacement)? Keep { get; init; }

    /// <summary>Gets the lifetimes the kept session must satisfy.</summary>
    public required SessionRules Rules { get; init; }

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }
}
